import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type TestDynamo } from '../support/dynamo';

let db: TestDynamo;
let takeRequest: typeof import('../../lambdas/counts/rate-limit').takeRequest;

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  ({ takeRequest } = await import('../../lambdas/counts/rate-limit'));
});

afterAll(async () => {
  await db?.stop();
});

const outcome = (promise: Promise<void>) =>
  promise.then(
    () => 'ok',
    (error: { status?: number; headers?: Record<string, string> }) =>
      `${error.status} ${error.headers?.['Retry-After']}`,
  );

describe('takeRequest', () => {
  it('lets exactly the allowance through when requests race, then opens a new window a minute later', async () => {
    const at = new Date('2026-11-25T10:00:15Z');
    const racing = await Promise.all(Array.from({ length: 20 }, () => outcome(takeRequest('dept-a', at, 5))));
    expect(racing.filter((o) => o === 'ok')).toHaveLength(5);
    expect(racing.filter((o) => o === '429 45')).toHaveLength(15);

    // Another department has its own allowance.
    expect(await outcome(takeRequest('dept-b', at, 5))).toBe('ok');

    const nextMinute = new Date('2026-11-25T10:01:00Z');
    const next = await Promise.all(
      Array.from({ length: 8 }, () => outcome(takeRequest('dept-a', nextMinute, 5))),
    );
    expect(next.filter((o) => o === 'ok')).toHaveLength(5);
  });
});
