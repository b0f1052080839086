import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDynamo } from '../support/dynamo';
import { allCountItems, call, type Handler, istDay, putEvent, startPushFixture } from './support';

const CODES = ['DL-EDU-0001', 'DL-EDU-0002'];
/** Under load, the local stream (a proxy in front of dynalite) makes these pushes several times slower. */
const STREAMED_TEST_TIMEOUT_MS = 120_000;
const CLIENTS = 8;
const ROUNDS = 6;
const DAYS = 20;
const WINDOW = 10;

let db: TestDynamo;
let push: Handler;
let apiKey: string;
let queryCorrections: typeof import('../../lambdas/counts/corrections-log').queryCorrections;

beforeAll(async () => {
  // With the Counts stream: the history of corrections is kept from it (lambdas/counts/corrections-log.ts).
  ({ db, push, apiKey } = await startPushFixture(CODES, { streams: true }));
  ({ queryCorrections } = await import('../../lambdas/counts/corrections-log'));
});

afterAll(async () => {
  delete process.env.COUNTS_REQUESTS_PER_MINUTE;
  await db?.stop();
});

/**
 * Client c (a district office, location C<c>) sends ROUNDS requests one after another; round r covers a
 * window of days that slides by two each round, so most days are corrected several times, and every
 * client's windows overlap every other client's days. All clients run at once.
 */
function request(client: number, round: number) {
  const first = (client + round * 2) % (DAYS - WINDOW + 1);
  const counts = [];
  for (let d = first; d < first + WINDOW; d++) {
    for (const serviceCode of CODES) {
      counts.push({
        serviceCode,
        date: istDay(1 + d),
        locationCode: `C${client}`,
        count: round * 100_000 + client * 100 + d,
      });
    }
  }
  return counts;
}

describe('concurrent pushes', () => {
  it(
    'leave every daily total at the last value its client wrote: nothing lost, nothing doubled',
    async () => {
      const lastWritten = new Map<string, number>();
      const changes = new Map<string, number>();
      for (let client = 0; client < CLIENTS; client++) {
        for (let round = 0; round < ROUNDS; round++) {
          for (const c of request(client, round)) {
            const key = `${c.serviceCode}/${c.date}/${c.locationCode}`;
            if (lastWritten.get(key) !== c.count) changes.set(key, (changes.get(key) ?? 0) + 1);
            lastWritten.set(key, c.count);
          }
        }
      }

      const statuses = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const seen: number[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            seen.push((await call(push, putEvent(apiKey, { counts: request(client, round) }))).status);
          }
          return seen;
        }),
      );
      expect(statuses.flat().every((s) => s === 200)).toBe(true);
      await db.streamsDrained();

      const items = await allCountItems(db);
      const histories = new Map(
        await Promise.all(
          CODES.map(async (code) => [code, await queryCorrections(code, istDay(DAYS), istDay(1))] as const),
        ),
      );
      const stored = new Map(items.map((i) => [`${i.serviceCode}/${i.date}/${i.locationCode}`, i]));
      expect(items).toHaveLength(lastWritten.size);
      for (const [key, count] of lastWritten) {
        const item = stored.get(key);
        expect(item?.count, key).toBe(count);
        // Each change kept the value it replaced: the history has one entry per earlier value.
        const history = histories.get(String(item?.serviceCode))?.get(`${item?.date}#${item?.locationCode}`);
        expect(history?.length ?? 0, key).toBe((changes.get(key) ?? 0) - 1);
      }
    },
    STREAMED_TEST_TIMEOUT_MS,
  );

  it(
    'keep every acknowledged value of racing pushes of one daily total in its history, newest first',
    async () => {
      const ROUNDS_OF_RACES = 24;
      const RACERS = 3;
      for (let round = 0; round < ROUNDS_OF_RACES; round++) {
        const key = {
          serviceCode: CODES[0] as string,
          date: istDay(50 + (round % 30)),
          locationCode: `R${round}`,
        };
        const values = Array.from({ length: RACERS }, (_, racer) => 2_000_000 + round * 10 + racer);
        const answers = await Promise.all(
          values.map((count) => call(push, putEvent(apiKey, { counts: [{ ...key, count }] }))),
        );
        expect(answers.map((a) => a.status)).toEqual(values.map(() => 200));
        await db.streamsDrained();

        const item = (await allCountItems(db)).find(
          (i) =>
            i.date === key.date && i.locationCode === key.locationCode && i.serviceCode === key.serviceCode,
        );
        const history =
          (await queryCorrections(key.serviceCode, key.date, key.date)).get(
            `${key.date}#${key.locationCode}`,
          ) ?? [];
        const kept = [item?.count, ...history.map((h) => h.count)];
        expect([...kept].sort(), `round ${round}`).toEqual([...values].sort());
        const times = history.map((h) => h.updatedAt);
        expect(times, `round ${round}`).toEqual([...times].sort().reverse());
      }
    },
    STREAMED_TEST_TIMEOUT_MS,
  );
});
