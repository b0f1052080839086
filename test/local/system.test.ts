import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { TABLES, type TableName } from '../../lambdas/shared/tables';
import { FunctionRegistry } from '../../local/lambda';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../local/system';
import { eventually, readMailbox } from '../support/local-system';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'callbacks.asl.json');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const tokens: string[] = [];

/** Handlers as the system's are written: SDK clients with no endpoint, configured by the environment. */
const functions = FunctionRegistry.fromHandlers({
  Prepare: async () => ({ greeting: 'hello' }),
  Notify: async (event) => {
    tokens.push((event as { taskToken: string }).taskToken);
    return null;
  },
  Probe: async (event) => {
    const { body } = event as APIGatewayProxyEvent;
    const { id } = JSON.parse(body ?? '{}') as { id: string };
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    await dynamo.send(new PutCommand({ TableName: process.env.CONFIG_TABLE, Item: { pk: id, sk: 'PROBE' } }));
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: process.env.CONFIG_TABLE, Key: { pk: id, sk: 'PROBE' } }),
    );
    await new SESv2Client({}).send(
      new SendEmailCommand({
        FromEmailAddress: process.env.SES_FROM_ADDRESS,
        Destination: { ToAddresses: ['nodal.officer@delhi.gov.in'] },
        Content: {
          Simple: {
            Subject: { Data: `Probe ${id}` },
            Body: {
              Text: { Data: `Link: ${process.env.PUBLIC_BASE_URL}/x` },
              Html: { Data: '<p>probe</p>' },
            },
          },
        },
      }),
    );
    const { executionArn } = await new SFNClient({}).send(
      new StartExecutionCommand({
        stateMachineArn: process.env.STATE_MACHINE_ARN,
        input: '{"mode":"plain"}',
      }),
    );
    return { statusCode: 200, body: JSON.stringify({ item: Item, executionArn }) };
  },
});

const options = (dataDir: string | null): LocalSystemOptions => ({
  port: 0,
  dataDir,
  definitionPath: FIXTURE,
  functions,
  routes: [{ method: 'POST', path: '/probe', functionId: 'Probe', auth: 'none' }],
});

let system: LocalSystem | undefined;
const dataDirs: string[] = [];

afterEach(async () => {
  await system?.stop();
  system = undefined;
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temporaryDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'etaal-local-'));
  dataDirs.push(dir);
  return dir;
}

describe('startLocalSystem', () => {
  it('creates every table with its keys and global secondary indexes', async () => {
    system = await startLocalSystem(options(null));
    const dynamo = new DynamoDBClient({
      endpoint: system.endpoints.dynamodb,
      region: system.region,
      credentials,
    });

    for (const [key, spec] of Object.entries(TABLES)) {
      const { Table } = await dynamo.send(
        new DescribeTableCommand({ TableName: system.tables[key as TableName] }),
      );
      expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(
        [spec.partitionKey, 'sortKey' in spec ? spec.sortKey : undefined].filter(Boolean),
      );
      expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)).toEqual(
        spec.globalIndexes.map((i) => i.name),
      );
    }
    dynamo.destroy();
  });

  it('lets handlers reach DynamoDB, SES and Step Functions through the SDK endpoint variables alone', async () => {
    system = await startLocalSystem(options(null));

    const response = await fetch(`${system.apiUrl}/probe`, {
      method: 'POST',
      body: JSON.stringify({ id: 'p1' }),
    });

    expect(response.status).toBe(200);
    const { item, executionArn } = (await response.json()) as { item: unknown; executionArn: string };
    expect(item).toEqual({ pk: 'p1', sk: 'PROBE' });
    expect(executionArn).toMatch(/^arn:aws:states:ap-south-1:000000000000:execution:/);
    const [email] = await readMailbox(system.mailboxUrl);
    expect(email).toMatchObject({
      from: 'no-reply@etaal-delhi.local',
      to: ['nodal.officer@delhi.gov.in'],
      subject: 'Probe p1',
      text: `Link: ${system.apiUrl}/x`,
      html: '<p>probe</p>',
    });
  });

  it('writes runtime.json for the admin CLI while it runs', async () => {
    const dataDir = temporaryDataDir();
    system = await startLocalSystem(options(dataDir));

    const runtimeFile = join(dataDir, 'runtime.json');
    expect(system.runtimeFile).toBe(runtimeFile);
    expect(JSON.parse(readFileSync(runtimeFile, 'utf8'))).toEqual({
      region: 'ap-south-1',
      endpoints: system.endpoints,
      tables: system.tables,
      buckets: system.buckets,
      stateMachineArn: system.stateMachineArn,
      apiUrl: system.apiUrl,
      mailboxUrl: system.mailboxUrl,
      sesFromAddress: 'no-reply@etaal-delhi.local',
    });
    await system.stop();
    expect(existsSync(runtimeFile)).toBe(false);
  });

  it('keeps data across a restart on the same data dir; a running execution ends ABORTED', async () => {
    const dataDir = temporaryDataDir();
    system = await startLocalSystem(options(dataDir));
    const first = system;
    const dynamo = () =>
      DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: first.endpoints.dynamodb, region: first.region, credentials }),
      );
    await dynamo().send(
      new PutCommand({ TableName: system.tables.departments, Item: { pk: 'DEPT#1', sk: 'PROFILE' } }),
    );
    const sfn = new SFNClient({ endpoint: system.endpoints.sfn, region: system.region, credentials });
    tokens.length = 0;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: system.stateMachineArn, input: '{"mode":"single"}' }),
    );
    const token = await eventually('a task token', () => tokens[0]);
    await system.stop();

    system = await startLocalSystem(options(dataDir));

    expect(system.endpoints).toEqual(first.endpoints);
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: system.tables.departments, Key: { pk: 'DEPT#1', sk: 'PROFILE' } }),
    );
    expect(Item).toEqual({ pk: 'DEPT#1', sk: 'PROFILE' });
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'Local.RuntimeStopped' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    sfn.destroy();
  });

  it('sets the handler environment while running and restores the previous one on stop', async () => {
    const before = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    system = await startLocalSystem({ ...options(null), timeScale: 17280, env: { ESCALATION_LIMIT: '5' } });

    expect(process.env).toMatchObject({
      AWS_REGION: 'ap-south-1',
      AWS_ENDPOINT_URL_DYNAMODB: system.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SESV2: system.endpoints.sesv2,
      AWS_ENDPOINT_URL_SFN: system.endpoints.sfn,
      STATE_MACHINE_ARN: system.stateMachineArn,
      PUBLIC_BASE_URL: system.apiUrl,
      ETAAL_TIME_SCALE: '17280',
      ESCALATION_LIMIT: '5',
      ONBOARDINGS_TABLE: 'etaal-local-onboardings',
    });
    await system.stop();
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(before);
  });

  it('refuses a data dir another running process holds, and takes over one left by a crash', async () => {
    const held = temporaryDataDir();
    writeFileSync(join(held, 'local.pid'), String(process.ppid));
    const abandoned = temporaryDataDir();
    writeFileSync(join(abandoned, 'local.pid'), '4194305');

    await expect(startLocalSystem(options(held))).rejects.toThrow(/in use by process/);
    system = await startLocalSystem(options(abandoned));
    expect(readFileSync(join(abandoned, 'local.pid'), 'utf8')).toBe(String(process.pid));
  });

  it('refuses a second system in the same process while one runs', async () => {
    system = await startLocalSystem(options(null));

    await expect(startLocalSystem(options(null))).rejects.toThrow(/already running/);
  });
});
