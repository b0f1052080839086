import type { Server } from 'node:http';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES, type TableName, type TableSpec } from '../lambdas/shared/tables';
import { LOCAL_REGION } from './aws';
import { close, listen, urlOf } from './net';

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts dynalite; `path` is a LevelDB directory (persistent) or null (in memory). */
export async function startDynamoDb(path: string | null, port = 0): Promise<LocalDynamoDb> {
  const server: Server = dynalite({
    ...(path ? { path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const boundPort = await listen(server, port);
  return { endpoint: urlOf(boundPort), port: boundPort, stop: () => close(server) };
}

/**
 * Creates every table of TABLES (keys and GSIs) under the given physical names and waits until each is
 * ACTIVE. Tables that already exist (a persistent data dir) are left as they are.
 */
export async function createTables(endpoint: string, names: Record<TableName, string>): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await Promise.all(
      (Object.entries(TABLES) as [TableName, TableSpec][]).map(async ([key, spec]) => {
        try {
          await client.send(new CreateTableCommand(createTableInput(names[key], spec)));
        } catch (error) {
          if (!(error instanceof ResourceInUseException)) throw error;
        }
        await waitUntilActive(client, names[key]);
      }),
    );
  } finally {
    client.destroy();
  }
}

function createTableInput(name: string, spec: TableSpec) {
  const attributes = new Set<string>([spec.partitionKey]);
  if (spec.sortKey) attributes.add(spec.sortKey);
  for (const index of spec.globalIndexes) {
    attributes.add(index.partitionKey);
    if (index.sortKey) attributes.add(index.sortKey);
  }
  const keySchema = (partitionKey: string, sortKey?: string) => [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map(
      (AttributeName): AttributeDefinition => ({ AttributeName, AttributeType: 'S' }),
    ),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    ...(spec.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: spec.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Table ${name} did not become ACTIVE`);
}
