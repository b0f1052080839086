import { createHash } from 'node:crypto';
import { requireIsoDate } from '../core/iso-date';
import { queryCountsOfDate } from '../counts/repository';
import { ValidationError } from '../shared/errors';
import {
  aggregateTotals,
  datesBetween,
  type GroupDimension,
  type ReportCount,
  type ServiceInfo,
  type SilentService,
  silentServices,
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
 * Answers are paged: `limit` rows and an opaque `cursor` for the next page.
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
  /** This page's rows, in the order of date, month, department, service, category, phase. */
  readonly rows: TotalRow[];
  /** Sum over every row of every page. */
  readonly total: number;
  /** Rows over all pages. */
  readonly rowCount: number;
  readonly nextCursor?: string;
}

/** Throws RangeError for dates that are not YYYY-MM-DD or a range that is inverted or too long. */
export async function totalsReport(query: TotalsQuery, page: Page = {}): Promise<TotalsReport> {
  const rows = await totalRows(query);
  const paged = pageOf(rows, query, page);
  return { ...query, ...paged, total: rows.reduce((sum, row) => sum + row.total, 0), rowCount: rows.length };
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
  const from = requireIsoDate(query.from);
  const to = requireIsoDate(query.to);
  if (!datesBetween(from, to)) {
    throw new RangeError('from must not be after to, and the range must be at most 366 days');
  }
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
  const departments = await departmentsById(departmentIds);
  return aggregateTotals(counts, services, departments, query.groupBy, {
    ...(query.departmentCode === undefined ? {} : { departmentCode: query.departmentCode }),
  });
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
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return range.from <= `${month}-01` && `${month}-${String(lastDay).padStart(2, '0')}` <= range.to;
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

function pageOf(
  rows: readonly TotalRow[],
  query: TotalsQuery,
  page: Page,
): { rows: TotalRow[]; nextCursor?: string } {
  const limit = page.limit ?? DEFAULT_PAGE_ROWS;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([query.from, query.to, query.groupBy, query.departmentCode, query.phase]))
    .digest('base64url')
    .slice(0, 16);
  const offset = page.cursor === undefined ? 0 : decodeCursor(page.cursor, fingerprint);
  const end = offset + limit;
  return {
    rows: rows.slice(offset, end),
    ...(end < rows.length
      ? { nextCursor: Buffer.from(JSON.stringify({ o: end, q: fingerprint })).toString('base64url') }
      : {}),
  };
}

function decodeCursor(cursor: string, fingerprint: string): number {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      o?: unknown;
      q?: unknown;
    };
    if (value.q === fingerprint && Number.isInteger(value.o) && (value.o as number) >= 0)
      return value.o as number;
  } catch {
    // falls through
  }
  throw ValidationError.forField('cursor', 'Not the nextCursor of a previous page of this report');
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
