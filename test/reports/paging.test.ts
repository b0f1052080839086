import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_DIMENSIONS, type GroupDimension, type TotalRow } from '../../lambdas/reports/aggregate';
import type { DayAggregate, MonthAggregate } from '../../lambdas/reports/aggregation';
import type { TotalsQuery, TotalsReport } from '../../lambdas/reports/reports';
import { call, type Handler } from '../counts/support';
import { apiEvent } from '../support/api-event';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/**
 * Report pages keyed by their last row (lambdas/reports/reports.ts): whatever the aggregates, the grouping
 * and the page size, the pages put together are the unpaged answer, and a change between two pages neither
 * repeats nor loses a row.
 */
let db: TestDynamo;
let reports: typeof import('../../lambdas/reports/reports');
let repository: typeof import('../../lambdas/reports/aggregates-repository');
let aggregation: typeof import('../../lambdas/reports/aggregation');
let handler: Handler;
const departments: { id: string; code: string }[] = [];

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  reports = await import('../../lambdas/reports/reports');
  repository = await import('../../lambdas/reports/aggregates-repository');
  aggregation = await import('../../lambdas/reports/aggregation');
  ({ handler } = (await import('../../lambdas/reports/handler')) as { handler: Handler });
  const { createDepartment } = await import('../../lambdas/departments/repository');
  for (const code of ['PGA', 'PGB']) {
    departments.push({ id: (await createDepartment({ code, name: code })).department.departmentId, code });
  }
});

afterAll(async () => {
  await db?.stop();
});

const SERVICES = 4;
const CATEGORIES = ['G2C', 'G2B'];
/** From the 20th of a January to the 10th of a March: a month cut, a whole month, a cut again. */
const DAYS = 50;

interface DayCount {
  readonly service: number;
  readonly day: number;
  readonly live: number;
  readonly test: number;
  readonly liveEntries: number;
  readonly testEntries: number;
}

const dayCount = fc.record({
  service: fc.nat(SERVICES - 1),
  day: fc.nat(DAYS - 1),
  live: fc.nat(50),
  test: fc.nat(5),
  liveEntries: fc.nat(2),
  testEntries: fc.nat(1),
});

const serviceOf = (i: number, year: number) => ({
  serviceCode: `DL-P${year}-${String(i).padStart(4, '0')}`,
  departmentId: (departments[i % departments.length] as { id: string }).id,
  category: CATEGORIES[i % CATEGORIES.length] as string,
  serviceName: `Service ${i}`,
});

const dateOf = (year: number, day: number) =>
  new Date(Date.UTC(year, 0, 20 + day)).toISOString().slice(0, 10);

/**
 * Stores day totals as the aggregator would: over the aggregates already there (their next versions, by
 * its own rules: month aggregates, month rollups, day rollups), each year its own data so runs do not meet.
 */
async function store(year: number, counts: readonly DayCount[], version = 1): Promise<void> {
  const days = new Map<string, DayAggregate>();
  for (const count of counts) {
    if (count.liveEntries + count.testEntries === 0) continue;
    const date = dateOf(year, count.day);
    days.set(`${date}#${count.service}`, {
      ...serviceOf(count.service, year),
      date,
      sources: {},
      version,
      live: count.liveEntries > 0 ? count.live : 0,
      test: count.testEntries > 0 ? count.test : 0,
      liveEntries: count.liveEntries,
      testEntries: count.testEntries,
    });
  }
  const { monthItems, monthRollupItems, dayRollupItems } = repository;
  const monthDays = groupBy([...days.values()], (day) => `${day.date.slice(0, 7)}#${day.serviceCode}`);
  const months = await Promise.all(
    monthDays.map(async ([first, ...rest]) => {
      const held = await monthItems.get({ month: first.date.slice(0, 7), serviceCode: first.serviceCode });
      const next = [first, ...rest].reduce<MonthAggregate | undefined>(
        (month, day) => aggregation.applyDayToMonth(month, day) ?? month,
        held,
      ) as MonthAggregate;
      await monthItems.put(next, held?.version ?? 0);
      return next;
    }),
  );
  await Promise.all([
    ...groupBy(months, (month) => `${month.month}#${month.departmentId}`).map(async (of) => {
      const held = await monthRollupItems.get(of[0]);
      const next = aggregation.applyMonthsToRollup(held, of);
      if (next) await monthRollupItems.put(next, held?.version ?? 0);
    }),
    ...groupBy([...days.values()], (day) => `${day.date}#${day.departmentId}`).map(async (of) => {
      const held = await dayRollupItems.get(of[0]);
      const next = aggregation.applyDaysToDayRollup(held, of);
      if (next) await dayRollupItems.put(next, held?.version ?? 0);
    }),
  ]);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): [T, ...T[]][] {
  const groups = new Map<string, [T, ...T[]]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return [...groups.values()];
}

