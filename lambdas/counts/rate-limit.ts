import { readSetting } from '../shared/settings';
import { tableName } from '../shared/tables';
import { takeOrRefuse, fixedWindow as windowOf } from '../shared/windowed-counter';
import { unavailableOnFailure } from './batch';

/**
 * Per-department throttling of the count API: a one-minute window per department in one Config-table
 * item (`pk = RATELIMIT#<departmentId>`, `sk = COUNTS`), counted by the shared windowed counter
 * (../shared/windowed-counter). API Gateway usage plans would need API Gateway's own keys; departments
 * authenticate with ours.
 */

const WINDOW_SECONDS = 60;

/** The minute an instant falls in, and how long until the next one opens. */
export const fixedWindow = (nowMs: number) => windowOf(nowMs, WINDOW_SECONDS);

/** Takes one request from the department's allowance, or throws 429 with Retry-After. */
export async function takeRequest(
  departmentId: string,
  now: Date,
  limit = readSetting('countsRequestsPerMinute'),
): Promise<void> {
  await takeOrRefuse(
    {
      table: tableName('config'),
      key: { pk: `RATELIMIT#${departmentId}`, sk: 'COUNTS' },
      windowSeconds: WINDOW_SECONDS,
      limit,
      guard: unavailableOnFailure,
    },
    now,
    `At most ${limit} count requests a minute per department; wait and send again.`,
  );
}
