import type { CountPhase } from '../core/counts';

/**
 * The rules of the count aggregates, as pure functions (no AWS): the stream consumer
 * (lambdas/reports/aggregator.ts) feeds in changes of raw count items and the stored aggregates, and writes
 * what these functions return.
 *
 * Two levels, both idempotent and order-independent:
 *   - a day aggregate per (date, service) keeps, per location, the value it has applied and the stream
 *     sequence number it came from. A change applies only when its sequence number is newer than the
 *     location's, so a replayed or late (out-of-order) record changes nothing, and a pushed value replaces
 *     the old one (the totals are recomputed from the locations: the delta new − old, without drift);
 *   - a month aggregate per (month, service) keeps each day's totals with the day aggregate's version, and
 *     takes a day's totals only when their version is newer;
 *   - a month rollup per (month, department) keeps each of the department's services' month totals with
 *     the month aggregate's version, and takes them only when that version is newer. A report over whole
 *     months without dates in its grouping reads rollups only: a year is 12 items per department;
 *   - a day rollup per (date, department) keeps each of the department's services' day totals with the day
 *     aggregate's version (taken only when newer), and their sums per category, which are all a report
 *     without services in its grouping reads of a date: a year by date is 365 small items per department,
 *     where month aggregates are 13 per service.
 * Department and category are the service's (a service code belongs to one department for good).
 */

export interface CountChange {
  readonly serviceCode: string;
  readonly date: string;
  readonly locationCode: string;
  /** The stream record's SequenceNumber: a decimal string, increasing per item. */
  readonly sequence: string;
  /** The item's value after the change; undefined when the item was deleted. */
  readonly next?: { readonly count: number; readonly phase: CountPhase; readonly departmentId: string };
}

export interface AppliedSource {
  readonly count: number;
  readonly phase: CountPhase;
  readonly sequence: string;
  /** The raw item was deleted: kept so an older record replayed later cannot bring it back. */
  readonly removed?: true;
}

export interface PhaseTotals {
  /** Sum of live daily totals. */
  readonly live: number;
  readonly test: number;
  /** How many raw daily totals (locations) are summed. */
  readonly liveEntries: number;
  readonly testEntries: number;
}

/** What the ServiceCodes table says about a service, copied onto its aggregates so reports read nothing else. */
export interface ServiceLabels {
  readonly category?: string;
  readonly serviceName?: string;
}

export interface DayAggregate extends PhaseTotals {
  readonly date: string;
  readonly serviceCode: string;
  readonly departmentId: string;
  readonly category: string;
  readonly serviceName?: string;
  readonly sources: Readonly<Record<string, AppliedSource>>;
  /** Increases with every change; 0 means never stored. */
  readonly version: number;
}

export interface DayTotals extends PhaseTotals {
  /** The version of the day aggregate these totals are from. */
  readonly version: number;
}

export interface MonthAggregate {
  /** YYYY-MM */
  readonly month: string;
  readonly serviceCode: string;
  readonly departmentId: string;
  readonly category: string;
  readonly serviceName?: string;
  /** Day of month ("01".."31") → that day's totals. */
  readonly days: Readonly<Record<string, DayTotals>>;
  readonly version: number;
}

/** A service's totals of a month, as its department's month rollup keeps them. */
export interface ServiceMonthTotals extends PhaseTotals {
  readonly category: string;
  readonly serviceName?: string;
  /** The version of the month aggregate these totals are from. */
  readonly version: number;
}

export interface MonthRollup {
  /** YYYY-MM */
  readonly month: string;
  readonly departmentId: string;
  /** Service code → its month totals. */
  readonly services: Readonly<Record<string, ServiceMonthTotals>>;
  readonly version: number;
}

/** A service's totals of a day, as its department's day rollup keeps them. */
export interface ServiceDayTotals extends PhaseTotals {
  readonly category: string;
  /** The version of the day aggregate these totals are from. */
  readonly version: number;
}

