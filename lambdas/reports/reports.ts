import { createHash } from 'node:crypto';
import { parseIsoDate, requireIsoDate } from '../core/iso-date';
import { queryCountsOfDate } from '../counts/repository';
import { ValidationError } from '../shared/errors';
import {
  aggregateTotals,
  datesBetween,
  type GroupDimension,
  type ReportCount,
  type ServiceInfo,
  type SilentService,
  SORT_FIELDS,
  silentServices,
  sortKeyOf,
  sortValuesOf,
  type TotalRow,
} from './aggregate';
import {
  type DepartmentDayTotals,
  dayAggregates,
  dayRollupsOf,
  dayRollupTotals,
  monthAggregates,
  monthRollups,
} from './aggregates-repository';
import {
  type DepartmentDrift,
  type Drift,
  dayKey,
  departmentDriftOf,
  driftOf,
  type MonthAggregate,
  type MonthRollup,
  monthTotalsOf,
  type PhaseTotals,
  recomputeDays,
  sumOf,
} from './aggregation';
import { departmentsById, liveServices } from './repository';

/**
 * The DeGS reports, shared by the IAM-authorized API routes, the admin CLI and the dashboard. They read
 * the aggregates (lambdas/reports/aggregation.ts) only, never raw count rows, and of them the coarsest
 * that answers the grouping, month by month of the range (`sourceFor`):
 *   - without dates, a month the range covers whole is its departments' month rollups (a year of the whole
 *     state: 12 items per department);
 *   - without services, the other months are their departments' day rollups, projected on their totals
 *     per category (a year by date: 365 small items per department);
 *   - with services, the other months are their services' month aggregates (13 per service for a year).
 * The memory a report needs grows with the items it reads and the groups it answers, not with raw rows.
 *
 * Answers are paged by key (`totalsReport`): rows come in the order of SORT_FIELDS (date, month, department,
 * service, category, phase, each by code unit), and a page's `nextCursor` carries its last row's values of
 * them, so the next page starts after that row whatever changed in between (no row repeated, none skipped
 * that existed on both reads). Rows of one day (or month) never total another's: with `date` (or `month`)
 * in the grouping a page reads the range month by month from its cursor's, and stops as soon as its rows
 * are filled. A grouping without either totals each row over the whole range, so each of its pages reads
 * the range; it is the grouping the month rollups answer cheaply (12 items per department for a year).
 * `total` comes from the department rollups on every page, without the rows.
 */

export const DEFAULT_PAGE_ROWS = 1000;
export const MAX_PAGE_ROWS = 5000;
/** Month partitions read at once. */
const PARALLEL_MONTHS = 13;

export interface TotalsQuery {
  readonly from: string;
  readonly to: string;
  readonly groupBy: readonly GroupDimension[];
  readonly departmentCode?: string;
  /** Only this phase ('live' for what e-Taal shows). */
  readonly phase?: 'live' | 'test';
}

export interface Page {
  readonly limit?: number;
  /** `nextCursor` of the previous page of the same query. */
  readonly cursor?: string;
}

export interface TotalsReport extends TotalsQuery {
  /** This page's rows, in the order of SORT_FIELDS: date, month, department, service, category, phase. */
  readonly rows: TotalRow[];
  /** Sum over every row of every page (read from the department rollups, the same on every page). */
  readonly total: number;
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/**
 * One page of a totals report: at most `limit` rows after the cursor's. Throws RangeError for dates that
 * are not YYYY-MM-DD or a range that is inverted or too long, and a ValidationError naming `cursor` for a
 * cursor that is not the `nextCursor` of a page of this very query.
 */
export async function totalsReport(query: TotalsQuery, page: Page = {}): Promise<TotalsReport> {
  requireRange(query);
  const limit = page.limit ?? DEFAULT_PAGE_ROWS;
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, query);
  // One row more than the page tells whether another page follows, even when this one ends a day.
  const [rows, total] = await Promise.all([rowsAfter(query, after, limit + 1), rangeTotal(query)]);
  const last = rows[limit - 1];
  return {
    ...query,
    rows: rows.slice(0, limit),
    total,
    ...(rows.length > limit && last ? { nextCursor: cursorAfter(query, last) } : {}),
  };
}

export interface TopService {
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly departmentCode: string;
  readonly category: string;
  readonly total: number;
}

