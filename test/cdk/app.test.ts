import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URL_CREDENTIALS_ENV } from '../../lambdas/connector/settings';
import { FUNCTIONS, ROUTES } from '../../lambdas/functions';
import { BUCKETS } from '../../lambdas/shared/buckets';
import {
  METRICS_NAMESPACE,
  OPERATOR_SIGNALS,
  type OperatorSignal,
  SERVICE_NAME,
} from '../../lambdas/shared/operator-signals';
import { SETTINGS } from '../../lambdas/shared/settings';
import { TABLES, type TableName } from '../../lambdas/shared/tables';
import { METHOD_THROTTLES, PER_IP_RATE_LIMITS, routeBudget } from '../../lib/edge-limits';
import { REPOSITORY_ROOT } from '../../lib/paths';
import { RUNBOOK_PATH, runbookDescription, withFunctionAlarmSections } from '../../lib/runbook';
import {
  actionsOf,
  referencedLogicalIds,
  resolveValue,
  resourcesOf,
  roleStatements,
  type Synthesized,
  synthesize,
} from './synth';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

// The app exactly as `npm run synth` builds it: every FunctionSpec and RouteSpec, the real ASL.
let synth: Synthesized;
// Bundling every function with esbuild is the slow part: well under a minute on an idle 2-core machine,
// over the default hook timeout when the machine is shared (several test runs at once). Not a speed check.
beforeAll(() => {
  synth = synthesize();
}, 240_000);
afterAll(() => synth?.cleanup());

const STREAM_READ_ACTIONS = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
]);

