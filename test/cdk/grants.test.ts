import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec, RouteSpec } from '../../lambdas/functions';
import { TABLES, type TableName } from '../../lambdas/shared/tables';
import { createETaalApp } from '../../lib/app';
import {
  actionsOf,
  cdkJsonContext,
  type PolicyStatement,
  resolveValue,
  resourcesOf,
  roleStatements,
  type Synthesized,
  synthesize,
} from './synth';

// Synthetic functions covering every kind of `uses`, so that grants and acknowledgements are checked even
// before the features that need them exist. They all bundle the health handler: only the infrastructure
// around them is under test.
const entry = 'lambdas/health/handler.ts';
const FIXTURE_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Reader',
    entry,
    description: 'reads',
    uses: { tables: { departments: 'read', onboardings: 'read' } },
  },
  {
    id: 'Starter',
    entry,
    description: 'starts and describes, mails',
    uses: { tables: { approvals: 'readWrite' }, stateMachine: ['start', 'describe'], email: true },
  },
  {
    id: 'Callback',
    entry,
    description: 'answers tasks, reads connector credentials',
    uses: { stateMachine: ['callback'], connectorCredentials: true },
  },
  { id: 'WorkflowStep', entry, description: 'a workflow task', uses: { tables: { counts: 'readWrite' } } },
  { id: 'Bare', entry, description: 'uses nothing', uses: {} },
  { id: 'Archivist', entry, description: 'keeps documents', uses: { documents: 'readWrite' } },
];
const FIXTURE_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/things/{thingId}', functionId: 'Reader', auth: 'apiKey' },
  { method: 'POST', path: '/v1/things', functionId: 'Starter', auth: 'apiKey' },
  { method: 'POST', path: '/v1/admin/things', functionId: 'Callback', auth: 'iam' },
  { method: 'GET', path: '/v1/approvals/{token}', functionId: 'Callback', auth: 'none' },
];
const fixtures = {
  functions: FIXTURE_FUNCTIONS,
  routes: FIXTURE_ROUTES,
  definitionFile: join(import.meta.dirname, 'fixtures', 'workflow.asl.json'),
};

const COMMON_ENV = [
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'ESCALATION_LIMIT',
  'PUBLIC_BASE_URL',
  'HOD_SIGNATURE_POLICY',
];
const DYNAMODB_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(fixtures);
});
afterAll(() => synth?.cleanup());