/** The live services with the most e-transactions in the range, most first. */
export async function topServices(from: string, to: string, limit = 10): Promise<TopService[]> {
  const rows = await totalRows({ from, to, groupBy: ['service', 'department', 'category'], phase: 'live' });
  return rows
    .sort((a, b) => b.total - a.total || (a.serviceCode ?? '').localeCompare(b.serviceCode ?? ''))
    .slice(0, limit)
    .map((row) => ({
      serviceCode: row.serviceCode ?? '',
      serviceName: row.serviceName ?? '',
      departmentCode: row.departmentCode ?? '',
      category: row.category ?? '',
      total: row.total,
    }));
}

/** Every row of a totals report, unpaged: for in-process callers that need the whole answer (the dashboard). */
export async function totalRows(query: TotalsQuery): Promise<TotalRow[]> {
  requireRange(query);
  const read = await countsOf(query);
  const departments = await departmentsById(read.departmentIds);
  return aggregateTotals(read.counts, read.services, departments, query.groupBy, filterOf(query));
}

const filterOf = (query: TotalsQuery) =>
  query.departmentCode === undefined ? {} : { departmentCode: query.departmentCode };

function requireRange(query: Pick<TotalsQuery, 'from' | 'to'>): void {
  if (!datesBetween(requireIsoDate(query.from), requireIsoDate(query.to))) {
    throw new RangeError('from must not be after to, and the range must be at most 366 days');
  }
}

/**
 * The rows after the `after` key (a row's SORT_FIELDS values), at most `wanted` of them. With `date` or
 * `month` in the grouping, the months of the range from the cursor's are read one after the other, and
 * their counts aggregated a day (or a month) at a time, until `wanted` rows are found.
 */
async function rowsAfter(
  query: TotalsQuery,
  after: readonly string[] | undefined,
  wanted: number,
): Promise<TotalRow[]> {
  const afterKey = after && sortKeyOf(after);
  const isAfter = (row: TotalRow) => afterKey === undefined || sortKeyOf(sortValuesOf(row)) > afterKey;
  const byDay = query.groupBy.includes('date');
  if (!byDay && !query.groupBy.includes('month')) {
    // Any row may total counts of every day of the range: there is no part of it to skip.
    return (await totalRows(query)).filter(isAfter).slice(0, wanted);
  }
  const start = after === undefined ? query.from : byDay ? (after[0] as string) : `${after[1]}-01`;
  const rows: TotalRow[] = [];
  for (const month of monthsBetween(start, query.to)) {
    const part = {
      ...query,
      // ISO dates sort as strings.
      from: [query.from, start, `${month}-01`].sort()[2] as string,
      to: [query.to, lastDayOf(month)].sort()[0] as string,
    };
    const read = await countsOf(part);
    const departments = await departmentsById(read.departmentIds);
    for (const counts of byDay ? countsByDate(read.counts) : [read.counts]) {
      for (const row of aggregateTotals(counts, read.services, departments, query.groupBy, filterOf(query))) {
        if (isAfter(row)) rows.push(row);
      }
      if (rows.length >= wanted) return rows.slice(0, wanted);
    }
  }
  return rows;
}

/** The counts of each date, dates in order. */
function countsByDate(counts: readonly ReportCount[]): ReportCount[][] {
  const byDate = new Map<string, ReportCount[]>();
  for (const count of counts) {
    const ofDate = byDate.get(count.date);
    if (ofDate) ofDate.push(count);
    else byDate.set(count.date, [count]);
  }
  return [...byDate.keys()].sort().map((date) => byDate.get(date) as ReportCount[]);
}

/**
 * The sum of every row's total, from the department rollups whatever the grouping: month rollups for the
 * months the range covers whole, the day rollups' totals per category for the others (a year: 12 items per
 * department). Equal to the rows' sum, which month aggregates give, once the aggregator has applied a change
 * to both (the same stream record; reconcile lists any drift).
 */
