import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynalite, type TestDynamo } from '../support/dynamo';
import { allCountItems, call, type Handler, istDay, putEvent, putServiceCode } from './support';

vi.mock('../../lambdas/onboarding/integration-signal', () => ({ signalTestCountsReceived: async () => {} }));

const CODES = ['DL-EDU-0001', 'DL-EDU-0002'];
const CLIENTS = 8;
const ROUNDS = 6;
const DAYS = 20;
const WINDOW = 10;

let db: TestDynamo;
let push: Handler;
let apiKey: string;

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  ({ handler: push } = (await import('../../lambdas/counts/push')) as { handler: Handler });
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const created = await createDepartment({ code: 'EDU', name: 'Education' });
  apiKey = created.apiKey;
  const departmentId = created.department.departmentId;
  await putServiceCode(db, {
    serviceCode: CODES[0] as string,
    departmentId,
    onboardingId: 'o1',
    status: 'live',
  });
  await putServiceCode(db, {
    serviceCode: CODES[1] as string,
    departmentId,
    onboardingId: 'o2',
    status: 'testing',
  });
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
  it('leave every daily total at the last value its client wrote: nothing lost, nothing doubled', async () => {
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

    const items = await allCountItems(db);
    const stored = new Map(items.map((i) => [`${i.serviceCode}/${i.date}/${i.locationCode}`, i]));
    expect(items).toHaveLength(lastWritten.size);
    for (const [key, count] of lastWritten) {
      const item = stored.get(key);
      expect(item?.count, key).toBe(count);
      // Each change kept the value it replaced: the history has one entry per earlier value.
      expect((item?.history as unknown[] | undefined)?.length, key).toBe((changes.get(key) ?? 0) - 1);
    }
  });

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

  it('keep every acknowledged value of racing pushes of one daily total in its history, newest first', async () => {
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

      const item = (await allCountItems(db)).find(
        (i) =>
          i.date === key.date && i.locationCode === key.locationCode && i.serviceCode === key.serviceCode,
      );
      const history = (item?.history ?? []) as { count: number; updatedAt: string }[];
      const kept = [item?.count, ...history.map((h) => h.count)];
      expect([...kept].sort(), `round ${round}`).toEqual([...values].sort());
      const times = history.map((h) => h.updatedAt);
      expect(times, `round ${round}`).toEqual([...times].sort().reverse());
    }
  });
});
