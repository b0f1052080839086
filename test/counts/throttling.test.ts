import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type TestDynamo } from '../support/dynamo';
import { call, countsOfCode, type Handler, istDay, pushHandler, putEvent, putServiceCode } from './support';
import { startThrottlingProxy, type ThrottlingProxy } from './throttling-proxy';

const CODE = 'DL-FIN-0001';
/** The largest push's code, apart so the other tests' totals stay theirs. */
const LARGE_PUSH_CODE = 'DL-FIN-0002';

let db: TestDynamo;
let proxy: ThrottlingProxy;
let push: Handler;
let apiKey: string;

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  proxy = await startThrottlingProxy(db.endpoint);
  // The handler's DynamoDB client is created at import, from this variable: it talks through the proxy.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
  process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  push = await pushHandler();
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const created = await createDepartment({ code: 'FIN', name: 'Finance' });
  apiKey = created.apiKey;
  for (const serviceCode of [CODE, LARGE_PUSH_CODE]) {
    await putServiceCode(db, {
      serviceCode,
      departmentId: created.department.departmentId,
      onboardingId: 'onb-fin',
      status: 'live',
    });
  }
});

afterAll(async () => {
  delete process.env.COUNTS_REQUESTS_PER_MINUTE;
  await proxy?.stop();
  await db?.stop();
});

/** 100 counts (4 BatchWriteItem chunks) on 10 days × 10 locations, each `base + i`; or a larger batch. */
const batch = (base: number, { serviceCode = CODE, size = 100, days = 10 } = {}) =>
  Array.from({ length: size }, (_, i) => ({
    serviceCode,
    date: istDay(1 + (i % days)),
    locationCode: `LOC${Math.floor(i / days)}`,
    count: base + i,
  }));
type BatchShape = Parameters<typeof batch>[1];

async function storedTotals(serviceCode = CODE): Promise<Map<string, number>> {
  const items = await countsOfCode(db, serviceCode);
  return new Map(items.map((i) => [`${i.date}/${i.locationCode}`, Number(i.count)]));
}

const expected = (base: number, shape?: BatchShape) =>
  new Map(batch(base, shape).map((c) => [`${c.date}/${c.locationCode}`, c.count]));

describe('a throttled DynamoDB', () => {
  it('answers 503 with Retry-After when writes keep being throttled, and the same request sent again lands', async () => {
    await call(push, putEvent(apiKey, { counts: batch(1000) }));
    expect(await storedTotals()).toEqual(expected(1000));

    // Two chunks get through, every later write call is throttled (the SDK's own retries included).
    proxy.script((n) => (n < 2 ? 'pass' : 'throttle'));
    const failed = await call(push, putEvent(apiKey, { counts: batch(2000) }));
    expect(failed.status).toBe(503);
    expect(failed.headers['Retry-After']).toBe('2');
    expect(failed.headers['Content-Type']).toMatch(/^application\/problem\+json/);
    const partial = await storedTotals();
    const corrected = [...partial.values()].filter((v) => v >= 2000).length;
    expect(corrected).toBe(50);

    proxy.heal();
    const retried = await call(push, putEvent(apiKey, { counts: batch(2000) }));
    expect(retried.status).toBe(200);
    expect(retried.json).toMatchObject({ accepted: 100, written: 100 });
    expect(await storedTotals()).toEqual(expected(2000));
    // Nothing doubled: one item per key (the history of the rewrite is the stream's: see concurrency.test.ts).
    expect(await countsOfCode(db, CODE)).toHaveLength(100);
  });

  it('retries UnprocessedItems with backoff until DynamoDB takes them', async () => {
    // The first 8 write calls (each of the 4 chunks about twice) are handed back unprocessed.
    const refusedBefore = proxy.stats.refused;
    proxy.script((n) => (n < 8 ? 'unprocessed' : 'pass'));
    const answer = await call(push, putEvent(apiKey, { counts: batch(3000) }));
    expect(answer.status).toBe(200);
    expect(proxy.stats.refused - refusedBefore).toBe(8);
    expect(await storedTotals()).toEqual(expected(3000));
    proxy.heal();
  });

  it('gives up with 503 when items stay unprocessed, then a resend lands', async () => {
    proxy.script(() => 'unprocessed');
    const failed = await call(push, putEvent(apiKey, { counts: batch(4000) }));
    expect(failed.status).toBe(503);
    expect(failed.headers['Retry-After']).toBe('2');
    expect(await storedTotals()).toEqual(expected(3000));

    proxy.heal();
    const retried = await call(push, putEvent(apiKey, { counts: batch(4000) }));
    expect(retried.status).toBe(200);
    expect(await storedTotals()).toEqual(expected(4000));
  });

  it("keeps every chunk's unprocessed items while the chunks of the largest push are in flight together", async () => {
    // 1,000 counts, 40 chunks, up to 20 written at once: the first 40 write calls (first writes and early
    // retries alike) take half their items and hand the rest back. Every value must land, once.
    const largest = { serviceCode: LARGE_PUSH_CODE, size: 1000, days: 25 };
    const before = { ...proxy.stats };
    proxy.script((n) => (n < 40 ? 'partial' : 'pass'));
    proxy.stats.maxInFlight = 0;
    const answer = await call(push, putEvent(apiKey, { counts: batch(5000, largest) }));
    proxy.heal();

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ accepted: 1000, written: 1000 });
    expect(proxy.stats.partial - before.partial).toBe(40);
    expect(proxy.stats.maxInFlight).toBeGreaterThan(1);
    expect(await storedTotals(LARGE_PUSH_CODE)).toEqual(expected(5000, largest));
  });
});
