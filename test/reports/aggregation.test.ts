import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CountPhase } from '../../lambdas/core/counts';
import {
  applyChangesToDay,
  applyDaysToDayRollup,
  applyDayToMonth,
  applyMonthsToRollup,
  type CountChange,
  type DayAggregate,
  type DayRollup,
  dayKey,
  departmentDriftOf,
  driftOf,
  isNewerSequence,
  type MonthAggregate,
  type MonthRollup,
  monthTotalsOf,
  type PhaseTotals,
  recomputeDays,
  sumOf,
  UNKNOWN_DEPARTMENT,
} from '../../lambdas/reports/aggregation';

const SERVICES = ['DL-A-0001', 'DL-A-0002', 'DL-B-0001'];
/** Department of each service: two services share a department's month rollup. */
const DEPARTMENT_OF = ['dA', 'dA', 'dB'];
const DATES = ['2026-10-30', '2026-10-31', '2026-11-01'];
const LOCATIONS = ['0', 'N', 'S'];

/** One write to the Counts table: a push (value, phase) or a delete of the raw item. */
interface Write {
  readonly service: number;
  readonly date: number;
  readonly location: number;
  readonly value: { count: number; phase: CountPhase } | null;
}

const writeArb = fc.record({
  service: fc.nat(SERVICES.length - 1),
  date: fc.nat(DATES.length - 1),
  location: fc.nat(LOCATIONS.length - 1),
  value: fc.option(fc.record({ count: fc.nat(1000), phase: fc.constantFrom<CountPhase>('live', 'test') }), {
    freq: 8,
  }),
});

/**
 * Replays the writes as a stream would record them (a record only when the item changed), then delivers
 * the records in random batches, shuffled, with duplicates, to the aggregation rules over an in-memory
 * store, and compares the aggregates with a recomputation of the final raw rows.
 */
function simulate(
  writes: readonly Write[],
  deliveryOrder: readonly number[],
  priorities: readonly number[],
  batchSize: number,
) {
  const raw = new Map<string, { count: number; phase: CountPhase }>();
  const records: CountChange[] = [];
  writes.forEach((write, i) => {
    const key = `${write.service}|${write.date}|${write.location}`;
    const before = raw.get(key);
    if (JSON.stringify(before ?? null) === JSON.stringify(write.value)) return; // no change, no record
    if (write.value) raw.set(key, write.value);
    else raw.delete(key);
    if (!before && !write.value) return;
    records.push({
      serviceCode: SERVICES[write.service] as string,
      date: DATES[write.date] as string,
      locationCode: LOCATIONS[write.location] as string,
      // Sequence numbers of different lengths: compared as numbers, not strings.
      sequence: String(95 + i * 7),
      ...(write.value
        ? { next: { ...write.value, departmentId: DEPARTMENT_OF[write.service] as string } }
        : {}),
    });
  });

  // Every record arrives at least once, at a random position; some arrive again (replays).
  const positioned = records.map((record, i) => ({ record, at: priorities[i % priorities.length] ?? i }));
  for (const [n, i] of deliveryOrder.entries()) {
    const record = records[i % Math.max(records.length, 1)];
    if (record) positioned.push({ record, at: priorities[(n + 7) % priorities.length] ?? n });
  }
  const delivered = positioned.sort((a, b) => a.at - b.at).map((p) => p.record);
  const days = new Map<string, DayAggregate>();
  const months = new Map<string, MonthAggregate>();
  const rollups = new Map<string, MonthRollup>();
  const dayRollups = new Map<string, DayRollup>();
  const dayHistory = new Map<string, DayAggregate[]>();
  const monthHistory = new Map<string, MonthAggregate[]>();
  for (let i = 0; i < delivered.length; i += batchSize) {
    const batch = delivered.slice(i, i + batchSize) as CountChange[];
    const groups = new Map<string, CountChange[]>();
    for (const change of batch) {
      const key = dayKey(change.date, change.serviceCode);
      groups.set(key, [...(groups.get(key) ?? []), change]);
    }
    // As the aggregator: each group's month aggregate as it now stands goes to its department's month
    // rollup, and its day aggregate to its department's day rollup.
    // Sometimes a slow consumer of an earlier batch (another shard, a retried invocation) brings an older
    // version of a day or month to the rollup after the newer one: the rollups must keep the newer.
    const touched = new Map<string, MonthAggregate[]>();
    const touchedDays = new Map<string, DayAggregate[]>();
    const withLateVersion = <T extends { version: number }>(current: T, history: readonly T[], n: number) => {
      const chance = priorities[(i + n) % priorities.length] ?? 1;
      const late = chance < 0.3 ? history[Math.floor((chance / 0.3) * history.length)] : undefined;
      return late && late.version < current.version ? [current, late] : [current];
    };
    let n = 0;
    for (const [key, changes] of groups) {
      const day = applyChangesToDay(days.get(key), changes, { category: 'G2C' }) ?? days.get(key);
      if (!day) continue;
      days.set(key, day);
      const dayVersions = remember(dayHistory, key, day);
      if (day.departmentId !== UNKNOWN_DEPARTMENT) {
        const dayRollupKey = `${day.date}#${day.departmentId}`;
        const known = dayVersions.filter((d) => d.departmentId === day.departmentId);
        touchedDays.set(dayRollupKey, [
          ...(touchedDays.get(dayRollupKey) ?? []),
          ...withLateVersion(day, known, n++),
        ]);
      }
      const monthKey = `${day.date.slice(0, 7)}#${day.serviceCode}`;
      const month = applyDayToMonth(months.get(monthKey), day) ?? months.get(monthKey);
      if (!month) continue;
      months.set(monthKey, month);
      const monthVersions = remember(monthHistory, monthKey, month).filter(
        (m) => m.departmentId === month.departmentId,
      );
      const rollupKey = `${month.month}#${month.departmentId}`;
      touched.set(rollupKey, [
        ...(touched.get(rollupKey) ?? []),
        ...withLateVersion(month, monthVersions, n++),
      ]);
    }
    for (const [key, touchedMonths] of touched) {
      const rollup = applyMonthsToRollup(rollups.get(key), touchedMonths);
      if (rollup) rollups.set(key, rollup);
    }
    for (const [key, touchedDayAggregates] of touchedDays) {
      const rollup = applyDaysToDayRollup(dayRollups.get(key), touchedDayAggregates);
      if (rollup) dayRollups.set(key, rollup);
    }
  }

  const rows = [...raw].map(([key, value]) => {
    const [service, date] = key.split('|').map(Number) as [number, number];
    return {
      serviceCode: SERVICES[service] as string,
      departmentId: DEPARTMENT_OF[service] as string,
      date: DATES[date] as string,
      ...value,
    };
  });
  return {
    expected: recomputeDays(rows),
    expectedByDepartment: recomputeDays(rows, (row) => dayKey(row.date, row.departmentId)),
    days,
    months,
    rollups,
    dayRollups,
  };
}

