import { TABLES, type TableName } from '../lambdas/shared/tables';
import { LOCAL_REGION } from '../local/aws';
import { createTables, type LocalDynamoDb, startDynamoDb } from '../local/dynamodb';

/**
 * An in-memory dynalite with every table, and the environment handlers read (set on process.env). Import
 * handler modules only after this: they create their clients from the environment.
 */
export async function startBenchStore(
  extraEnv: Record<string, string> = {},
): Promise<{ db: LocalDynamoDb; tables: Record<TableName, string> }> {
  const db = await startDynamoDb(null);
  const tables = {} as Record<TableName, string>;
  for (const key of Object.keys(TABLES) as TableName[]) tables[key] = `bench-${key}`;
  await createTables(db.endpoint, tables);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...Object.fromEntries(
      (Object.keys(TABLES) as TableName[]).map((key) => [TABLES[key].envVar, tables[key]]),
    ),
    ...extraEnv,
  });
  return { db, tables };
}
