import { readFileSync } from 'node:fs';
import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** The definition-substitution key of a function: ASL Task states write `${<key>}`. */
export function functionArnSubstitution(functionId: string): string {
  return `${functionId}FunctionArn`;
}

/** Every `${name}` placeholder a definition uses, in order of first appearance. */
export function definitionPlaceholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string))];
}

export interface OnboardingWorkflowProps {
  /** ASL file (JSONPath) whose Task states refer to functions as `${<Id>FunctionArn}`. */
  readonly definitionFile: string;
  /**
   * Fixed so that functions can hold the ARN without a CloudFormation reference: the state machine refers
   * to them (definition substitutions), so a reference back would be a cycle.
   */
  readonly stateMachineName: string;
  readonly functions: ReadonlyMap<string, IFunction>;
}

/** The Standard state machine that walks a department through the 12 SoP steps. */
export class OnboardingWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: OnboardingWorkflowProps) {
    super(scope, id);
    const definition = readFileSync(props.definitionFile, 'utf8');
    const byKey = new Map([...props.functions].map(([fnId, fn]) => [functionArnSubstitution(fnId), fn]));
    const unknown = definitionPlaceholders(definition).filter((key) => !byKey.has(key));
    if (unknown.length > 0) {
      throw new Error(
        `${props.definitionFile} refers to ${unknown.map((k) => `\${${k}}`).join(', ')}, which no FunctionSpec provides`,
      );
    }
    // Only the functions the definition names may be invoked by it.
    const invoked = definitionPlaceholders(definition).map((key) => byKey.get(key) as IFunction);

    // Under /aws/vendedlogs/states/: Step Functions' log delivery then needs no log-group resource policy of
    // its own, and stays clear of the 5120-character policy limit shared by every log group of the account.
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(props.definitionFile),
      definitionSubstitutions: Object.fromEntries([...byKey].map(([key, fn]) => [key, fn.functionArn])),
      // ALL transitions, but without execution data: states' inputs carry task tokens (each one can resume a
      // step) and the nodal officer's contact details. The console's execution history still shows the data
      // for 90 days, and the audit trail that outlives it is in the Onboardings table.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const fn of invoked) fn.grantInvokeLatestVersion(this.stateMachine);

    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups…) and X-Ray (xray:PutTraceSegments…) APIs have no resource-level permissions.',
    });
    new CfnOutput(this, 'StateMachineArn', {
      key: 'onboardingStateMachineArn',
      value: this.stateMachine.stateMachineArn,
      description: 'The onboarding workflow (one execution per department onboarding)',
    });
  }
}
