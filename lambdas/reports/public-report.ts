import type { SilentService } from './aggregate';
import {
  type CategoryTotal,
  type DayTotal,
  type DepartmentTotal,
  liveTotalsByCategory,
  liveTotalsByDay,
  liveTotalsByDepartment,
  liveTotalsByMonth,
  type MonthTotal,
  publicWindows,
  type ServiceTotal,
  topLiveServices,
} from './public-figures';
import { silentReport, totalsReport } from './reports';

/**
 * The public figures of e-Taal Delhi as of a date, through the same report queries as the admin routes
 * (so they equal what `GET /admin/reports/totals` answers for the same range, live phase).
 */
export interface PublicReport {
  /** The last day the figures include. */
  readonly asOf: string;
  /** The daily window (PUBLIC_WINDOW_DAYS days ending at asOf). */
  readonly days: { readonly from: string; readonly to: string };
  /** The monthly window (PUBLIC_WINDOW_MONTHS calendar months ending with asOf's). */
  readonly months: { readonly from: string; readonly to: string };
  /** Live e-transactions in the daily window, and on asOf alone. */
  readonly totalInDays: number;
  readonly totalOnAsOf: number;
  readonly byDay: readonly DayTotal[];
  readonly byMonth: readonly MonthTotal[];
  readonly byDepartment: readonly DepartmentTotal[];
  readonly byCategory: readonly CategoryTotal[];
  readonly topServices: readonly ServiceTotal[];
  /** Live services and those that sent no count for asOf. */
  readonly liveServices: number;
  readonly silentServices: readonly SilentService[];
}

export async function publicReport(asOf: string): Promise<PublicReport> {
  const { days, months } = publicWindows(asOf);
  const [windowTotals, monthTotals, silent] = await Promise.all([
    totalsReport({ ...days, groupBy: ['date', 'department', 'service', 'category', 'phase'] }),
    totalsReport({ ...months, groupBy: ['date', 'phase'] }),
    silentReport(asOf),
  ]);
  const byDay = liveTotalsByDay(windowTotals.rows, days.from, days.to);
  return {
    asOf,
    days,
    months,
    totalInDays: byDay.reduce((sum, day) => sum + day.total, 0),
    totalOnAsOf: byDay.at(-1)?.total ?? 0,
    byDay,
    byMonth: liveTotalsByMonth(monthTotals.rows, months.from, months.to),
    byDepartment: liveTotalsByDepartment(windowTotals.rows),
    byCategory: liveTotalsByCategory(windowTotals.rows),
    topServices: topLiveServices(windowTotals.rows),
    liveServices: silent.liveServices,
    silentServices: silent.silent,
  };
}
