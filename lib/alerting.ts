import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertingProps {
  /** E-mail addresses subscribed to every alarm (context `etaal:alarmEmails`). */
  readonly emails: readonly string[];
  readonly stage: string;
}

/**
 * Where operators hear about alarms: one SNS topic, encrypted with a customer-managed KMS key (rotated)
 * that CloudWatch may use, receiving every alarm's ALARM and OK. Subscribers come from deployment
 * context; each confirms the subscription from the first email (`npm run admin -- preflight` checks).
 */
export class Alerting extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `e-Taal Delhi (${props.stage}): encrypts the operator alarm topic`,
      enableKeyRotation: true,
    });
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const sourceAccount = { 'aws:SourceAccount': Stack.of(this).account };
    // CloudWatch publishes to the encrypted topic, so it must be able to use the key.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: sourceAccount },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: `e-Taal Delhi ${props.stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: sourceAccount },
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    new CfnOutput(this, 'TopicArn', {
      key: 'alarmTopicArn',
      value: this.topic.topicArn,
      description: 'SNS topic of every alarm (ALARM and OK); subscribe operators with etaal:alarmEmails',
    });
  }

  /** Sends the alarm's ALARM and its OK to the topic. */
  notify(alarm: Alarm): void {
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
