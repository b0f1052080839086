import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TABLES, type TableName } from '../lambdas/shared/tables';
import { LOCAL_REGION } from '../local/aws';
import { createTables, type LocalDynamoDb, startDynamoDb } from '../local/dynamodb';
import type { RoundTripTrace } from './latency-proxy';

/** The modeled network of a dynalite started with `rttMs` (./latency-proxy.ts), asked across processes. */
export interface ModeledNetwork {
  readonly rttMs: number;
  /** Starts a trace: the requests seen from now on. */
  mark(): Promise<void>;
  trace(): Promise<RoundTripTrace>;
}

/**
 * An in-memory dynalite with every table, and the environment handlers read (endpoint, table names,
 * Powertools quiet), for the benchmarks. Import handler modules after it: they create clients from it.
 * With `rttMs`, dynalite runs in its own process behind a modeled network round trip (./latency-proxy.ts).
 */
export async function startBenchDynamo(
  env: Record<string, string> = {},
  options: { ownProcess?: boolean; rttMs?: number } = {},
): Promise<{ db: LocalDynamoDb; tables: Record<TableName, string>; network?: ModeledNetwork }> {
  const { db, network } =
    options.ownProcess || options.rttMs !== undefined
      ? await startDynamoDbProcess(options.rttMs)
      : { db: await startDynamoDb(null), network: undefined };
  const tables = {} as Record<TableName, string>;
  for (const key of Object.keys(TABLES) as TableName[]) tables[key] = `bench-${key}`;
  await createTables(db.endpoint, tables);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...Object.fromEntries(
      (Object.keys(TABLES) as TableName[]).map((key) => [TABLES[key].envVar, tables[key]]),
    ),
    ...env,
  });
  return { db, tables, ...(network ? { network } : {}) };
}

/** dynalite in a child process (./dynalite-process.ts), so this process's heap is the code under test's. */
async function startDynamoDbProcess(
  rttMs?: number,
): Promise<{ db: LocalDynamoDb; network: ModeledNetwork | undefined }> {
  const child = fork(
    fileURLToPath(new URL('./dynalite-process.ts', import.meta.url)),
    rttMs === undefined ? [] : [`--rtt=${rttMs}`],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const endpoint = line.toString().trim();
  /** One question at a time: the child answers each message in order. */
  const ask = async (type: 'mark' | 'trace'): Promise<RoundTripTrace> => {
    const answer = once(child, 'message') as Promise<[{ trace: RoundTripTrace }]>;
    child.send({ type });
    return (await answer)[0].trace;
  };
  const db = {
    endpoint,
    port: Number(new URL(endpoint).port),
    stop: async () => {
      child.kill();
      await once(child, 'exit');
    },
  };
  const network =
    rttMs === undefined
      ? undefined
      : {
          rttMs,
          mark: async () => {
            await ask('mark');
          },
          trace: () => ask('trace'),
        };
  return { db, network };
}
