import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../shared/aws';
import { writeIf } from '../../shared/conditional-write';
import { tableName } from '../../shared/tables';
import { addressKey } from '../email-cap';

/**
 * One digest per (recipient, IST day), kept by one item of the Limits table per pair:
 *   DIGEST#<sha256(address)> / DAY#<YYYY-MM-DD>  { leaseUntil, sentAt?, expiresAtEpoch }
 * A run claims the pair with a single-item conditional put before sending: the pair is free when it has
 * no item, or when an earlier run claimed it and neither sent nor released it within the lease (that run
 * died mid-way). After the send the item records `sentAt` and nobody claims the pair again that day; a
 * send that failed deletes the claim, so the next hourly run tries again.
 */
export const DIGEST_LEASE_SECONDS = 300;
/** The markers outlive their day by a little (DynamoDB TTL removes them). */
const RETENTION_SECONDS = 3 * 24 * 3600;

const markerKey = (address: string, day: string) => ({
  pk: `DIGEST#${addressKey(address)}`,
  sk: `DAY#${day}`,
});
const epochOf = (now: Date) => Math.floor(now.getTime() / 1000);

/** True when this run may send the digest of (address, day). */
export function claimDigest(address: string, day: string, now: Date): Promise<boolean> {
  const epoch = epochOf(now);
  return writeIf(
    dynamo.send(
      new PutCommand({
        TableName: tableName('limits'),
        Item: {
          ...markerKey(address, day),
          leaseUntil: epoch + DIGEST_LEASE_SECONDS,
          expiresAtEpoch: epoch + RETENTION_SECONDS,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR (attribute_not_exists(sentAt) AND leaseUntil < :now)',
        ExpressionAttributeValues: { ':now': epoch },
      }),
    ),
  );
}

export async function markDigestSent(address: string, day: string, now: Date): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName('limits'),
      Key: markerKey(address, day),
      UpdateExpression: 'SET sentAt = :now REMOVE leaseUntil',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }),
  );
}

/** Gives the pair back after a failed send (never once sent). */
export async function releaseDigest(address: string, day: string): Promise<void> {
  await writeIf(
    dynamo.send(
      new DeleteCommand({
        TableName: tableName('limits'),
        Key: markerKey(address, day),
        ConditionExpression: 'attribute_not_exists(sentAt)',
      }),
    ),
  );
}
