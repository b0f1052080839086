import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Function as LambdaFunctionResource,
  LoggingFormat,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../lambdas/functions';
import { METRICS_NAMESPACE } from '../lambdas/shared/operator-signals';
import { settingEnvironment } from '../lambdas/shared/settings';
import { TABLES, type TableName } from '../lambdas/shared/tables';
import type { ConnectorSecret } from './connector-secret';
import type { DocumentsBucket } from './documents-bucket';
import type { Email } from './email';
import { FUNCTION_HANDLER, FUNCTION_NODE_OPTIONS, FUNCTION_RUNTIME, functionCode } from './function-bundle';

export interface LambdaFunctionsProps {
  readonly specs: readonly FunctionSpec[];
  readonly tables: Readonly<Record<TableName, Table>>;
  /** A reference by name: the state machine itself is created after the functions it invokes. */
  readonly stateMachine: IStateMachine;
  readonly stateMachineName: string;
  readonly email: Email;
  readonly connectorSecret: ConnectorSecret;
  readonly documents: DocumentsBucket;
  readonly escalationLimit: number;
  /** POWERTOOLS_SERVICE_NAME: the metrics' service dimension, per stage (see lib/operations.ts). */
  readonly serviceName: string;
}

/**
 * One Lambda function per FunctionSpec, its code built by lib/function-bundle.ts, each with its own role,
 * log group and exactly the grants and environment its `uses` declares.
 */
export class LambdaFunctions extends Construct {
  readonly functions: ReadonlyMap<string, LambdaFunctionResource>;

  constructor(scope: Construct, id: string, props: LambdaFunctionsProps) {
    super(scope, id);
    const functions = new Map<string, LambdaFunctionResource>();
    for (const spec of props.specs) {
      if (functions.has(spec.id)) throw new Error(`Duplicate function id ${spec.id} in FUNCTIONS`);
      functions.set(spec.id, this.createFunction(spec, props));
    }
    this.functions = functions;
  }

  /** Sets settings on every function (values that exist only once the API does, e.g. PUBLIC_BASE_URL). */
  addSettings(values: Parameters<typeof settingEnvironment>[0]): void {
    for (const [name, value] of Object.entries(settingEnvironment(values))) {
      for (const fn of this.functions.values()) fn.addEnvironment(name, value);
    }
  }