async function rangeTotal(query: TotalsQuery): Promise<number> {
  const byDepartment = new Map<string, number>();
  const add = (departmentId: string, totals: PhaseTotals) =>
    byDepartment.set(
      departmentId,
      (byDepartment.get(departmentId) ?? 0) +
        (query.phase === 'test' ? 0 : totals.live) +
        (query.phase === 'live' ? 0 : totals.test),
    );
  const months = monthsBetween(query.from, query.to);
  await Promise.all([
    forEachMonthRollup(
      months.filter((month) => coversMonth(query, month)),
      (rollup) => {
        for (const totals of Object.values(rollup.services)) add(rollup.departmentId, totals);
      },
    ),
    forEachDayRollup(
      months.filter((month) => !coversMonth(query, month)),
      query,
      (day) => {
        for (const totals of Object.values(day.totals)) add(day.departmentId, totals);
      },
    ),
  ]);
  const departments =
    query.departmentCode === undefined ? undefined : await departmentsById(byDepartment.keys());
  let total = 0;
  for (const [departmentId, sum] of byDepartment) {
    if (!departments || departments.get(departmentId)?.code === query.departmentCode) total += sum;
  }
  return total;
}

/** The counts of the range as the coarsest aggregates give them, with the services and departments they name. */
async function countsOf(query: TotalsQuery): Promise<{
  counts: ReportCount[];
  services: Map<string, ServiceInfo>;
  departmentIds: Set<string>;
}> {
  const byDay = query.groupBy.includes('date');
  const counts: ReportCount[] = [];
  const departmentIds = new Set<string>();
  const services = new Map<string, ServiceInfo>();
  const noteService = (service: ServiceInfo) => {
    departmentIds.add(service.departmentId);
    services.set(service.serviceCode, service);
  };
  const months = monthsBetween(query.from, query.to);
  const monthsFrom = (source: AggregateSource) =>
    months.filter((month) => sourceFor(query, month) === source);
  await Promise.all([
    forEachMonthRollup(monthsFrom('monthRollups'), (rollup) => {
      for (const [serviceCode, totals] of Object.entries(rollup.services)) {
        const service = {
          serviceCode,
          departmentId: rollup.departmentId,
          category: totals.category,
          ...(totals.serviceName === undefined ? {} : { serviceName: totals.serviceName }),
        };
        noteService(service);
        pushCounts(counts, { ...service, date: `${rollup.month}-01` }, totals, query.phase);
      }
    }),
    forEachDayRollup(monthsFrom('dayRollups'), query, (day) => {
      departmentIds.add(day.departmentId);
      for (const [category, totals] of Object.entries(day.totals)) {
        pushCounts(counts, { date: day.date, departmentId: day.departmentId, category }, totals, query.phase);
      }
    }),
    forEachMonthAggregate(monthsFrom('monthAggregates'), (month) => {
      const service = {
        serviceCode: month.serviceCode,
        departmentId: month.departmentId,
        category: month.category,
        ...(month.serviceName === undefined ? {} : { serviceName: month.serviceName }),
      };
      noteService(service);
      const sums = { live: 0, test: 0, liveEntries: 0, testEntries: 0 };
      for (const [dayOfMonth, totals] of Object.entries(month.days)) {
        const date = `${month.month}-${dayOfMonth}`;
        if (date < query.from || date > query.to) continue;
        if (byDay) pushCounts(counts, { ...service, date }, totals, query.phase);
        else {
          sums.live += totals.live;
          sums.test += totals.test;
          sums.liveEntries += totals.liveEntries;
          sums.testEntries += totals.testEntries;
        }
      }
      // Without dates in the grouping a month item becomes one entry per phase, whatever the range.
      if (!byDay) pushCounts(counts, { ...service, date: `${month.month}-01` }, sums, query.phase);
    }),
  ]);
  return { counts, services, departmentIds };
}

/** Where a report reads a month (YYYY-MM) of its range from. */
export type AggregateSource = 'monthRollups' | 'dayRollups' | 'monthAggregates';

/** The coarsest aggregate that answers the query's grouping for one month of its range. */
export function sourceFor(
  query: Pick<TotalsQuery, 'from' | 'to' | 'groupBy'>,
  month: string,
): AggregateSource {
  if (!query.groupBy.includes('date') && coversMonth(query, month)) return 'monthRollups';
  return query.groupBy.includes('service') ? 'monthAggregates' : 'dayRollups';
}

