import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FUNCTIONS, type FunctionSpec } from '../../lambdas/functions';
import { TABLES, type TableName } from '../../lambdas/shared/tables';
import { REPOSITORY_ROOT } from '../../lib/paths';
import { LOCAL_REGION } from '../../local/aws';
import { createTables, startDynamoDb } from '../../local/dynamodb';
import { startStreamProxy, streamTapsFor } from '../../local/dynamodb-streams';
import { lambdaContext } from './api-event';

export interface TestDynamo {
  /** e.g. http://127.0.0.1:41234 */
  readonly endpoint: string;
  /** Physical name of every table in TABLES. */
  readonly tables: Record<TableName, string>;
  /**
   * What a handler or a child process needs to reach this dynalite: the SDK endpoint variable, region,
   * dummy credentials and one variable per table (TABLES[*].envVar).
   */
  readonly env: Record<string, string>;
  /** A document client on this dynalite, for arranging and asserting on items. */
  readonly client: DynamoDBDocumentClient;
  /** Started with `streams`: resolves once every stream record so far reached its consumer. */
  streamsDrained(): Promise<void>;
  /** Sets `env` on process.env (for in-process handlers); `stop` restores the previous values. */
  applyEnv(): void;
  stop(): Promise<void>;
}

/** A declared function by its id: the stream taps name the consumer they feed by id. */
function functionSpec(id: string): FunctionSpec {
  const spec = FUNCTIONS.find((f) => f.id === id);
  if (!spec) throw new RangeError(`No function ${id}`);
  return spec;
}

/**
 * Starts an in-memory dynalite on a free loopback port with every table of TABLES (keys and GSIs), the
 * same way local mode creates them. Call `stop()` in afterAll.
 */
export async function startDynalite(
  options: { tablePrefix?: string; streams?: boolean } = {},
): Promise<TestDynamo> {
  const prefix = options.tablePrefix ?? 'etaal-test-';
  const tables = {} as Record<TableName, string>;
  for (const key of Object.keys(TABLES) as TableName[]) tables[key] = `${prefix}${key}`;

  const db = await startDynamoDb(null);
  try {
    await createTables(db.endpoint, tables);
  } catch (error) {
    await db.stop();
    throw error;
  }

  // With `streams`, handlers and the test's client reach dynalite through the local stream proxy, which
  // feeds the stream consumers (the aggregator) as local mode does.
  const streams = options.streams ? await startStreamProxy(db.endpoint, () => taps) : undefined;
  const taps = streamTapsFor(FUNCTIONS, tables, async (functionId, event) => {
    const module = (await import(join(REPOSITORY_ROOT, functionSpec(functionId).entry))) as {
      handler: (event: unknown, context: unknown) => Promise<unknown>;
    };
    return module.handler(event, lambdaContext(functionId));
  });
  const endpoint = streams?.endpoint ?? db.endpoint;

  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  for (const key of Object.keys(TABLES) as TableName[]) env[TABLES[key].envVar] = tables[key];

  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

  let previousEnv: Record<string, string | undefined> | undefined;
  return {
    endpoint,
    tables,
    async streamsDrained() {
      await streams?.drained();
    },
    env,
    client,
    applyEnv() {
      previousEnv ??= Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
      Object.assign(process.env, env);
    },
    async stop() {
      // The consumers finish what the test's writes started while their tables are still configured.
      await streams?.drained();
      if (previousEnv) {
        for (const [name, value] of Object.entries(previousEnv)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
      client.destroy();
      await streams?.stop();
      await db.stop();
    },
  };
}
