import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDynamo } from '../support/dynamo';
import { allCountItems, call, type Handler, istDay, putEvent, startPushFixture } from './support';

/**
 * Racing pushes of the same daily totals, on the store alone: which value stays is DynamoDB's last writer,
 * whatever the stream does afterwards (the history of racing pushes: concurrency.test.ts).
 */

const CODES = ['DL-EDU-0001', 'DL-EDU-0002'];
const CLIENTS = 8;

let db: TestDynamo;
let push: Handler;
let apiKey: string;

beforeAll(async () => {
  ({ db, push, apiKey } = await startPushFixture(CODES, { streams: false }));
});

afterAll(async () => {
  delete process.env.COUNTS_REQUESTS_PER_MINUTE;
  await db?.stop();
});

describe('contended pushes', () => {
  it('leave contended keys at a value no later write superseded, one item per key', async () => {
    // Every client writes the same keys at once; "last" is then whichever write no other write followed.
    const keys = Array.from({ length: 30 }, (_, i) => ({
      serviceCode: CODES[i % 2] as string,
      date: istDay(30 + (i % 15)),
    }));
    const writes = new Map<string, { value: number; start: number; end: number }[]>();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let round = 0; round < 4; round++) {
          const value = 1_000_000 + round * 100 + client;
          const start = performance.now();
          const answer = await call(
            push,
            putEvent(apiKey, { counts: keys.map((k) => ({ ...k, count: value })) }),
          );
          const end = performance.now();
          expect(answer.status).toBe(200);
          for (const k of keys) {
            const key = `${k.serviceCode}/${k.date}/0`;
            writes.set(key, [...(writes.get(key) ?? []), { value, start, end }]);
          }
        }
      }),
    );

    const items = await allCountItems(db);
    for (const [key, keyWrites] of writes) {
      const stored = items.filter((i) => `${i.serviceCode}/${i.date}/${i.locationCode}` === key);
      expect(stored, key).toHaveLength(1);
      const candidates = keyWrites
        .filter((w) => !keyWrites.some((later) => later.start > w.end))
        .map((w) => w.value);
      expect(candidates, key).toContain(stored[0]?.count);
    }
  });
});
