import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './aws';
import { writeIf } from './conditional-write';
import { type HttpErrorOptions, TooManyRequestsError } from './errors';

/**
 * The one fixed-window counter of the system: one item per counted thing, advanced with single-item
 * conditional UpdateItems, so it holds across every Lambda container without a TTL sweep, a scan or a
 * transaction (dynalite has neither). Rate limits (`take`), failure counts (`add`, `read`) and daily caps
 * are all this counter with another key, window and limit.
 */
export interface WindowedCounter {
  /** Physical table name. */
  readonly table: string;
  readonly key: { readonly pk: string; readonly sk: string };
  readonly windowSeconds: number;
  readonly limit: number;
  /** Wraps each DynamoDB call, e.g. to turn throttling into a 503. */
  readonly guard?: <T>(send: () => Promise<T>) => Promise<T>;
}

/** The window an instant falls in, and how long until the next one opens. */
export function fixedWindow(
  nowMs: number,
  windowSeconds: number,
): { windowStart: number; retryAfterSeconds: number } {
  const windowMs = windowSeconds * 1000;
  const windowStart = Math.floor(nowMs / windowMs) * windowMs;
  return { windowStart, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000)) };
}

/** Seconds-since-epoch when an item of this window may be expired (DynamoDB TTL in AWS). */
const expiryOf = (windowStart: number, windowSeconds: number) =>
  Math.ceil((windowStart + 2 * windowSeconds * 1000) / 1000);

/**
 * Takes one unit of the window's allowance: null when taken, else the seconds until the next window.
 * Two conditional writes at most (count into the window; open it), a third when another request opened
 * the window between them.
 */
export async function take(
  counter: WindowedCounter,
  now: Date,
): Promise<{ retryAfterSeconds: number } | null> {
  const { windowStart, retryAfterSeconds } = fixedWindow(now.getTime(), counter.windowSeconds);
  for (const open of [false, true, false]) {
    if (await conditionally(counter, windowStart, open)) return null;
  }
  return { retryAfterSeconds };
}

/** A rate limit: takes one unit, or throws 429 with Retry-After and `detail` as the problem's detail. */
export async function takeOrRefuse(
  counter: WindowedCounter,
  now: Date,
  detail: string,
  options?: HttpErrorOptions,
): Promise<void> {
  const refused = await take(counter, now);
  if (refused) throw new TooManyRequestsError(detail, refused.retryAfterSeconds, options);
}

/** Adds one, whatever the count (a failure happened): the count in the current window after it. */
export async function add(counter: WindowedCounter, now: Date): Promise<number> {
  const { windowStart } = fixedWindow(now.getTime(), counter.windowSeconds);
  for (let attempt = 0; attempt < 3; attempt++) {
    const counted = await (counter.guard ?? run)(() =>
      writeIf(
        dynamo.send(
          new UpdateCommand({
            TableName: counter.table,
            Key: counter.key,
            UpdateExpression: 'ADD requests :one',
            ConditionExpression: 'windowStart = :window',
            ExpressionAttributeValues: { ':window': windowStart, ':one': 1 },
          }),
        ),
      ),
    );
    if (counted) return (await read(counter, now)).count;
    if (await conditionally({ ...counter, limit: Number.MAX_SAFE_INTEGER }, windowStart, true)) return 1;
  }
  return (await read(counter, now)).count;
}

/** The count in the current window (0 when the stored window is older), and when that window ends. */
export async function read(
  counter: WindowedCounter,
  now: Date,
): Promise<{ count: number; retryAfterSeconds: number }> {
  const { windowStart, retryAfterSeconds } = fixedWindow(now.getTime(), counter.windowSeconds);
  const { Item } = await (counter.guard ?? run)(() =>
    dynamo.send(new GetCommand({ TableName: counter.table, Key: counter.key, ConsistentRead: true })),
  );
  const count = Item?.windowStart === windowStart ? Number(Item.requests ?? 0) : 0;
  return { count, retryAfterSeconds };
}

const run = <T>(send: () => Promise<T>): Promise<T> => send();

async function conditionally(counter: WindowedCounter, windowStart: number, open: boolean): Promise<boolean> {
  return (counter.guard ?? run)(() =>
    writeIf(
      dynamo.send(
        new UpdateCommand({
          TableName: counter.table,
          Key: counter.key,
          ...(open
            ? {
                UpdateExpression: 'SET windowStart = :window, requests = :one, expiresAtEpoch = :expires',
                ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart < :window',
                ExpressionAttributeValues: {
                  ':window': windowStart,
                  ':one': 1,
                  ':expires': expiryOf(windowStart, counter.windowSeconds),
                },
              }
            : {
                UpdateExpression: 'ADD requests :one',
                ConditionExpression: 'windowStart = :window AND requests < :limit',
                ExpressionAttributeValues: { ':window': windowStart, ':one': 1, ':limit': counter.limit },
              }),
        }),
      ),
    ),
  );
}