async function allPages(query: TotalsQuery, limit: number): Promise<TotalsReport[]> {
  const pages = [await reports.totalsReport(query, { limit })];
  for (let page = pages[0]; page?.nextCursor; ) {
    page = await reports.totalsReport(query, { limit, cursor: page.nextCursor });
    pages.push(page);
  }
  return pages;
}

const keyOf = (row: TotalRow) =>
  [row.date, row.month, row.departmentCode, row.serviceCode, row.category, row.phase].join('|');

let year = 2001;

describe('report pages', () => {
  it('put together, are the unpaged answer, each page at most `limit` rows with the whole total', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dayCount, { maxLength: 60 }),
        fc.shuffledSubarray([...GROUP_DIMENSIONS]),
        fc.constantFrom(1, 2, 3, 5, 40),
        fc.nat(DAYS - 1),
        fc.nat(DAYS - 1),
        fc.option(fc.constantFrom('live', 'test') as fc.Arbitrary<'live' | 'test'>, { nil: undefined }),
        fc.option(fc.constantFrom('PGA', 'PGB'), { nil: undefined }),
        async (counts, groupBy, limit, a, b, phase, departmentCode) => {
          year++;
          await store(year, counts);
          const query: TotalsQuery = {
            from: dateOf(year, Math.min(a, b)),
            to: dateOf(year, Math.max(a, b)),
            groupBy: groupBy as GroupDimension[],
            ...(phase === undefined ? {} : { phase }),
            ...(departmentCode === undefined ? {} : { departmentCode }),
          };
          const whole = await reports.totalRows(query);
          const pages = await allPages(query, limit);
          expect(pages.flatMap((page) => page.rows)).toEqual(whole);
          const total = whole.reduce((sum, row) => sum + row.total, 0);
          for (const [i, page] of pages.entries()) {
            expect(page.total).toBe(total);
            expect(page.rows.length).toBeLessThanOrEqual(limit);
            // Only the last page may be short; every page but the last has a next one.
            if (i < pages.length - 1) expect(page.rows).toHaveLength(limit);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('end exactly where a day ends and the next page starts with the next day', async () => {
    year++;
    // Two services on each of two days: a page of 2 ends with the first day.
    await store(year, [
      { service: 0, day: 3, live: 1, test: 0, liveEntries: 1, testEntries: 0 },
      { service: 1, day: 3, live: 2, test: 0, liveEntries: 1, testEntries: 0 },
      { service: 0, day: 4, live: 3, test: 0, liveEntries: 1, testEntries: 0 },
      { service: 1, day: 4, live: 4, test: 0, liveEntries: 1, testEntries: 0 },
    ]);
    const query: TotalsQuery = { from: dateOf(year, 0), to: dateOf(year, 40), groupBy: ['date', 'service'] };
    const pages = await allPages(query, 2);
    expect(pages.map((page) => page.rows.map((row) => [row.date, row.total]))).toEqual([
      [
        [dateOf(year, 3), 1],
        [dateOf(year, 3), 2],
      ],
      [
        [dateOf(year, 4), 3],
        [dateOf(year, 4), 4],
      ],
    ]);
    expect(pages[1]?.nextCursor).toBeUndefined();
  });

  it('neither repeat nor lose a row when the aggregates change between pages', async () => {
    year++;
    const counts: DayCount[] = [];
    for (let day = 0; day < 40; day += 3) {
      for (let service = 0; service < 3; service++) {
        counts.push({ service, day, live: day + service, test: 0, liveEntries: 1, testEntries: 0 });
      }
    }
    await store(year, counts);
    const query: TotalsQuery = { from: dateOf(year, 0), to: dateOf(year, 45), groupBy: ['date', 'service'] };
    const before = await reports.totalRows(query);
    const first = await reports.totalsReport(query, { limit: 10 });
    const cursorDate = first.rows.at(-1)?.date as string;

    // Between the pages: a new service on a day before the cursor and on one after it, and new totals
    // for an existing service after it, as the aggregator would store them.
    await store(
      year,
      [
        { service: 3, day: 0, live: 7, test: 0, liveEntries: 1, testEntries: 0 },
        { service: 3, day: 39, live: 8, test: 0, liveEntries: 1, testEntries: 0 },
        { service: 2, day: 39, live: 1000, test: 0, liveEntries: 2, testEntries: 0 },
      ],
      2,
    );
    const pages = [first];
    for (let page = first; page.nextCursor; ) {
      page = await reports.totalsReport(query, { limit: 10, cursor: page.nextCursor });
      pages.push(page);
    }
    const seen = pages.flatMap((page) => page.rows).map(keyOf);
    expect(new Set(seen).size).toBe(seen.length);
    const after = (await reports.totalRows(query)).map(keyOf);
    for (const key of before.map(keyOf).filter((key) => after.includes(key))) expect(seen).toContain(key);
    // After the cursor, the rows are read as they are now; the row added before it is past.
    const later = pages.slice(1).flatMap((page) => page.rows);
    expect(later).toContainEqual(expect.objectContaining({ date: dateOf(year, 39), total: 1000 }));
    expect(later).toContainEqual(expect.objectContaining({ date: dateOf(year, 39), total: 8 }));
    expect(cursorDate > dateOf(year, 0)).toBe(true);
    expect(seen.filter((key) => key.startsWith(dateOf(year, 0)) && key.includes('-0003'))).toEqual([]);
  });
});

describe('GET /admin/reports/totals?cursor=', () => {
  const get = (query: Record<string, string>) =>
    call(
      handler,
      apiEvent({ method: 'GET', path: '/admin/reports/totals', resource: '/admin/reports/totals', query }),
    );

  it('refuses an offset cursor of the earlier format, a foreign, an edited and a malformed one, naming cursor', async () => {
    year++;
    await store(year, [
      { service: 0, day: 1, live: 1, test: 0, liveEntries: 1, testEntries: 0 },
      { service: 1, day: 2, live: 2, test: 0, liveEntries: 1, testEntries: 0 },
    ]);
    const query = { from: dateOf(year, 0), to: dateOf(year, 10), groupBy: 'date,service', limit: '1' };
    const first = await get(query);
    expect(first.status).toBe(200);
    const cursor = first.json.nextCursor as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const second = await get({ ...query, cursor });
    expect(second.status).toBe(200);
    expect(second.json.rows).toEqual([expect.objectContaining({ date: dateOf(year, 2), total: 2 })]);

    for (const bad of [
      encode({ o: 1, q: decoded.q }),
      encode({
        ...decoded,
        k: decoded.k.map((value: string, i: number) => (i === 0 ? dateOf(year, 5) : value)),
      }),
      'not-a-cursor',
      encode({ k: ['x'], q: decoded.q }),
    ]) {
      const answer = await get({ ...query, cursor: bad });
      expect(answer.status).toBe(422);
      expect(answer.headers['Content-Type']).toMatch(/application\/problem\+json/);
      expect(answer.json.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
    const foreign = await get({ ...query, groupBy: 'date', cursor });
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});
