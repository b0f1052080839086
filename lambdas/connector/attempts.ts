import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unavailableOnFailure } from '../counts/batch';
import { dynamo } from '../shared/aws';
import { conditionalWrite, writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import {
  BLOCK_SECONDS,
  expiresAtEpochSeconds,
  type FailureRecord,
  WINDOW_SECONDS,
  windowFloor,
} from './lockout';

/**
 * ConnectorAttempts table: one item per source address with failed credential attempts
 * (pk = SOURCE#<ip>, windowStartedAt, failures, lastFailureAt, expiresAtEpoch). Single-item conditional
 * writes and an atomic counter, so concurrent failures from one address are all counted; the rules are in
 * ./lockout.
 */

const key = (sourceIp: string) => ({ pk: `SOURCE#${sourceIp}` });

export async function getFailures(sourceIp: string): Promise<FailureRecord | undefined> {
  const { Item } = await unavailableOnFailure(() =>
    dynamo.send(
      new GetCommand({ TableName: tableName('connectorAttempts'), Key: key(sourceIp), ConsistentRead: true }),
    ),
  );
  if (!Item) return undefined;
  return {
    windowStartedAt: Number(Item.windowStartedAt),
    failures: Number(Item.failures),
    lastFailureAt: Number(Item.lastFailureAt),
  };
}

/** Counts a failure in the address's current window, or opens a new window; returns the record after it. */
export async function recordFailure(sourceIp: string, now: number): Promise<FailureRecord> {
  for (let attempt = 0; ; attempt++) {
    const counted = await conditionalWrite(
      unavailableOnFailure(() =>
        dynamo.send(
          new UpdateCommand({
            TableName: tableName('connectorAttempts'),
            Key: key(sourceIp),
            UpdateExpression: 'ADD failures :one SET lastFailureAt = :now, expiresAtEpoch = :expires',
            ConditionExpression: 'windowStartedAt > :floor',
            ExpressionAttributeValues: {
              ':one': 1,
              ':now': now,
              ':floor': windowFloor(now),
              ':expires': Math.ceil(now / 1000) + WINDOW_SECONDS + BLOCK_SECONDS + 60,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      ),
    );
    if (counted) {
      return {
        windowStartedAt: Number(counted.Attributes?.windowStartedAt),
        failures: Number(counted.Attributes?.failures),
        lastFailureAt: Number(counted.Attributes?.lastFailureAt),
      };
    }
    const fresh: FailureRecord = { windowStartedAt: now, failures: 1, lastFailureAt: now };
    const opened = await writeIf(
      unavailableOnFailure(() =>
        dynamo.send(
          new PutCommand({
            TableName: tableName('connectorAttempts'),
            Item: { ...key(sourceIp), ...fresh, expiresAtEpoch: expiresAtEpochSeconds(fresh) },
            ConditionExpression: 'attribute_not_exists(pk) OR windowStartedAt <= :floor',
            ExpressionAttributeValues: { ':floor': windowFloor(now) },
          }),
        ),
      ),
    );
    if (opened) return fresh;
    // Another failure from the same address opened the window first: count this one in it.
    if (attempt >= 3) throw new Error(`Could not record a connector failure for ${sourceIp}`);
  }
}

/** A correct attempt that was allowed starts the address afresh. */
export async function clearFailures(sourceIp: string): Promise<void> {
  await unavailableOnFailure(() =>
    dynamo.send(new DeleteCommand({ TableName: tableName('connectorAttempts'), Key: key(sourceIp) })),
  );
}