/** Up to two counts (live, test) of a service's or a department's totals. */
function pushCounts(
  counts: ReportCount[],
  of: { date: string; departmentId: string; serviceCode?: string; category?: string },
  totals: PhaseTotals,
  phase: 'live' | 'test' | undefined,
): void {
  const base = {
    date: of.date,
    departmentId: of.departmentId,
    ...(of.serviceCode === undefined ? {} : { serviceCode: of.serviceCode }),
    ...(of.category === undefined ? {} : { category: of.category }),
  };
  if (totals.liveEntries > 0 && phase !== 'test') {
    counts.push({ ...base, phase: 'live', count: totals.live, entries: totals.liveEntries });
  }
  if (totals.testEntries > 0 && phase !== 'live') {
    counts.push({ ...base, phase: 'test', count: totals.test, entries: totals.testEntries });
  }
}

async function forEachMonthAggregate(
  months: readonly string[],
  visit: (month: MonthAggregate) => void,
): Promise<void> {
  for (let i = 0; i < months.length; i += PARALLEL_MONTHS) {
    await Promise.all(
      months.slice(i, i + PARALLEL_MONTHS).map(async (month) => {
        for await (const items of monthAggregates(month)) for (const item of items) visit(item);
      }),
    );
  }
}

/** The day rollups' totals of the range's days in each month, months read at once. */
async function forEachDayRollup(
  months: readonly string[],
  range: { from: string; to: string },
  visit: (day: DepartmentDayTotals) => void,
): Promise<void> {
  for (let i = 0; i < months.length; i += PARALLEL_MONTHS) {
    await Promise.all(
      months.slice(i, i + PARALLEL_MONTHS).map(async (month) => {
        const fromDay = range.from.startsWith(month) ? range.from.slice(8, 10) : '01';
        const toDay = range.to.startsWith(month) ? range.to.slice(8, 10) : '31';
        for await (const days of dayRollupTotals(month, fromDay, toDay)) for (const day of days) visit(day);
      }),
    );
  }
}

async function forEachMonthRollup(
  months: readonly string[],
  visit: (rollup: MonthRollup) => void,
): Promise<void> {
  await Promise.all(
    months.map(async (month) => {
      for await (const rollups of monthRollups(month)) for (const rollup of rollups) visit(rollup);
    }),
  );
}

/** Whether the range holds every day of the month (YYYY-MM). */
function coversMonth(range: { from: string; to: string }, month: string): boolean {
  return range.from <= `${month}-01` && lastDayOf(month) <= range.to;
}

/** YYYY-MM-DD of the month's (YYYY-MM) last day. */
function lastDayOf(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, monthNumber, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** YYYY-MM of every month the range touches. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
}

/**
 * The `nextCursor` of a page ending with `row`: its SORT_FIELDS values and a fingerprint of them with the
 * query (and the cursor's format), base64url. Opaque to clients; a fingerprint is not a signature, it
 * catches a cursor of another query, an edited one and an offset cursor of the earlier format.
 */
export function cursorAfter(query: TotalsQuery, row: TotalRow): string {
  const key = sortValuesOf(row);
  return Buffer.from(JSON.stringify({ k: key, q: fingerprintOf(query, key) })).toString('base64url');
}

function fingerprintOf(query: TotalsQuery, key: readonly string[]): string {
  return createHash('sha256')
    .update(
      JSON.stringify(['keyset', query.from, query.to, query.groupBy, query.departmentCode, query.phase, key]),
    )
    .digest('base64url')
    .slice(0, 22);
}

/** The key a cursor carries, checked against the query; a ValidationError naming `cursor` otherwise. */
function decodeCursor(cursor: string, query: TotalsQuery): string[] {
  try {
    const { k: key, q } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      k?: unknown;
      q?: unknown;
    };
    if (
      Array.isArray(key) &&
      key.length === SORT_FIELDS.length &&
      key.every((value) => typeof value === 'string') &&
      q === fingerprintOf(query, key) &&
      periodInRange(query, key)
    ) {
      return key;
    }
  } catch {
    // falls through
  }
  throw ValidationError.forField('cursor', 'Not the nextCursor of a previous page of this report');
}

/** A key's date (or month) is one of the range's, when the grouping has it: where the next page starts. */
function periodInRange(query: TotalsQuery, [date, month]: readonly string[]): boolean {
  if (query.groupBy.includes('date')) {
    return date !== undefined && parseIsoDate(date) !== undefined && query.from <= date && date <= query.to;
  }
  if (query.groupBy.includes('month')) {
    return (
      month !== undefined &&
      /^\d{4}-\d{2}$/.test(month) &&
      query.from.slice(0, 7) <= month &&
      month <= query.to.slice(0, 7)
    );
  }
  return true;
}

