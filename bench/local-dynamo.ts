import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TABLES, type TableName } from '../lambdas/shared/tables';
import { LOCAL_REGION } from '../local/aws';
import { createTables, type LocalDynamoDb, startDynamoDb } from '../local/dynamodb';

/**
 * An in-memory dynalite with every table, and the environment handlers read (endpoint, table names,
 * Powertools quiet), for the benchmarks. Import handler modules after it: they create clients from it.
 */
export async function startBenchDynamo(
  env: Record<string, string> = {},
  options: { ownProcess?: boolean } = {},
): Promise<{ db: LocalDynamoDb; tables: Record<TableName, string> }> {
  const db = options.ownProcess ? await startDynamoDbProcess() : await startDynamoDb(null);
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
  return { db, tables };
}

/** dynalite in a child process (./dynalite-process.ts), so this process's heap is the code under test's. */
async function startDynamoDbProcess(): Promise<LocalDynamoDb> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./dynalite-process.ts', import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const endpoint = line.toString().trim();
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    stop: async () => {
      child.kill();
      await once(child, 'exit');
    },
  };
}