function logicalId(construct: IConstruct | undefined): string {
  if (!construct) throw new Error('construct not found');
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The synthesized resource of a construct (the template is JSON: its properties are untyped). */
function resourceOf(type: string, construct: IConstruct | undefined) {
  const resource = synth.template.findResources(type)[logicalId(construct)];
  if (!resource) throw new Error(`No ${type} ${logicalId(construct)} in the template`);
  return resource;
}

function stateMachineProperties() {
  return resourceOf('AWS::StepFunctions::StateMachine', synth.stack.workflow.stateMachine).Properties;
}

/** The definition as deployed: the asset CloudFormation reads, before substitution. */
function definitionText(): string {
  const key = stateMachineProperties().DefinitionS3Location.Key as string;
  return readFileSync(join(synth.outdir, `asset.${key}`), 'utf8');
}

describe('cdk synth of the app', () => {
  it('passes the AWS Solutions and Serverless cdk-nag packs with every finding acknowledged', () => {
    expect(synth.findings).toEqual([]);
    expect(synth.synthError).toBeUndefined();
  });

  it('emits no CDK warning or error annotation', () => {
    const annotations = Annotations.fromStack(synth.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('operations', () => {
  it('alarms on API 5xx, each function failing, failed or timed-out onboardings and each table throttling', () => {
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties,
    );
    const onMetric = (namespace: string, metric: string) =>
      alarms.filter((a) => a.Namespace === namespace && a.MetricName === metric);
    expect(onMetric('AWS/ApiGateway', '5XXError')).toHaveLength(1);
    expect(onMetric('AWS/Lambda', 'Errors')).toHaveLength(FUNCTIONS.length);
    expect(onMetric('AWS/States', 'ExecutionsFailed')).toHaveLength(1);
    expect(onMetric('AWS/States', 'ExecutionsTimedOut')).toHaveLength(1);
    const throttleAlarms = alarms.filter((a) =>
      (a.Metrics ?? []).some(
        (m: { MetricStat?: { Metric: { MetricName: string } } }) =>
          m.MetricStat?.Metric.MetricName === 'WriteThrottleEvents',
      ),
    );
    expect(throttleAlarms).toHaveLength(Object.keys(TABLES).length);
    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it.each(Object.keys(OPERATOR_SIGNALS) as OperatorSignal[])(
    'alarms on %s as the functions publish it (namespace and service dimension), saying what to do',
    (signal) => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: signal,
        Dimensions: [{ Name: 'service', Value: `${SERVICE_NAME}-dev` }],
        AlarmDescription: runbookDescription(signal, OPERATOR_SIGNALS[signal]),
        Threshold: 1,
      });
      const environments = Object.values(synth.template.findResources('AWS::Lambda::Function')).map(
        (f) => f.Properties.Environment.Variables,
      );
      for (const env of environments) {
        expect(env).toMatchObject({
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          POWERTOOLS_SERVICE_NAME: `${SERVICE_NAME}-dev`,
        });
      }
    },
  );
});

describe('function environments', () => {
  it('hold only declared settings, table and bucket names (lambdas/shared/settings.ts), and the runtime’s source maps', () => {
    const declared = new Set([
      'NODE_OPTIONS',
      ...Object.values(SETTINGS).map((setting) => setting.envVar),
      ...Object.values(TABLES).map((table) => table.envVar),
      ...Object.values(BUCKETS).map((bucket) => bucket.envVar),
    ]);
    const functions = synth.template.findResources('AWS::Lambda::Function');
    const undeclared = Object.entries(functions).flatMap(([id, fn]) =>
      Object.keys(fn.Properties.Environment?.Variables ?? {})
        .filter((name) => !declared.has(name))
        .map((name) => `${id}: ${name}`),
    );
    expect(undeclared).toEqual([]);
  });
});

describe('tables', () => {
  it.each(Object.keys(TABLES) as TableName[])(
    '%s: on demand, PITR, retained and deletion-protected, AWS-managed encryption, generated name',
    (key) => {
      const spec = TABLES[key];
      const resource = resourceOf('AWS::DynamoDB::Table', synth.stack.data.tables[key]);
      expect(resource).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            ...('sortKey' in spec ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' }] : []),
          ],
        },
      });
      expect(resource.Properties).not.toHaveProperty('TableName');
      const indexes = (resource.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[];
      expect(indexes.map((i) => i.IndexName)).toEqual(spec.globalIndexes.map((i) => i.name));
      if ('ttlAttribute' in spec) {
        expect(resource.Properties.TimeToLiveSpecification).toEqual({
          AttributeName: spec.ttlAttribute,
          Enabled: true,
        });
      } else {
        expect(resource.Properties).not.toHaveProperty('TimeToLiveSpecification');
      }
      synth.template.hasOutput(`${key}TableName`, {
        Value: { Ref: logicalId(synth.stack.data.tables[key]) },
      });
    },
  );
});

describe('count aggregation', () => {
  it('feeds the Counts stream to the aggregator in batches, with bisect, partial failures and an encrypted failure queue', () => {
    const counts = resourceOf('AWS::DynamoDB::Table', synth.stack.data.tables.counts);
    expect(counts.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(synth.stack.data.tables.counts), 'StreamArn'] },
      FunctionName: {
        Ref: logicalId(synth.stack.lambdas.functions.get('AggregateCounts')),
      },
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    synth.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });
});

describe('functions', () => {
  it.each(FUNCTIONS.map((f) => [f.id, f] as const))(
    '%s: nodejs22.x+ on arm64, traced, bundled as minified ESM',
    (id) => {
      const fn = synth.stack.lambdas.functions.get(id);
      const properties = resourceOf('AWS::Lambda::Function', fn).Properties;
      expect(Number(/^nodejs(\d+)\.x$/.exec(properties.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
      expect(properties).toMatchObject({
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_METRICS_NAMESPACE: 'ETaalDelhi' },
        },
      });
      const assetDir = join(synth.outdir, `asset.${(properties.Code.S3Key as string).replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire as __etaalCreateRequire } from 'node:module';")).toBe(
        true,
      );
      expect(bundle).toMatch(/export\s*\{[^}]*as handler/);
      expect(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')).toContain('"sources"');
    },
  );

  it("ApiReference: the deployed bundle serves Redoc's viewer from the file CDK copied beside it", async () => {
    const properties = resourceOf(
      'AWS::Lambda::Function',
      synth.stack.lambdas.functions.get('ApiReference'),
    ).Properties;
    const assetDir = join(synth.outdir, `asset.${(properties.Code.S3Key as string).replace(/\.zip$/, '')}`);
    const viewer = readFileSync(join(assetDir, 'redoc.standalone.js'), 'utf8');
    const bundle = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const response = await bundle.handler(
      {
        httpMethod: 'GET',
        resource: '/docs/redoc.standalone.js',
        path: '/docs/redoc.standalone.js',
        headers: {},
        requestContext: { requestId: 'cdk-test' },
      },
      { awsRequestId: 'cdk-test', functionName: 'ApiReference', getRemainingTimeInMillis: () => 10_000 },
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(viewer);
  });

  it('ships the dashboard chart script and stylesheet beside the Dashboard function, Chart.js bundled in', () => {
    const properties = resourceOf(
      'AWS::Lambda::Function',
      synth.stack.lambdas.functions.get('Dashboard'),
    ).Properties;
    const assetDir = join(synth.outdir, `asset.${(properties.Code.S3Key as string).replace(/\.zip$/, '')}`);
    const script = readFileSync(join(assetDir, 'browser-assets', 'dashboard.js'), 'utf8');
    expect(script).toContain('Chart.js');
    expect(script).not.toMatch(/https?:\/\/cdn/);
    expect(readFileSync(join(assetDir, 'browser-assets', 'dashboard.css'), 'utf8')).toContain('.chart');
  });

  it('runs every scheduled function from an EventBridge rule at its rate, with retries', () => {
    for (const spec of FUNCTIONS.filter((f) => f.schedule)) {
      const arn = { 'Fn::GetAtt': [logicalId(synth.stack.lambdas.functions.get(spec.id)), 'Arn'] };
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: `rate(${spec.schedule?.everyMinutes === 60 ? '1 hour' : `${spec.schedule?.everyMinutes} minutes`})`,
        State: 'ENABLED',
        Targets: Match.arrayWith([Match.objectLike({ Arn: arn, RetryPolicy: { MaximumRetryAttempts: 2 } })]),
      });
    }
    expect(FUNCTIONS.some((f) => f.id === 'DashboardMetrics' && f.schedule)).toBe(true);
  });

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))(
    '%s: IAM only on the tables it uses, never * for data, workflow or mail actions',
    (id, spec) => {
      const fn = synth.stack.lambdas.functions.get(id);
      const statements = roleStatements(synth.template, logicalId(fn?.role));
      const tableIds = new Set(
        (Object.keys(TABLES) as TableName[]).map((key) => logicalId(synth.stack.data.tables[key])),
      );
      const allowedTableIds = new Set(
        (Object.keys(spec.uses.tables ?? {}) as TableName[]).map((key) =>
          logicalId(synth.stack.data.tables[key]),
        ),
      );
      // A stream consumer reads its table's stream, and only the stream.
      const streamTableId =
        spec.consumesStreamOf && logicalId(synth.stack.data.tables[spec.consumesStreamOf]);
      for (const statement of statements) {
        // dynamodb:ListStreams (a stream consumer's event source needs it) has no resource type: it can only
        // be granted on *, and reads no data.
        const sensitive = actionsOf(statement).some(
          (a) => /^(dynamodb|states|ses|secretsmanager):/.test(a) && a !== 'dynamodb:ListStreams',
        );
        if (sensitive) expect(resourcesOf(statement)).not.toContain('*');
        const grantedTables = [...referencedLogicalIds(statement.Resource)].filter((ref) =>
          tableIds.has(ref),
        );
        for (const table of grantedTables) {
          if (table === streamTableId && !allowedTableIds.has(table)) {
            expect(actionsOf(statement).every((a) => STREAM_READ_ACTIONS.has(a))).toBe(true);
          } else {
            expect(allowedTableIds).toContain(table);
          }
        }
      }
    },
  );
});

describe('API', () => {
  it('logs access as JSON, traces, throttles the stage and keeps request data out of execution logs', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('^\\{.*"requestId":"\\$context.requestId"'),
      },
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]),
    });
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s exists, proxies to its function, with its auth',
    (_name, route) => {
      const resources = synth.template.findResources('AWS::ApiGateway::Resource');
      const pathOf = (id: string): string => {
        const parent = resources[id]?.Properties.ParentId as { Ref?: string };
        const part = resources[id]?.Properties.PathPart as string;
        return parent.Ref && resources[parent.Ref] ? `${pathOf(parent.Ref)}/${part}` : `/${part}`;
      };
      const fnId = logicalId(synth.stack.lambdas.functions.get(route.functionId));
      const methods = Object.values(synth.template.findResources('AWS::ApiGateway::Method')).filter((m) => {
        const ref = (m.Properties.ResourceId as { Ref?: string }).Ref;
        return m.Properties.HttpMethod === route.method && ref && pathOf(ref) === route.path;
      });
      expect(methods).toHaveLength(1);
      expect(methods[0]?.Properties).toMatchObject({
        AuthorizationType: route.auth === 'iam' ? 'AWS_IAM' : 'NONE',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
      expect(referencedLogicalIds(methods[0]?.Properties.Integration)).toContain(fnId);
      const integration = methods[0]?.Properties.Integration as Record<string, unknown>;
      const uri = JSON.stringify(integration.Uri);
      if (route.responseTransferMode === 'STREAM') {
        // Streamed: InvokeWithResponseStream, and API Gateway waits longer than the function may run.
        const timeoutSeconds = FUNCTIONS.find((f) => f.id === route.functionId)?.timeoutSeconds ?? 10;
        expect(integration.ResponseTransferMode).toBe('STREAM');
        expect(uri).toContain('response-streaming-invocations');
        expect(integration.TimeoutInMillis).toBeGreaterThan(timeoutSeconds * 1000);
      } else {
        expect(integration.ResponseTransferMode ?? 'BUFFERED').toBe('BUFFERED');
        expect(uri).not.toContain('response-streaming-invocations');
      }
    },
  );

  it('never logs a query string (the connector may take credentials in the URL), which stays off by default', () => {
    const stage = Object.values(synth.template.findResources('AWS::ApiGateway::Stage'))[0];
    const format = String(stage?.Properties.AccessLogSetting.Format);
    expect(format).not.toMatch(
      /\$context\.(path|requestOverride|resourcePath\b.*query)|querystring|\$input/i,
    );
    const connector = resourceOf(
      'AWS::Lambda::Function',
      synth.stack.lambdas.functions.get('ETaalConnector'),
    );
    expect(connector.Properties.Environment.Variables[URL_CREDENTIALS_ENV]).toBe('false');
  });

  it('alarms on a burst of wrong connector credentials', () => {
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('guessing NIC'),
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'ConnectorCalls',
              Dimensions: Match.arrayWith([{ Name: 'outcome', Value: 'badCredentials' }]),
            }),
          }),
        }),
      ]),
    });
  });

  it('gives every function the public base URL without referencing the deployment stage', () => {
    for (const fn of synth.stack.lambdas.functions.values()) {
      const env = resourceOf('AWS::Lambda::Function', fn).Properties.Environment.Variables;
      const refs = referencedLogicalIds(env.PUBLIC_BASE_URL);
      expect([...refs]).toEqual([logicalId(synth.stack.api.restApi)]);
    }
  });
});

describe('onboarding state machine', () => {
  it('is STANDARD with ALL logging but no execution data (task tokens, contact details), and X-Ray tracing', () => {
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [Match.anyValue()] },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('synthesizes to a valid JSONPath ASL definition once every substitution is an ARN', () => {
    let definition = definitionText();
    const properties = stateMachineProperties();
    for (const name of Object.keys(properties.DefinitionSubstitutions ?? {})) {
      definition = definition.replaceAll(
        `\${${name}}`,
        `arn:aws:lambda:ap-south-1:123456789012:function:${name}`,
      );
    }
    expect(definition).not.toMatch(/\$\{[A-Za-z0-9_]+\}/);
    const parsed = JSON.parse(definition);
    expect(parsed.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    const result = aslValidator(parsed, { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('may invoke exactly the functions its definition names (unqualified or $LATEST), no others', () => {
    const named = [...definitionText().matchAll(/\$\{([A-Za-z0-9]+)FunctionArn\}/g)].map(
      (m) => m[1] as string,
    );
    const expected = [...new Set(named)].flatMap((id) => {
      const arn = `<${logicalId(synth.stack.lambdas.functions.get(id))}.Arn>`;
      return [arn, `${arn}:$LATEST`];
    });
    const invocable = roleStatements(synth.template, logicalId(synth.stack.workflow.stateMachine.role))
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .flatMap(resourcesOf)
      .map(resolveValue);
    expect(invocable.sort()).toEqual(expected.sort());
  });
});

describe('issue 8: operators are told, workflows recover, deploys succeed twice', () => {
  it('sends every alarm ALARM and OK to the encrypted alarm topic, and names its runbook section', () => {
    const topicId = logicalId(synth.stack.alerting.topic);
    const runbook = readFileSync(join(REPOSITORY_ROOT, RUNBOOK_PATH), 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^#{2,3} (\S+)$/gm)].map((m) => (m[1] as string).toLowerCase()),
    );
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(FUNCTIONS.length);
    for (const { Properties: alarm } of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmDescription).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, alarm.AlarmDescription).toEqual([{ Ref: topicId }]);
      const anchor = /Runbook: docs\/runbook\.md#([a-z0-9-]+)$/.exec(alarm.AlarmDescription)?.[1];
      expect(anchor && anchors.has(anchor), alarm.AlarmDescription).toBe(true);
    }
    expect(withFunctionAlarmSections(runbook, FUNCTIONS)).toBe(runbook);
    const topic = resourceOf('AWS::SNS::Topic', synth.stack.alerting.topic);
    expect(topic.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [logicalId(synth.stack.alerting.key), 'Arn'],
    });
    expect(resourceOf('AWS::KMS::Key', synth.stack.alerting.key).Properties.EnableKeyRotation).toBe(true);
    // cdk.json names nobody: subscribers come from etaal:alarmEmails only.
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('puts the stage in the metrics service dimension and the REST API name', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'etaal-delhi-dev' });
    const signals = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.Namespace === METRICS_NAMESPACE,
    );
    for (const a of signals)
      expect(a.Properties.Dimensions).toEqual([{ Name: 'service', Value: 'etaal-delhi-dev' }]);
  });

  it('lets no Task Catch of the deployed definition lead to a Fail state, and resumes at any step', () => {
    type S = {
      Type: string;
      Catch?: { Next: string }[];
      Branches?: { States: Record<string, S> }[];
      Parameters?: { FunctionName?: string };
    };
    // The needs-admin waits themselves have no catch: their failure fails the execution, which the sweep resumes.
    const isNeedsAdmin = (s: S) => String(s.Parameters?.FunctionName).includes('OnboardingNeedsAdmin');
    const definition = JSON.parse(definitionText()) as { StartAt: string; States: Record<string, S> };
    const walk = (states: Record<string, S>): number =>
      Object.values(states).reduce((tasks, state) => {
        for (const c of state.Catch ?? []) {
          if (state.Type === 'Task') expect(states[c.Next]?.Type).not.toBe('Fail');
        }
        if (state.Type === 'Task' && !isNeedsAdmin(state))
          expect(state.Catch?.length ?? 0).toBeGreaterThan(0);
        return (
          tasks +
          (state.Type === 'Task' ? 1 : 0) +
          (state.Branches ?? []).reduce((n, b) => n + walk(b.States), 0)
        );
      }, 0);
    expect(walk(definition.States)).toBeGreaterThan(40);
    expect(definition.StartAt).toBe('Start or resume');
  });

  it('keeps state machine logs under /aws/vendedlogs/states/ and runs the recovery sweep on a schedule', () => {
    const logGroups = Object.values(synth.template.findResources('AWS::Logs::LogGroup')).map(
      (g) => g.Properties.LogGroupName,
    );
    expect(logGroups).toContain('/aws/vendedlogs/states/ETaalDelhi-dev-Service-Onboarding');
    synth.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
  });

  it('imports the SES identity by default and never retains the connector secret of a failed create', () => {
    synth.template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    const secret = resourceOf('AWS::SecretsManager::Secret', synth.stack.connectorSecret.secret);
    expect(secret.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('keeps every API-facing function below API Gateway’s 29-second integration timeout', () => {
    // A streamed route's integration waits up to its own, longer timeout (no 29 s limit): lib/rest-api.ts.
    const apiFunctions = new Set(
      ROUTES.filter((r) => r.responseTransferMode !== 'STREAM').map((r) => r.functionId),
    );
    for (const id of apiFunctions) {
      const fn = resourceOf('AWS::Lambda::Function', synth.stack.lambdas.functions.get(id));
      expect(fn.Properties.Timeout, id).toBeLessThan(29);
    }
  });

  it('gives the reports a full vCPU (1,769 MB): a year by date and service is grouped in memory', () => {
    const fn = resourceOf('AWS::Lambda::Function', synth.stack.lambdas.functions.get('Reports'));
    expect(fn.Properties.MemorySize).toBe(1769);
  });
});

describe('edge limits (issue 11)', () => {
  const webAcl = () => {
    const [acl] = Object.values(synth.template.findResources('AWS::WAFv2::WebACL'));
    if (!acl) throw new Error('no web ACL');
    return acl.Properties as { Rules: { Name: string; Statement: Record<string, unknown> }[] };
  };

  it('puts a WAF web ACL on the stage: managed rule groups, per-IP rate limits, body sizes', () => {
    synth.template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    synth.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const names = webAcl().Rules.map((r) => r.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesCommonRuleSet',
        ...PER_IP_RATE_LIMITS.map((l) => l.name),
      ]),
    );
    for (const limit of PER_IP_RATE_LIMITS) {
      const rule = webAcl().Rules.find((r) => r.Name === limit.name);
      expect(rule?.Statement).toMatchObject({
        RateBasedStatement: { Limit: limit.limit, AggregateKeyType: 'IP', EvaluationWindowSec: 60 },
      });
    }
    const connector = PER_IP_RATE_LIMITS.find((l) => l.budgets.includes('connector'));
    const unauthenticated = PER_IP_RATE_LIMITS.find((l) => l.budgets.includes('approvals'));
    expect(connector?.limit).toBeLessThan(unauthenticated?.limit ?? 0);
  });

  it('gives the department API, approvals and the connector separate per-method budgets', () => {
    const [stage] = Object.values(synth.template.findResources('AWS::ApiGateway::Stage'));
    const settings = stage?.Properties.MethodSettings as {
      ResourcePath: string;
      HttpMethod: string;
      ThrottlingRateLimit: number;
      LoggingLevel?: string;
    }[];
    for (const route of ROUTES) {
      const setting = settings.find(
        (s) => s.ResourcePath === `/${route.path.replaceAll('/', '~1')}` && s.HttpMethod === route.method,
      );
      expect(setting?.ThrottlingRateLimit, `${route.method} ${route.path}`).toBe(
        METHOD_THROTTLES[routeBudget(route)].rateLimit,
      );
      if (routeBudget(route) === 'approvals') expect(setting?.LoggingLevel).toBe('OFF');
    }
  });

  it('admits only the admin role on the IAM-authorised routes; any other principal is denied', () => {
    const [api] = Object.values(synth.template.findResources('AWS::ApiGateway::RestApi'));
    const statements = api?.Properties.Policy.Statement as {
      Effect: string;
      Resource: string | string[];
      Condition?: Record<string, Record<string, unknown>>;
    }[];
    const deny = statements.find((s) => s.Effect === 'Deny');
    const adminRoutes = ROUTES.filter((r) => r.auth === 'iam');
    expect(deny?.Resource).toEqual(adminRoutes.map((r) => `execute-api:/*/${r.method}${r.path}`));
    expect(deny?.Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [logicalId(synth.stack.api.adminRole), 'Arn'] } },
    });
  });

  it("answers at the edge with problems whose types resolve under the API's base URL, like the handlers'", () => {
    const [acl] = Object.values(synth.template.findResources('AWS::WAFv2::WebACL'));
    const bodies = acl?.Properties.CustomResponseBodies as Record<string, { Content: unknown }>;
    const [throttled] = Object.values(
      synth.template.findResources('AWS::ApiGateway::GatewayResponse', {
        Properties: { ResponseType: 'THROTTLED' },
      }),
    );
    expect(throttled?.Properties).toMatchObject({
      StatusCode: '429',
      ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
    });
    const restApi = logicalId(synth.stack.api.restApi);
    // The connector's XML answers and the allow-list's 403 (with etaal:connectorAllowedCidrs only) are
    // checked in ./web-acl.test.ts.
    for (const [content, slug] of [
      [bodies.tooManyRequests?.Content, 'address-rate-limit'],
      [bodies.payloadTooLarge?.Content, 'payload-too-large'],
      [throttled?.Properties.ResponseTemplates['application/json'], 'api-throttled'],
    ] as const) {
      // The base URL is built from the API id (lib/rest-api.ts publicBaseUrl): the type is absolute.
      const text = JSON.stringify(content);
      expect(text, slug).toContain(`{\\"type\\":\\"https://`);
      expect(text, slug).toContain(`/docs/problems/${slug}\\"`);
      expect(text, slug).toContain(`{"Ref":"${restApi}"}`);
    }
  });

  it('never samples an approval link for X-Ray', () => {
    synth.template.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({ URLPath: '*/approvals/*', FixedRate: 0, ReservoirSize: 0 }),
    });
  });
});