export interface SilentReport {
  readonly date: string;
  readonly liveServices: number;
  readonly silent: SilentService[];
}

/** Live services with no live count for the date (a count of 0 is a report, not silence). */
export async function silentReport(date: string): Promise<SilentReport> {
  requireIsoDate(date);
  const reported = new Set<string>();
  const [live] = await Promise.all([
    liveServices(),
    forEachMonthAggregate([date.slice(0, 7)], (month) => {
      if ((month.days[date.slice(8, 10)]?.liveEntries ?? 0) > 0) reported.add(month.serviceCode);
    }),
  ]);
  const departments = await departmentsById(live.map((s) => s.departmentId));
  return { date, liveServices: live.length, silent: silentServices(live, reported, departments) };
}

export interface ReconcileReport {
  readonly date: string;
  /** Raw count rows of the date. */
  readonly rawRows: number;
  readonly services: number;
  /** Day aggregates that differ from the raw rows. */
  readonly dayDrift: Drift[];
  /** Month aggregates whose entry for the date differs from the raw rows. */
  readonly monthDrift: Drift[];
  /** Services whose totals in their department's month rollup differ from their month aggregate's. */
  readonly rollupDrift: Drift[];
  /** Services whose totals in their department's day rollup differ from the raw rows. */
  readonly dayRollupDrift: Drift[];
  /** Departments whose day rollup totals (what reports by date read) differ from their raw rows' sum. */
  readonly departmentDayDrift: DepartmentDrift[];
}

/** How many drifts a reconciliation found (0: the aggregates agree with the raw rows). */
export function driftCount(report: ReconcileReport): number {
  return (
    report.dayDrift.length +
    report.monthDrift.length +
    report.rollupDrift.length +
    report.dayRollupDrift.length +
    report.departmentDayDrift.length
  );
}

/**
 * Recomputes a day from its raw rows (the byDate index, every phase) and compares the day and month
 * aggregates and the day rollups with it, and the month's rollups with its month aggregates. Admin use;
 * the only report that reads raw rows.
 */
export async function reconcileDay(date: string): Promise<ReconcileReport> {
  requireIsoDate(date);
  const [rows, days, dayRollups] = await Promise.all([
    queryCountsOfDate(date),
    dayAggregates(date),
    dayRollupsOf(date),
  ]);
  const month = date.slice(0, 7);
  const monthTotals = new Map<string, PhaseTotals>();
  const monthSums = new Map<string, PhaseTotals>();
  const rollupTotals = new Map<string, PhaseTotals>();
  await Promise.all([
    forEachMonthAggregate([month], (aggregate) => {
      const totals = aggregate.days[date.slice(8, 10)];
      if (totals) monthTotals.set(dayKey(date, aggregate.serviceCode), totals);
      monthSums.set(dayKey(month, aggregate.serviceCode), monthTotalsOf(aggregate));
    }),
    forEachMonthRollup([month], (rollup) => {
      for (const [serviceCode, totals] of Object.entries(rollup.services)) {
        rollupTotals.set(dayKey(month, serviceCode), totals);
      }
    }),
  ]);
  const dayRollupTotals = new Map<string, PhaseTotals>();
  const departmentTotals = new Map<string, PhaseTotals>();
  for (const rollup of dayRollups) {
    for (const [serviceCode, totals] of Object.entries(rollup.services)) {
      dayRollupTotals.set(dayKey(date, serviceCode), totals);
    }
    departmentTotals.set(dayKey(date, rollup.departmentId), sumOf(Object.values(rollup.totals)));
  }
  const expected = recomputeDays(rows);
  const dayTotals = new Map(days.map((day) => [dayKey(date, day.serviceCode), day as PhaseTotals]));
  return {
    date,
    rawRows: rows.length,
    services: expected.size,
    dayDrift: driftOf(date, expected, dayTotals),
    monthDrift: driftOf(date, expected, monthTotals),
    rollupDrift: driftOf(month, monthSums, rollupTotals),
    dayRollupDrift: driftOf(date, expected, dayRollupTotals),
    departmentDayDrift: departmentDriftOf(
      date,
      recomputeDays(rows, (row) => dayKey(row.date, row.departmentId)),
      departmentTotals,
    ),
  };
}