export interface DayRollup {
  readonly date: string;
  readonly departmentId: string;
  /** Service code → its day totals (what makes the rollup idempotent). */
  readonly services: Readonly<Record<string, ServiceDayTotals>>;
  /** Category → the sum of its services' totals: what reports read. */
  readonly totals: Readonly<Record<string, PhaseTotals>>;
  readonly version: number;
}

const NO_TOTALS: PhaseTotals = { live: 0, test: 0, liveEntries: 0, testEntries: 0 };
export const UNKNOWN_CATEGORY = '?';
/** The department of a day or month that so far only saw deletes (its totals are all zero). */
export const UNKNOWN_DEPARTMENT = '?';

/** Stream sequence numbers are decimal strings of up to 40 digits: compare them as numbers. */
export function isNewerSequence(candidate: string, than: string | undefined): boolean {
  if (than === undefined) return true;
  if (candidate.length !== than.length) return candidate.length > than.length;
  return candidate > than;
}

/** Only the totals of an aggregate, as a rollup or month keeps them. */
const phaseTotalsOf = ({ live, test, liveEntries, testEntries }: PhaseTotals): PhaseTotals => ({
  live,
  test,
  liveEntries,
  testEntries,
});

export function totalsOf(sources: Readonly<Record<string, AppliedSource>>): PhaseTotals {
  let live = 0;
  let test = 0;
  let liveEntries = 0;
  let testEntries = 0;
  for (const source of Object.values(sources)) {
    if (source.removed) continue;
    if (source.phase === 'live') {
      live += source.count;
      liveEntries++;
    } else {
      test += source.count;
      testEntries++;
    }
  }
  return { live, test, liveEntries, testEntries };
}

/**
 * The day aggregate after `changes` (all of one date and service, in any order, replays included), or
 * undefined when none of them is newer than what the aggregate already holds.
 */
export function applyChangesToDay(
  day: DayAggregate | undefined,
  changes: readonly CountChange[],
  labels: ServiceLabels,
): DayAggregate | undefined {
  const first = changes[0];
  if (!first) return undefined;
  const sources: Record<string, AppliedSource> = { ...(day?.sources ?? {}) };
  // A day whose first applied record was a delete (delivered before the insert) has no department yet.
  let departmentId = day?.departmentId === UNKNOWN_DEPARTMENT ? undefined : day?.departmentId;
  let changed = false;
  for (const change of changes) {
    if (change.serviceCode !== first.serviceCode || change.date !== first.date) {
      throw new RangeError('applyChangesToDay takes the changes of one date and service');
    }
    const applied = sources[change.locationCode];
    if (!isNewerSequence(change.sequence, applied?.sequence)) continue;
    sources[change.locationCode] = change.next
      ? { count: change.next.count, phase: change.next.phase, sequence: change.sequence }
      : { count: 0, phase: applied?.phase ?? 'test', sequence: change.sequence, removed: true };
    departmentId ??= change.next?.departmentId;
    changed = true;
  }
  if (!changed) return undefined;
  return {
    date: first.date,
    serviceCode: first.serviceCode,
    departmentId: departmentId ?? UNKNOWN_DEPARTMENT,
    category: labels.category ?? day?.category ?? UNKNOWN_CATEGORY,
    ...((labels.serviceName ?? day?.serviceName) === undefined
      ? {}
      : { serviceName: labels.serviceName ?? day?.serviceName }),
    sources,
    version: (day?.version ?? 0) + 1,
    ...totalsOf(sources),
  };
}

/** The month aggregate with the day's totals, or undefined when it already holds them (or newer ones). */
export function applyDayToMonth(
  month: MonthAggregate | undefined,
  day: DayAggregate,
): MonthAggregate | undefined {
  const dayOfMonth = day.date.slice(8, 10);
  const held = month?.days[dayOfMonth];
  if (held && held.version >= day.version) return undefined;
  return {
    month: day.date.slice(0, 7),
    serviceCode: day.serviceCode,
    // A day that only saw deletes does not know the department (and totals nothing): keep the month's.
    departmentId:
      day.departmentId === UNKNOWN_DEPARTMENT
        ? (month?.departmentId ?? UNKNOWN_DEPARTMENT)
        : day.departmentId,
    category: day.category,
    ...(day.serviceName === undefined ? {} : { serviceName: day.serviceName }),
    days: {
      ...(month?.days ?? {}),
      [dayOfMonth]: { ...phaseTotalsOf(day), version: day.version },
    },
    version: (month?.version ?? 0) + 1,
  };
}

