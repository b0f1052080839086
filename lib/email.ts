import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  type IEmailIdentity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { settingEnvironment } from '../lambdas/shared/settings';

export interface EmailProps {
  /** Domain SES sends from. */
  readonly identityDomain: string;
  readonly senderAddress: string;
  /**
   * Create the identity (and output its DKIM CNAME records for the domain's DNS operator). Default:
   * import the identity that already exists in the account, so a second stack or a re-create after a
   * failed deploy does not collide with it.
   */
  readonly createIdentity?: boolean;
}

/** The SES v2 sending identity and the configuration set every email goes through. */
export class Email extends Construct {
  readonly identity: IEmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** What a sending function needs to know (see lambdas/functions.ts `uses.email`). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.environment = settingEnvironment({
      sesFromAddress: props.senderAddress,
      sesConfigurationSet: this.configurationSet.configurationSetName,
    });
    // The admin CLI sends as the functions do (cancel and reopen notices, links resend|reassign, delegation).
    new CfnOutput(this, 'FromAddress', {
      key: 'sesFromAddress',
      value: props.senderAddress,
      description: 'Sender of every email (the admin CLI sends as it)',
    });
    new CfnOutput(this, 'ConfigurationSetName', {
      key: 'sesConfigurationSet',
      value: this.configurationSet.configurationSetName,
      description: 'SES configuration set every email goes through',
    });
    new CfnOutput(this, 'IdentityDomain', {
      key: 'sesIdentityDomain',
      value: props.identityDomain,
      description: 'SES identity every email is sent from (npm run admin -- preflight checks it)',
    });
    if (!props.createIdentity) {
      this.identity = EmailIdentity.fromEmailIdentityName(this, 'Identity', props.identityDomain);
      return;
    }
    const created = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.identityDomain),
      configurationSet: this.configurationSet,
    });
    this.identity = created;
    created.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        key: `sesDkimRecord${index + 1}`,
        value: `${record.name} CNAME ${record.value}`,
        description: `DNS record ${index + 1} of 3 that verifies ${props.identityDomain} for SES (Easy DKIM)`,
      });
    });
  }

  /** ses:SendEmail, only as this identity and only through this configuration set. */
  grantSend(grantee: IGrantable): Grant {
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identity.emailIdentityArn, configurationSetArn],
    });
  }
}
