import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface RecoveryScheduleProps {
  /** The OnboardingRecover function (lambdas/onboarding/tasks/recover.ts); absent in trimmed test apps. */
  readonly sweep: IFunction | undefined;
}

/**
 * Runs the recovery sweep every 15 minutes: every open onboarding whose execution FAILED, TIMED_OUT or
 * was ABORTED is resumed at its recorded step. EventBridge retries a failed invocation itself.
 */
export class RecoverySchedule extends Construct {
  constructor(scope: Construct, id: string, props: RecoveryScheduleProps) {
    super(scope, id);
    if (!props.sweep) return;
    const rule = new Rule(this, 'Rule', {
      description: 'e-Taal Delhi: resume onboardings whose workflow execution stopped',
      schedule: Schedule.rate(Duration.minutes(15)),
      targets: [new LambdaFunction(props.sweep, { retryAttempts: 2 })],
    });
    Validations.of(rule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason:
        'The sweep carries no data and is idempotent: an invocation lost after its retries is redone by the next one 15 minutes later, so a dead-letter queue would hold nothing to act on (its failures raise the OnboardingRecoverErrors alarm).',
    });
  }
}