/** The sum of a month aggregate's days. */
export function monthTotalsOf(month: MonthAggregate): PhaseTotals {
  return sumOf(Object.values(month.days));
}

export function sumOf(totals: readonly PhaseTotals[]): PhaseTotals {
  return totals.reduce<PhaseTotals>((sum, each) => addTotals(sum, each), NO_TOTALS);
}

/**
 * The department's month rollup with the services' month totals (month aggregates of that month and
 * department, any order, replays included), or undefined when it already holds them or newer ones.
 */
export function applyMonthsToRollup(
  rollup: MonthRollup | undefined,
  months: readonly MonthAggregate[],
): MonthRollup | undefined {
  const next = rollUp(
    rollup,
    months,
    (month) => month.month,
    (month): ServiceMonthTotals => ({
      ...monthTotalsOf(month),
      category: month.category,
      ...(month.serviceName === undefined ? {} : { serviceName: month.serviceName }),
      version: month.version,
    }),
  );
  return (
    next && {
      month: next.period,
      departmentId: next.departmentId,
      services: next.services,
      version: next.version,
    }
  );
}

/**
 * The department's day rollup with the services' day totals (day aggregates of that date and department,
 * any order, replays included), or undefined when it already holds them or newer ones.
 */
export function applyDaysToDayRollup(
  rollup: DayRollup | undefined,
  days: readonly DayAggregate[],
): DayRollup | undefined {
  const next = rollUp(
    rollup,
    days,
    (day) => day.date,
    (day): ServiceDayTotals => ({ ...phaseTotalsOf(day), category: day.category, version: day.version }),
  );
  return (
    next && {
      date: next.period,
      departmentId: next.departmentId,
      services: next.services,
      totals: categoryTotalsOf(next.services),
      version: next.version,
    }
  );
}

/**
 * A department rollup's next version: each service's totals replaced by those of a newer version of its
 * aggregate (older and equal versions are replays or late writers), or undefined when none was newer.
 * The aggregates are of one period (`periodOf`) and department; those of no known department yet total
 * nothing and are left out.
 */
function rollUp<A extends RolledUp, T extends { readonly version: number }>(
  rollup: { readonly services: Readonly<Record<string, T>>; readonly version: number } | undefined,
  aggregates: readonly A[],
  periodOf: (aggregate: A) => string,
  totalsOf: (aggregate: A) => T,
): { period: string; departmentId: string; services: Record<string, T>; version: number } | undefined {
  const first = aggregates[0];
  if (!first || first.departmentId === UNKNOWN_DEPARTMENT) return undefined;
  const period = periodOf(first);
  if (aggregates.some((each) => periodOf(each) !== period || each.departmentId !== first.departmentId)) {
    throw new RangeError('A rollup takes the aggregates of one period and department');
  }
  const services: Record<string, T> = { ...(rollup?.services ?? {}) };
  let changed = false;
  for (const aggregate of aggregates) {
    const current = services[aggregate.serviceCode];
    if (current && current.version >= aggregate.version) continue;
    services[aggregate.serviceCode] = totalsOf(aggregate);
    changed = true;
  }
  if (!changed) return undefined;
  return { period, departmentId: first.departmentId, services, version: (rollup?.version ?? 0) + 1 };
}

/** What a rollup reads of its services' aggregates, besides their totals. */
type RolledUp = Pick<DayAggregate, 'serviceCode' | 'departmentId' | 'version'>;

/** The services' totals summed per category (categories with no entries are left out). */
function categoryTotalsOf(services: Readonly<Record<string, ServiceDayTotals>>): Record<string, PhaseTotals> {
  const totals: Record<string, PhaseTotals> = {};
  for (const service of Object.values(services)) {
    if (service.liveEntries + service.testEntries === 0) continue;
    totals[service.category] = addTotals(totals[service.category] ?? NO_TOTALS, service);
  }
  return totals;
}

