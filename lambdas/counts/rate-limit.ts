import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { TooManyRequestsError } from '../shared/errors';
import { tableName } from '../shared/tables';
import { unavailableOnFailure } from './batch';

/**
 * Per-department throttling of the count API: a fixed one-minute window per department, kept in one
 * Config-table item (`pk = RATELIMIT#<departmentId>`, `sk = COUNTS`) and advanced with conditional
 * UpdateItems, so it holds across every Lambda container without a TTL or a scan. API Gateway usage plans
 * would need API Gateway's own keys; departments authenticate with ours.
 */

export const DEFAULT_REQUESTS_PER_MINUTE = 60;
const WINDOW_MS = 60_000;

export function requestsPerMinute(): number {
  const configured = Number(process.env.COUNTS_REQUESTS_PER_MINUTE);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_REQUESTS_PER_MINUTE;
}

/** The window an instant falls in, and how long until the next one opens. */
export function fixedWindow(nowMs: number): { windowStart: number; retryAfterSeconds: number } {
  const windowStart = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
  return { windowStart, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + WINDOW_MS - nowMs) / 1000)) };
}

/** Takes one request from the department's allowance, or throws 429 with Retry-After. */
export async function takeRequest(
  departmentId: string,
  now: Date,
  limit = requestsPerMinute(),
): Promise<void> {
  const { windowStart, retryAfterSeconds } = fixedWindow(now.getTime());
  const key = { pk: `RATELIMIT#${departmentId}`, sk: 'COUNTS' };
  if (await conditionally({ key, windowStart, limit, open: false })) return;
  if (await conditionally({ key, windowStart, limit, open: true })) return;
  // Another request opened this window between our two attempts: count into it.
  if (await conditionally({ key, windowStart, limit, open: false })) return;
  throw new TooManyRequestsError(
    `At most ${limit} count requests a minute per department; wait and send again.`,
    retryAfterSeconds,
  );
}

async function conditionally(options: {
  key: Record<string, string>;
  windowStart: number;
  limit: number;
  /** false: count into the current window; true: start the current window (the stored one is older). */
  open: boolean;
}): Promise<boolean> {
  return writeIf(
    unavailableOnFailure(() =>
      dynamo.send(
        new UpdateCommand({
          TableName: tableName('config'),
          Key: options.key,
          ...(options.open
            ? {
                UpdateExpression: 'SET windowStart = :window, requests = :one',
                ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart < :window',
                ExpressionAttributeValues: { ':window': options.windowStart, ':one': 1 },
              }
            : {
                UpdateExpression: 'ADD requests :one',
                ConditionExpression: 'windowStart = :window AND requests < :limit',
                ExpressionAttributeValues: {
                  ':window': options.windowStart,
                  ':one': 1,
                  ':limit': options.limit,
                },
              }),
        }),
      ),
    ),
  );
}
