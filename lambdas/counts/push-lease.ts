import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { ServiceUnavailableError } from '../shared/errors';
import { tableName } from '../shared/tables';
import { RETRY_AFTER_SECONDS, unavailableOnFailure } from './batch';
import { PUSH_TIMEOUT_SECONDS } from './functions';

/**
 * One push of a department's counts stores at a time. A push reads the stored values (to keep their
 * history) and then writes the new ones in batches; two pushes of the same key in between each other's read
 * and write would both put "the value I replaced" on the history and one entry would be lost (issue 11).
 * BatchWriteItem takes no conditions, so instead of a per-item optimistic version (one request per count,
 * about eight times the floor's time) the read-then-write section holds a per-department lease: one
 * conditional UpdateItem to take it, one to give it back. Pushes of different departments never touch the
 * same keys (a service code belongs to one department), so they do not wait for each other.
 *
 * The lease outlives the function's timeout, so a holder that Lambda stopped cannot still be writing when
 * the lease expires and the next push takes it over.
 */

const LEASE_MS = (PUSH_TIMEOUT_SECONDS + 6) * 1000;
/** How long a push waits for another push of its department before answering 503. */
const MAX_WAIT_MS = 10_000;
const FIRST_DELAY_MS = 10;
const MAX_DELAY_MS = 250;

const leaseKey = (departmentId: string) => ({ pk: `PUSHLEASE#${departmentId}`, sk: 'COUNTS' });

/** Runs `store` while holding the department's push lease. */
export async function withPushLease<T>(departmentId: string, store: () => Promise<T>): Promise<T> {
  const holder = randomUUID();
  await acquire(departmentId, holder);
  try {
    return await store();
  } finally {
    await release(departmentId, holder);
  }
}

async function acquire(departmentId: string, holder: string): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    const taken = await writeIf(
      unavailableOnFailure(() =>
        dynamo.send(
          new UpdateCommand({
            TableName: tableName('config'),
            Key: leaseKey(departmentId),
            UpdateExpression: 'SET holder = :holder, expiresAtMs = :expires',
            ConditionExpression: 'attribute_not_exists(holder) OR expiresAtMs < :now',
            ExpressionAttributeValues: { ':holder': holder, ':expires': now + LEASE_MS, ':now': now },
          }),
        ),
      ),
    );
    if (taken) return;
    if (now - started > MAX_WAIT_MS) {
      throw new ServiceUnavailableError(
        'Another push of your department is still being stored; send the same request again.',
        RETRY_AFTER_SECONDS,
      );
    }
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
    await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + (Math.random() * ceiling) / 2));
  }
}

/** Gives the lease back; one that expired and was taken over is left to its new holder. */
async function release(departmentId: string, holder: string): Promise<void> {
  await writeIf(
    unavailableOnFailure(() =>
      dynamo.send(
        new UpdateCommand({
          TableName: tableName('config'),
          Key: leaseKey(departmentId),
          UpdateExpression: 'REMOVE holder, expiresAtMs',
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      ),
    ),
  );
}
