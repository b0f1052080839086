import { requireIsoDate } from '../core/iso-date';
import {
  aggregateTotals,
  datesBetween,
  type GroupDimension,
  type SilentService,
  silentServices,
  type TotalRow,
} from './aggregate';
import {
  countsOfDays,
  departmentsById,
  liveCodesReportedOn,
  liveServices,
  servicesByCode,
} from './repository';

/** The two DeGS reports, shared by the IAM-authorized API routes and the admin CLI. */

export interface TotalsQuery {
  readonly from: string;
  readonly to: string;
  readonly groupBy: readonly GroupDimension[];
  readonly departmentCode?: string;
}

export interface TotalsReport extends TotalsQuery {
  readonly rows: TotalRow[];
  readonly total: number;
}

/** Throws RangeError for dates that are not YYYY-MM-DD or a range that is inverted or too long. */
export async function totalsReport(query: TotalsQuery): Promise<TotalsReport> {
  const days = datesBetween(requireIsoDate(query.from), requireIsoDate(query.to));
  if (!days) throw new RangeError('from must not be after to, and the range must be at most 366 days');
  const counts = await countsOfDays(days);
  const [services, departments] = await Promise.all([
    servicesByCode(counts.map((c) => c.serviceCode)),
    departmentsById(counts.map((c) => c.departmentId)),
  ]);
  const rows = aggregateTotals(counts, services, departments, query.groupBy, {
    ...(query.departmentCode === undefined ? {} : { departmentCode: query.departmentCode }),
  });
  return { ...query, rows, total: rows.reduce((sum, row) => sum + row.total, 0) };
}

export interface SilentReport {
  readonly date: string;
  readonly liveServices: number;
  readonly silent: SilentService[];
}

export async function silentReport(date: string): Promise<SilentReport> {
  requireIsoDate(date);
  const [live, reported] = await Promise.all([liveServices(), liveCodesReportedOn(date)]);
  const departments = await departmentsById(live.map((s) => s.departmentId));
  return { date, liveServices: live.length, silent: silentServices(live, reported, departments) };
}
