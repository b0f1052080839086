import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailProps {
  /** Domain SES sends from; its DKIM CNAME records are outputs for the domain's DNS operator. */
  readonly identityDomain: string;
  readonly senderAddress: string;
}

/** The SES v2 sending identity and the configuration set every email goes through. */
export class Email extends Construct {
  readonly identity: EmailIdentity;
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
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.identityDomain),
      configurationSet: this.configurationSet,
    });
    this.environment = {
      SES_FROM_ADDRESS: props.senderAddress,
      SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
    };
    this.identity.dkimRecords.forEach((record, index) => {
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
