import { CfnDeletionPolicy, CfnOutput, type CfnResource, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { settingEnvironment } from '../lambdas/shared/settings';

export interface ConnectorSecretProps {
  readonly stage: string;
}

/**
 * Credentials of the e-Taal Client Connector, the endpoint NIC's poller pulls live counts from (nothing is
 * pushed to NIC). NIC issues them; CloudFormation creates the secret with a placeholder password and an
 * administrator replaces the value (`{"username": ..., "password": ...}`) with what NIC issued. The name is fixed per stage so the runbook can name it.
 */
export class ConnectorSecret extends Construct {
  readonly secret: Secret;
  constructor(scope: Construct, id: string, props: ConnectorSecretProps) {
    super(scope, id);
    const secretName = `etaal/${props.stage}/connector`;
    this.secret = new Secret(this, 'Secret', {
      secretName,
      description: 'e-Taal connector credentials issued by NIC (replace the generated placeholder)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'etaal-nic' }),
        generateStringKey: 'password',
        passwordLength: 32,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Kept when the stack is deleted (it holds NIC's credentials), but not when its own create fails: a
    // secret retained by a failed first deploy would block the fixed name on the next attempt.
    (this.secret.node.defaultChild as CfnResource).cfnOptions.deletionPolicy =
      CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'NIC issues and changes the e-Taal connector password; Secrets Manager cannot rotate a credential owned by an external system, so an administrator updates the secret when NIC reissues it.',
    });
    new CfnOutput(this, 'SecretName', {
      key: 'connectorSecretName',
      value: secretName,
      description: 'Secrets Manager secret to update with the NIC-issued e-Taal connector credentials',
    });
  }

  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }

  get environment(): Readonly<Record<string, string>> {
    return settingEnvironment({ connectorCredentialsSecretArn: this.secret.secretArn });
  }
}
