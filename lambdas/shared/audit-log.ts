import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../core/audit-events';
import { dynamo } from './aws';
import { type TableName, tableName } from './tables';

/**
 * Appends one audit entry under a partition (an onboarding, a department, a service code): sort key
 * `AUDIT#<iso time>#<random>`, so a partition's entries sort by time and two at the same millisecond both
 * stay. The put never overwrites (an entry is history). What an entry may say is ../core/audit-events.ts.
 */
export async function putAuditEntry(
  table: TableName,
  pk: string,
  entry: AuditEvent,
  options: { readonly at?: string; readonly attributes?: Readonly<Record<string, string>> } = {},
): Promise<void> {
  const at = options.at ?? new Date().toISOString();
  await dynamo.send(
    new PutCommand({
      TableName: tableName(table),
      Item: { pk, sk: `AUDIT#${at}#${randomUUID()}`, ...options.attributes, at, ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}