/** Every version an aggregate had so far, this one included. */
function remember<T extends { version: number }>(history: Map<string, T[]>, key: string, aggregate: T): T[] {
  const versions = history.get(key) ?? [];
  if (!versions.some((v) => v.version === aggregate.version)) versions.push(aggregate);
  history.set(key, versions);
  return versions;
}

/** What each service's month totals must be, keyed `dayKey(month, serviceCode)`, from the day recomputation. */
function monthSumsOf(expected: ReadonlyMap<string, PhaseTotals>): Map<string, PhaseTotals> {
  const sums = new Map<string, PhaseTotals>();
  for (const [key, totals] of expected) {
    const monthKey = dayKey(key.slice(0, 7), key.slice(11));
    const sum = sums.get(monthKey) ?? { live: 0, test: 0, liveEntries: 0, testEntries: 0 };
    sums.set(monthKey, {
      live: sum.live + totals.live,
      test: sum.test + totals.test,
      liveEntries: sum.liveEntries + totals.liveEntries,
      testEntries: sum.testEntries + totals.testEntries,
    });
  }
  return sums;
}

describe('count aggregates', () => {
  it('equal a recomputation from raw rows under random pushes, corrections, deletes, duplicates and reordering', () => {
    fc.assert(
      fc.property(
        fc.array(writeArb, { maxLength: 80 }),
        fc.array(fc.nat(200), { maxLength: 120 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 1, max: 25 }),
        (writes, deliveryOrder, priorities, batchSize) => {
          const { expected, expectedByDepartment, days, months, rollups, dayRollups } = simulate(
            writes,
            deliveryOrder,
            priorities,
            batchSize,
          );
          const dayTotals = new Map<string, PhaseTotals>(days);
          const monthTotals = new Map<string, PhaseTotals>();
          for (const month of months.values()) {
            for (const [dd, totals] of Object.entries(month.days)) {
              monthTotals.set(dayKey(`${month.month}-${dd}`, month.serviceCode), totals);
            }
          }
          for (const date of DATES) {
            expect(driftOf(date, expected, dayTotals)).toEqual([]);
            expect(driftOf(date, expected, monthTotals)).toEqual([]);
          }
          // Each department's month rollup holds its services' month totals, and only its own services.
          const rollupTotals = new Map<string, PhaseTotals>();
          for (const rollup of rollups.values()) {
            for (const [serviceCode, totals] of Object.entries(rollup.services)) {
              expect(DEPARTMENT_OF[SERVICES.indexOf(serviceCode)]).toBe(rollup.departmentId);
              rollupTotals.set(dayKey(rollup.month, serviceCode), totals);
            }
          }
          const monthSums = monthSumsOf(expected);
          for (const month of new Set(DATES.map((date) => date.slice(0, 7)))) {
            expect(driftOf(month, monthSums, rollupTotals)).toEqual([]);
          }
          // Each department's day rollup holds its services' day totals, and its per-category totals
          // (what reports read) equal the department's recomputed totals of the date.
          const dayRollupTotals = new Map<string, PhaseTotals>();
          for (const rollup of dayRollups.values()) {
            for (const [serviceCode, totals] of Object.entries(rollup.services)) {
              expect(DEPARTMENT_OF[SERVICES.indexOf(serviceCode)]).toBe(rollup.departmentId);
              dayRollupTotals.set(dayKey(rollup.date, serviceCode), totals);
            }
          }
          const departmentTotals = new Map<string, PhaseTotals>(
            [...dayRollups.values()].map((rollup) => [
              dayKey(rollup.date, rollup.departmentId),
              sumOf(Object.values(rollup.totals)),
            ]),
          );
          for (const date of DATES) {
            expect(driftOf(date, expected, dayRollupTotals)).toEqual([]);
            expect(departmentDriftOf(date, expectedByDepartment, departmentTotals)).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('apply a pushed value as a replacement (new − old), and ignore a replay of an older record', () => {
    const change = (locationCode: string, sequence: string, count: number): CountChange => ({
      serviceCode: 'S',
      date: '2026-11-01',
      locationCode,
      sequence,
      next: { count, phase: 'live', departmentId: 'd1' },
    });
    const first = applyChangesToDay(undefined, [change('0', '10', 5), change('N', '11', 7)], {
      category: 'G2B',
    });
    expect(first).toMatchObject({ live: 12, liveEntries: 2, category: 'G2B', version: 1 });
    const corrected = applyChangesToDay(first, [change('0', '12', 9)], { category: 'G2B' });
    expect(corrected).toMatchObject({ live: 16, liveEntries: 2, version: 2 });
    expect(
      applyChangesToDay(corrected, [change('0', '10', 5), change('0', '12', 9)], { category: 'G2B' }),
    ).toBeUndefined();
  });

  it('compares stream sequence numbers as numbers', () => {
    expect(isNewerSequence('100', '99')).toBe(true);
    expect(isNewerSequence('99', '100')).toBe(false);
    expect(isNewerSequence('5', undefined)).toBe(true);
    expect(isNewerSequence('5', '5')).toBe(false);
  });

  it('takes a day into the month only when the day is newer than what the month holds', () => {
    const day = applyChangesToDay(
      undefined,
      [
        {
          serviceCode: 'S',
          date: '2026-11-02',
          locationCode: '0',
          sequence: '1',
          next: { count: 3, phase: 'test', departmentId: 'd' },
        },
      ],
      {},
    ) as DayAggregate;
    const month = applyDayToMonth(undefined, day) as MonthAggregate;
    expect(month.days['02']).toMatchObject({ test: 3, testEntries: 1, version: 1 });
    expect(applyDayToMonth(month, day)).toBeUndefined();
  });

  it('takes a month into the department rollup only when it is newer than what the rollup holds', () => {
    const month = (serviceCode: string, version: number, live: number): MonthAggregate => ({
      month: '2026-11',
      serviceCode,
      departmentId: 'd',
      category: 'G2C',
      days: {
        '01': { live, test: 0, liveEntries: 1, testEntries: 0, version },
        '02': { live: 1, test: 2, liveEntries: 1, testEntries: 1, version },
      },
      version,
    });
    const rollup = applyMonthsToRollup(undefined, [month('S1', 2, 10), month('S2', 1, 5)]) as MonthRollup;
    expect(rollup.services.S1).toMatchObject({
      live: 11,
      test: 2,
      liveEntries: 2,
      testEntries: 1,
      version: 2,
    });
    expect(monthTotalsOf(month('S2', 1, 5))).toEqual({ live: 6, test: 2, liveEntries: 2, testEntries: 1 });
    // A replay of an older month changes nothing; a newer one replaces the service's totals.
    expect(applyMonthsToRollup(rollup, [month('S1', 1, 99)])).toBeUndefined();
    expect(applyMonthsToRollup(rollup, [month('S1', 3, 20)])?.services.S1).toMatchObject({ live: 21 });
    expect(() =>
      applyMonthsToRollup(undefined, [month('S1', 1, 1), { ...month('S2', 1, 1), departmentId: 'e' }]),
    ).toThrow(RangeError);
  });
});