function addTotals(a: PhaseTotals, b: PhaseTotals): PhaseTotals {
  return {
    live: a.live + b.live,
    test: a.test + b.test,
    liveEntries: a.liveEntries + b.liveEntries,
    testEntries: a.testEntries + b.testEntries,
  };
}

/** A raw count row as reconciliation reads it. */
export interface RawCount {
  readonly serviceCode: string;
  readonly departmentId: string;
  readonly date: string;
  readonly count: number;
  readonly phase: CountPhase;
}

/**
 * What the day totals must be, recomputed from raw rows (reconciliation, tests): of each service, keyed
 * `dayKey(date, serviceCode)`, or of what `keyOf` says (each department's: `dayKey(date, departmentId)`).
 */
export function recomputeDays(
  rows: readonly RawCount[],
  keyOf: (row: RawCount) => string = (row) => dayKey(row.date, row.serviceCode),
): Map<string, PhaseTotals> {
  const byKey = new Map<string, PhaseTotals>();
  for (const row of rows) {
    const key = keyOf(row);
    const live = row.phase === 'live';
    byKey.set(
      key,
      addTotals(byKey.get(key) ?? NO_TOTALS, {
        live: live ? row.count : 0,
        test: live ? 0 : row.count,
        liveEntries: live ? 1 : 0,
        testEntries: live ? 0 : 1,
      }),
    );
  }
  return byKey;
}

export const dayKey = (date: string, code: string) => `${date}#${code}`;

export interface Drift {
  readonly serviceCode: string;
  readonly expected: PhaseTotals;
  readonly aggregated: PhaseTotals;
}

export interface DepartmentDrift {
  readonly departmentId: string;
  readonly expected: PhaseTotals;
  readonly aggregated: PhaseTotals;
}

/**
 * Services of one date (or month, YYYY-MM) whose aggregated totals differ from the recomputation; both maps
 * are keyed `dayKey(date, serviceCode)`.
 */
export function driftOf(
  date: string,
  expected: ReadonlyMap<string, PhaseTotals>,
  aggregated: ReadonlyMap<string, PhaseTotals>,
): Drift[] {
  return mismatches(date, expected, aggregated).map(({ code, ...totals }) => ({
    serviceCode: code,
    ...totals,
  }));
}

/** Departments of one date whose totals differ; both maps keyed `dayKey(date, departmentId)`. */
export function departmentDriftOf(
  date: string,
  expected: ReadonlyMap<string, PhaseTotals>,
  aggregated: ReadonlyMap<string, PhaseTotals>,
): DepartmentDrift[] {
  return mismatches(date, expected, aggregated).map(({ code, ...totals }) => ({
    departmentId: code,
    ...totals,
  }));
}

function mismatches(
  date: string,
  expected: ReadonlyMap<string, PhaseTotals>,
  aggregated: ReadonlyMap<string, PhaseTotals>,
): { code: string; expected: PhaseTotals; aggregated: PhaseTotals }[] {
  const codes = new Set<string>();
  const prefix = `${date}#`;
  for (const key of expected.keys()) if (key.startsWith(prefix)) codes.add(key.slice(prefix.length));
  for (const key of aggregated.keys()) if (key.startsWith(prefix)) codes.add(key.slice(prefix.length));
  const found: { code: string; expected: PhaseTotals; aggregated: PhaseTotals }[] = [];
  for (const code of [...codes].sort()) {
    const want = expected.get(dayKey(date, code)) ?? NO_TOTALS;
    const have = aggregated.get(dayKey(date, code)) ?? NO_TOTALS;
    if (
      want.live !== have.live ||
      want.test !== have.test ||
      want.liveEntries !== have.liveEntries ||
      want.testEntries !== have.testEntries
    ) {
      found.push({ code, expected: want, aggregated: have });
    }
  }
  return found;
}