  private createFunction(spec: FunctionSpec, props: LambdaFunctionsProps): LambdaFunctionResource {
    const scope = new Construct(this, spec.id);
    const logGroup = new LogGroup(scope, 'Logs', { retention: RetentionDays.THREE_MONTHS });
    // An own role instead of the default one, whose AWS managed AWSLambdaBasicExecutionRole may write to
    // every log group of the account: this one writes to its own log group only.
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${spec.id} function`,
    });
    logGroup.grantWrite(role);

    const environment: Record<string, string> = {
      NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
      ...settingEnvironment({
        serviceName: props.serviceName,
        metricsNamespace: METRICS_NAMESPACE,
        escalationLimit: props.escalationLimit,
      }),
    };
    const fn = new LambdaFunctionResource(scope, 'Function', {
      code: functionCode(spec),
      handler: FUNCTION_HANDLER,
      description: spec.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memorySize ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      // Lambda's own segments (initialization, invocation) in the traces API Gateway and Step Functions
      // start; the functions load no X-Ray SDK (docs/dashboard.md, Tracing).
      tracing: Tracing.ACTIVE,
      // No reserved concurrency: new accounts have a pool of 10, and reserving from it fails the deployment.
      // The API stage's throttling bounds the load instead.
      environment,
    });
    this.grantUses(fn, spec, props);
    if (spec.schedule) {
      const rule = new Rule(scope, 'Schedule', {
        description: `Runs the ${spec.id} function every ${spec.schedule.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(spec.schedule.everyMinutes)),
        targets: [new LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.minutes(30) })],
      });
      Validations.of(rule).acknowledge({
        id: 'Serverless-EventBusDLQ',
        reason:
          'A schedule event carries no data: a run that could not be delivered after the retries is replaced by the next scheduled run, so a dead-letter queue would hold only empty, stale events.',
      });
    }
    this.acknowledgeFindings(scope, spec, props);
    return fn;
  }

  private grantUses(fn: LambdaFunctionResource, spec: FunctionSpec, props: LambdaFunctionsProps): void {
    const { uses } = spec;
    for (const [name, access] of Object.entries(uses.tables ?? {}) as [TableName, string][]) {
      const table = props.tables[name];
      if (access === 'readWrite') table.grantReadWriteData(fn);
      else table.grantReadData(fn);
      fn.addEnvironment(TABLES[name].envVar, table.tableName);
    }
    const actions = new Set(uses.stateMachine ?? []);
    if (actions.size > 0) {
      const { stateMachineArn } = props.stateMachine;
      for (const [name, value] of Object.entries(settingEnvironment({ stateMachineArn })))
        fn.addEnvironment(name, value);
    }
    if (actions.has('start')) props.stateMachine.grantStartExecution(fn);
    if (actions.has('callback')) props.stateMachine.grantTaskResponse(fn);
    if (actions.has('describe')) props.stateMachine.grantExecution(fn, 'states:DescribeExecution');
    if (actions.has('stop')) props.stateMachine.grantExecution(fn, 'states:StopExecution');
    if (uses.email) {
      props.email.grantSend(fn);
      for (const [name, value] of Object.entries(props.email.environment)) fn.addEnvironment(name, value);
    }
    if (uses.documents) {
      props.documents.grant(fn, uses.documents);
      for (const [name, value] of Object.entries(props.documents.environment)) fn.addEnvironment(name, value);
    }
    if (uses.connectorCredentials) {
      props.connectorSecret.grantRead(fn);
      for (const [name, value] of Object.entries(props.connectorSecret.environment))
        fn.addEnvironment(name, value);
    }
  }

  /** cdk-nag findings that are the design, each with why. */
  private acknowledgeFindings(scope: Construct, spec: FunctionSpec, props: LambdaFunctionsProps): void {
    const validations = Validations.of(scope);
    const stack = Stack.of(this);
    validations.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions.',
    });
    for (const name of Object.keys(spec.uses.tables ?? {}) as TableName[]) {
      if (TABLES[name].globalIndexes.length === 0) continue;
      const cfnTable = props.tables[name].node.defaultChild as Parameters<Stack['getLogicalId']>[0];
      validations.acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(cfnTable)}.Arn>/index/*]`,
        reason: `Queries the global secondary indexes of the ${TABLES[name].id} table it is granted (table/index/*, that table only).`,
      });
    }
    if (spec.uses.documents) props.documents.acknowledgeGrant(scope);
    if (spec.uses.stateMachine?.some((action) => action === 'describe' || action === 'stop')) {
      // The region is literal when the stack's environment names one, a pseudo-parameter otherwise.
      const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
      validations.acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:<AWS::AccountId>:execution:${props.stateMachineName}:*]`,
        reason:
          'Describes (and, for a resume, stops) executions of the onboarding state machine only; execution names are generated per onboarding, so the ARN ends in a wildcard.',
      });
    }
    validations.acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: spec.schedule
        ? 'Invoked by its schedule only, to work from what the tables hold (figures to publish, reminders due today, onboardings to recover): a failed run loses nothing (the next run reads the same data and does what is left), is retried by EventBridge and raises the function error alarm; a dead-letter queue would hold only stale schedule events.'
        : 'Invoked synchronously only (API Gateway Lambda proxy, or a Step Functions task that retries and catches errors in the workflow); a dead-letter queue receives failed asynchronous invocations only and would stay empty.',
    });
    const runtimeReason =
      'Pinned to Node.js 22, the runtime the project develops and tests on (package.json engines and node@22); move with the toolchain, not silently.';
    validations.acknowledge({ id: 'AwsSolutions-L1', reason: runtimeReason });
    validations.acknowledge({ id: 'Serverless-LambdaLatestVersion', reason: runtimeReason });
  }
}