function logicalId(construct: IConstruct | undefined): string {
  if (!construct) throw new Error('construct not found');
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function fn(id: string) {
  return synth.template.findResources('AWS::Lambda::Function')[
    logicalId(synth.stack.lambdas.functions.get(id))
  ];
}

function environmentOf(id: string): Record<string, unknown> {
  return fn(id)?.Properties.Environment.Variables;
}

/** The function's statements beyond the log and X-Ray ones every function has. */
function grantsOf(id: string): PolicyStatement[] {
  const role = synth.stack.lambdas.functions.get(id)?.role;
  return roleStatements(synth.template, logicalId(role)).filter(
    (s) => !actionsOf(s).every((a) => a.startsWith('logs:') || a.startsWith('xray:')),
  );
}

function tableArn(key: TableName): string {
  return `<${logicalId(synth.stack.data.tables[key])}.Arn>`;
}

/** The ARN the deployed state machine will have: built from the name it is created with. */
function stateMachineArn(): string {
  const machine = synth.template.findResources('AWS::StepFunctions::StateMachine')[
    logicalId(synth.stack.workflow.stateMachine)
  ];
  return `arn:aws:states:ap-south-1:123456789012:stateMachine:${machine?.Properties.StateMachineName}`;
}

describe('grants and environment from FunctionSpec.uses', () => {
  it('leaves no cdk-nag finding unacknowledged, whatever a function uses', () => {
    expect(synth.findings).toEqual([]);
    expect(synth.synthError).toBeUndefined();
  });

  it('read access: query and get on the used tables and their indexes, nothing writable, names in env', () => {
    const grants = grantsOf('Reader');
    const resources = [...new Set(grants.flatMap(resourcesOf).map(resolveValue))].sort();
    expect(resources).toEqual(
      [tableArn('departments'), tableArn('onboardings'), `${tableArn('onboardings')}/index/*`].sort(),
    );
    const actions = grants.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const write of DYNAMODB_WRITES) expect(actions).not.toContain(write);
    expect(Object.keys(environmentOf('Reader')).sort()).toEqual(
      [...COMMON_ENV, TABLES.departments.envVar, TABLES.onboardings.envVar].sort(),
    );
    expect(environmentOf('Reader')[TABLES.departments.envVar]).toEqual({
      Ref: logicalId(synth.stack.data.tables.departments),
    });
  });

  it('start/describe/email: the one state machine, its executions, the one identity and configuration set', () => {
    const grants = grantsOf('Starter');
    const by = (action: string) =>
      grants
        .filter((s) => actionsOf(s).includes(action))
        .flatMap(resourcesOf)
        .map(resolveValue);
    // CDK grants a table's data actions on the table and its indexes (the Approvals table has byOnboarding).
    expect(by('dynamodb:PutItem')).toEqual([tableArn('approvals'), `${tableArn('approvals')}/index/*`]);
    expect(by('states:StartExecution')).toEqual([stateMachineArn()]);
    expect(by('states:DescribeExecution')).toEqual([
      `${stateMachineArn().replace(':stateMachine:', ':execution:')}:*`,
    ]);
    // The identity is imported by name (etaal:sesIdentityDomain) unless etaal:createSesIdentity is set.
    expect(by('ses:SendEmail').sort()).toEqual(
      [
        `arn:aws:ses:ap-south-1:123456789012:identity/${cdkJsonContext()['etaal:sesIdentityDomain']}`,
        `arn:aws:ses:ap-south-1:123456789012:configuration-set/<${logicalId(synth.stack.email.configurationSet)}>`,
      ].sort(),
    );
    expect(grants.flatMap(actionsOf)).not.toContain('states:SendTaskSuccess');
    const env = environmentOf('Starter');
    expect(resolveValue(env.STATE_MACHINE_ARN)).toBe(stateMachineArn());
    expect(env.SES_FROM_ADDRESS).toBe(cdkJsonContext()['etaal:senderAddress']);
    expect(env.SES_CONFIGURATION_SET).toEqual({ Ref: logicalId(synth.stack.email.configurationSet) });
  });

  it('callback/connector: task responses on the state machine, read of the connector secret only', () => {
    const grants = grantsOf('Callback');
    expect(grants.flatMap(actionsOf).sort()).toEqual(
      [
        'states:SendTaskFailure',
        'states:SendTaskHeartbeat',
        'states:SendTaskSuccess',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
    const secret = `<${logicalId(synth.stack.connectorSecret.secret)}>`;
    for (const statement of grants) {
      const expected = actionsOf(statement)[0]?.startsWith('states:') ? stateMachineArn() : secret;
      expect(resourcesOf(statement).map(resolveValue)).toEqual([expected]);
    }
    expect(resolveValue(environmentOf('Callback').CONNECTOR_CREDENTIALS_SECRET_ARN)).toBe(secret);
  });

  it('nothing used: no grant beyond its own log group and X-Ray, only the common variables', () => {
    expect(grantsOf('Bare')).toEqual([]);
    const logs = roleStatements(
      synth.template,
      logicalId(synth.stack.lambdas.functions.get('Bare')?.role),
    ).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    expect(logs.flatMap(resourcesOf).map(resolveValue)).toEqual([
      `<${logicalId(synth.stack.lambdas.functions.get('Bare')?.logGroup)}.Arn>`,
    ]);
    expect(Object.keys(environmentOf('Bare')).sort()).toEqual([...COMMON_ENV].sort());
  });

  it('documents: get and put objects under onboardings/ of the documents bucket only, its name in env', () => {
    const grants = grantsOf('Archivist');
    expect(grants.flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    const bucket = logicalId(synth.stack.documents.bucket);
    expect(grants.flatMap(resourcesOf).map(resolveValue)).toEqual([`<${bucket}.Arn>/onboardings/*`]);
    expect(environmentOf('Archivist').DOCUMENTS_BUCKET).toEqual({ Ref: bucket });
  });

  it('lets the state machine invoke only the functions its definition names', () => {
    const statements = roleStatements(synth.template, logicalId(synth.stack.workflow.stateMachine.role));
    const invocable = statements
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .flatMap(resourcesOf)
      .map(resolveValue);
    const workflowStep = `<${logicalId(synth.stack.lambdas.functions.get('WorkflowStep'))}.Arn>`;
    expect(invocable.sort()).toEqual([workflowStep, `${workflowStep}:$LATEST`]);
  });

  it('substitutes an ARN for every function, so any definition can name any of them', () => {
    const sm = synth.template.findResources('AWS::StepFunctions::StateMachine')[
      logicalId(synth.stack.workflow.stateMachine)
    ];
    expect(Object.keys(sm?.Properties.DefinitionSubstitutions).sort()).toEqual(
      FIXTURE_FUNCTIONS.map((f) => `${f.id}FunctionArn`).sort(),
    );
  });
});

describe('synthesis guards', () => {
  it('fails synthesis on a finding nobody acknowledged', () => {
    let flagged: Synthesized | undefined;
    try {
      flagged = synthesize({
        ...fixtures,
        customize: ({ stack }) => {
          new Table(stack, 'Unprotected', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
        },
      });
      expect(flagged.synthError).toBeInstanceOf(Error);
      expect(flagged.findings).toContainEqual(
        expect.objectContaining({
          rule: 'AwsSolutions-DDB3',
          path: 'ETaalDelhi-dev/Service/Unprotected/Resource',
        }),
      );
    } finally {
      flagged?.cleanup();
    }
  });

  it('refuses a definition that names a function FUNCTIONS does not have', () => {
    expect(() =>
      createETaalApp({
        ...fixtures,
        context: cdkJsonContext(),
        definitionFile: join(import.meta.dirname, 'fixtures', 'unknown-function.asl.json'),
      }),
    ).toThrow(/\$\{MissingFunctionArn\}/);
  });

  it('refuses bad context before building anything, naming the key', () => {
    expect(() =>
      createETaalApp({ ...fixtures, context: { ...cdkJsonContext(), 'etaal:escalationLimit': 'many' } }),
    ).toThrow(/etaal:escalationLimit/);
  });
});

describe('context', () => {
  let custom: Synthesized;
  beforeAll(() => {
    custom = synthesize({
      ...fixtures,
      functions: FIXTURE_FUNCTIONS.filter(
        (f) => f.id === 'Bare' || f.id === 'WorkflowStep' || f.id === 'Reader',
      ),
      routes: FIXTURE_ROUTES.filter((r) => r.functionId === 'Reader'),
      // As `cdk synth -c key=value` passes them: strings.
      context: {
        'etaal:stage': 'prod',
        'etaal:apiDomain': 'etaal.example.gov.in',
        'etaal:escalationLimit': '5',
      },
    });
  });
  afterAll(() => custom?.cleanup());

  it('names the stage and stack after the stage, and serves links from the custom domain over TLS 1.2', () => {
    expect(custom.findings).toEqual([]);
    expect(custom.stack.stackName).toBe('ETaalDelhi-prod-Service');
    const env = custom.template.findResources('AWS::Lambda::Function');
    for (const resource of Object.values(env)) {
      expect(resource.Properties.Environment.Variables).toMatchObject({
        PUBLIC_BASE_URL: 'https://etaal.example.gov.in',
        ESCALATION_LIMIT: '5',
      });
    }
    custom.template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'etaal.example.gov.in',
      SecurityPolicy: 'TLS_1_2',
    });
    custom.template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
  });
});
