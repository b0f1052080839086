import { formatDayNumber, MS_PER_DAY, requireIsoDate } from '../core/iso-date';
import { SERVICE_CATEGORIES } from '../core/service-categories';
import type { TotalRow } from './aggregate';

/**
 * The public e-Taal Delhi figures, as pure functions over report rows: what national e-Taal shows for a
 * state. Only **live** counts are public (test counts of step 8 are a department's integration test, not
 * e-transactions); totals per department, category and service of live services are what e-Taal
 * publishes. Everything else per department stays behind the IAM-authorized report routes.
 */

/** Days in the daily chart and in the department, category and top-service totals. */
export const PUBLIC_WINDOW_DAYS = 30;
/** Months in the monthly chart, the month of the as-of date included. */
export const PUBLIC_WINDOW_MONTHS = 12;
/** Services listed as the top ones by e-transactions. */
export const TOP_SERVICES = 10;

export interface DayTotal {
  readonly date: string;
  readonly total: number;
}
export interface MonthTotal {
  /** YYYY-MM */
  readonly month: string;
  readonly total: number;
}
export interface DepartmentTotal {
  readonly departmentCode: string;
  readonly departmentName: string;
  readonly total: number;
}
export interface CategoryTotal {
  readonly category: string;
  readonly total: number;
}
export interface ServiceTotal {
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly departmentCode: string;
  readonly total: number;
}

/** The windows the figures of an as-of date cover; every range fits a report (≤ 366 days). */
export function publicWindows(asOf: string): {
  days: { from: string; to: string };
  months: { from: string; to: string };
} {
  const last = requireIsoDate(asOf);
  const monthStart = new Date(last * MS_PER_DAY);
  monthStart.setUTCDate(1);
  monthStart.setUTCMonth(monthStart.getUTCMonth() - (PUBLIC_WINDOW_MONTHS - 1));
  return {
    days: { from: formatDayNumber(last - (PUBLIC_WINDOW_DAYS - 1)), to: asOf },
    months: { from: monthStart.toISOString().slice(0, 10), to: asOf },
  };
}

const isLive = (row: TotalRow) => row.phase === 'live';

function sumBy<K extends string>(rows: readonly TotalRow[], key: (row: TotalRow) => K): Map<K, number> {
  const sums = new Map<K, number>();
  for (const row of rows.filter(isLive)) sums.set(key(row), (sums.get(key(row)) ?? 0) + row.total);
  return sums;
}

const byTotalDesc = (a: { total: number }, b: { total: number }) => b.total - a.total;

/** Every day of the range, days without counts as 0 (a chart must show the gap). */
export function liveTotalsByDay(rows: readonly TotalRow[], from: string, to: string): DayTotal[] {
  const sums = sumBy(rows, (row) => row.date ?? '');
  const days: DayTotal[] = [];
  for (let day = requireIsoDate(from); day <= requireIsoDate(to); day++) {
    const date = formatDayNumber(day);
    days.push({ date, total: sums.get(date) ?? 0 });
  }
  return days;
}

/** Every month of the range, months without counts as 0. */
export function liveTotalsByMonth(rows: readonly TotalRow[], from: string, to: string): MonthTotal[] {
  const sums = sumBy(rows, (row) => (row.date ?? '').slice(0, 7));
  const months: MonthTotal[] = [];
  const cursor = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  while (cursor.toISOString().slice(0, 7) <= to.slice(0, 7)) {
    const month = cursor.toISOString().slice(0, 7);
    months.push({ month, total: sums.get(month) ?? 0 });
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

export function liveTotalsByDepartment(rows: readonly TotalRow[]): DepartmentTotal[] {
  const names = new Map(rows.map((row) => [row.departmentCode ?? '', row.departmentName ?? '']));
  return [...sumBy(rows, (row) => row.departmentCode ?? '')]
    .map(([departmentCode, total]) => ({
      departmentCode,
      departmentName: names.get(departmentCode) ?? '',
      total,
    }))
    .sort((a, b) => byTotalDesc(a, b) || a.departmentCode.localeCompare(b.departmentCode));
}

/** The four e-Taal categories always, in their usual order; any other value after them. */
export function liveTotalsByCategory(rows: readonly TotalRow[]): CategoryTotal[] {
  const sums = sumBy(rows, (row) => row.category ?? '');
  const others = [...sums.keys()].filter((c) => !(SERVICE_CATEGORIES as readonly string[]).includes(c));
  return [...SERVICE_CATEGORIES, ...others.sort()].map((category) => ({
    category,
    total: sums.get(category) ?? 0,
  }));
}

export function topLiveServices(rows: readonly TotalRow[], limit = TOP_SERVICES): ServiceTotal[] {
  const info = new Map(rows.map((row) => [row.serviceCode ?? '', row]));
  return [...sumBy(rows, (row) => row.serviceCode ?? '')]
    .map(([serviceCode, total]) => ({
      serviceCode,
      serviceName: info.get(serviceCode)?.serviceName ?? '',
      departmentCode: info.get(serviceCode)?.departmentCode ?? '',
      total,
    }))
    .sort((a, b) => byTotalDesc(a, b) || a.serviceCode.localeCompare(b.serviceCode))
    .slice(0, limit);
}
