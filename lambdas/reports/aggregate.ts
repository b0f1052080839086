import type { CountPhase } from '../core/counts';

/**
 * DeGS reports, as pure functions over rows already read: totals grouped by any of date × department ×
 * service × category × phase, and the live services that sent nothing for a date.
 */

export const GROUP_DIMENSIONS = ['date', 'month', 'department', 'service', 'category', 'phase'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];
export const DEFAULT_GROUP_BY: readonly GroupDimension[] = ['department', 'service', 'category', 'phase'];

/** Reports span at most this many days (13 month aggregates per service at most). */
export const MAX_REPORT_DAYS = 366;

export interface ReportCount {
  readonly date: string;
  readonly departmentId: string;
  /** Absent when read from an aggregate of the whole department (groupings without services). */
  readonly serviceCode?: string;
  readonly phase: CountPhase;
  readonly count: number;
  /** How many raw daily totals `count` sums (1 when it is one raw row). */
  readonly entries?: number;
  /** The service's category as the aggregates keep it; else the service's own. */
  readonly category?: string;
}

export interface ServiceInfo {
  readonly serviceCode: string;
  readonly departmentId: string;
  readonly serviceName?: string;
  /** G2C, G2B, B2C or G2G, from the approved template. */
  readonly category?: string;
}

export interface DepartmentInfo {
  readonly departmentId: string;
  readonly code: string;
  readonly name: string;
}

export interface TotalRow {
  readonly date?: string;
  /** YYYY-MM */
  readonly month?: string;
  readonly departmentCode?: string;
  readonly departmentName?: string;
  readonly serviceCode?: string;
  readonly serviceName?: string;
  readonly category?: string;
  readonly phase?: CountPhase;
  /** Sum of the daily totals in the group. */
  readonly total: number;
  /** How many daily totals (service × date × location) were summed. */
  readonly entries: number;
}

const UNKNOWN = '?';

export function parseGroupBy(value: string | undefined): GroupDimension[] | undefined {
  if (value === undefined || value.trim() === '') return [...DEFAULT_GROUP_BY];
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => !(GROUP_DIMENSIONS as readonly string[]).includes(p))) return undefined;
  return [...new Set(parts as GroupDimension[])];
}

export function aggregateTotals(
  counts: readonly ReportCount[],
  services: ReadonlyMap<string, ServiceInfo>,
  departments: ReadonlyMap<string, DepartmentInfo>,
  groupBy: readonly GroupDimension[],
  filter: { departmentCode?: string } = {},
): TotalRow[] {
  // A year by date and service is some 730k counts. Groups are found through one map per dimension,
  // nested in the grouping's order, rather than one map of joined keys: a dimension's values (a service
  // code, a date) are short strings, many of them the same string object, whose hash V8 keeps, where a
  // joined key is a new string to build and hash for every count.
  const groups: GroupLevel = new Map();
  const rows: Group[] = [];
  const last = groupBy.length - 1;
  for (const count of counts) {
    const department = departments.get(count.departmentId);
    if (filter.departmentCode !== undefined && department?.code !== filter.departmentCode) continue;
    let level = groups;
    for (let i = 0; i < last; i++) {
      const value = dimensionValue(groupBy[i] as GroupDimension, count, department, services);
      let next = level.get(value) as GroupLevel | undefined;
      if (!next) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    const value =
      last < 0 ? '' : dimensionValue(groupBy[last] as GroupDimension, count, department, services);
    let group = level.get(value) as Group | undefined;
    if (!group) {
      group = { row: rowOf(groupBy, count, department, services), total: 0, entries: 0 };
      level.set(value, group);
      rows.push(group);
    }
    group.total += count.count;
    group.entries += count.entries ?? 1;
  }
  return rows
    .map(({ row, total, entries }) => ({
      sortKey: sortKeyOf(sortValuesOf(row)),
      row: { ...row, total, entries },
    }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map(({ row }) => row);
}

interface Group {
  readonly row: TotalRow;
  total: number;
  entries: number;
}

/** The groups under one dimension's values: the next dimension's, or (under the last) the group itself. */
type GroupLevel = Map<string, GroupLevel | Group>;

function dimensionValue(
  dimension: GroupDimension,
  count: ReportCount,
  department: DepartmentInfo | undefined,
  services: ReadonlyMap<string, ServiceInfo>,
): string {
  switch (dimension) {
    case 'date':
      return count.date;
    case 'month':
      return count.date.slice(0, 7);
    case 'department':
      return department?.code ?? UNKNOWN;
    case 'service':
      return count.serviceCode ?? UNKNOWN;
    case 'category':
      return categoryOf(count, services);
    case 'phase':
      return count.phase;
  }
}

function rowOf(
  groupBy: readonly GroupDimension[],
  count: ReportCount,
  department: DepartmentInfo | undefined,
  services: ReadonlyMap<string, ServiceInfo>,
): TotalRow {
  const service = count.serviceCode === undefined ? undefined : services.get(count.serviceCode);
  const row: Record<string, string | number> = {};
  for (const dimension of groupBy) {
    switch (dimension) {
      case 'date':
        row.date = count.date;
        break;
      case 'month':
        row.month = count.date.slice(0, 7);
        break;
      case 'department':
        row.departmentCode = department?.code ?? UNKNOWN;
        row.departmentName = department?.name ?? UNKNOWN;
        break;
      case 'service':
        row.serviceCode = count.serviceCode ?? UNKNOWN;
        row.serviceName = service?.serviceName ?? UNKNOWN;
        break;
      case 'category':
        row.category = categoryOf(count, services);
        break;
      case 'phase':
        row.phase = count.phase;
        break;
    }
  }
  return row as unknown as TotalRow;
}

/** The category the aggregates kept with the count, else the service's own. */
function categoryOf(count: ReportCount, services: ReadonlyMap<string, ServiceInfo>): string {
  return (
    count.category ??
    (count.serviceCode === undefined ? undefined : services.get(count.serviceCode)?.category) ??
    UNKNOWN
  );
}

/** The fields rows sort by, in turn: their order is the answer's, and a page's cursor is a row's values of them. */
export const SORT_FIELDS = ['date', 'month', 'departmentCode', 'serviceCode', 'category', 'phase'] as const;

/** A row's values of SORT_FIELDS ('' for a dimension not in the grouping). */
export function sortValuesOf(row: TotalRow): string[] {
  return SORT_FIELDS.map((field) => row[field] ?? '');
}

/** Rows sort by this key: each field by code unit, in SORT_FIELDS order (NUL is below any character of a field). */
export function sortKeyOf(values: readonly string[]): string {
  return values.join('\u0000');
}

export interface SilentService {
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly category: string;
  readonly departmentCode: string;
  readonly departmentName: string;
}

/** Live services with no live count stored for the date (a count of 0 is a report, not silence). */
export function silentServices(
  liveServices: readonly ServiceInfo[],
  reportedCodes: ReadonlySet<string>,
  departments: ReadonlyMap<string, DepartmentInfo>,
): SilentService[] {
  return liveServices
    .filter((service) => !reportedCodes.has(service.serviceCode))
    .map((service) => {
      const department = departments.get(service.departmentId);
      return {
        serviceCode: service.serviceCode,
        serviceName: service.serviceName ?? UNKNOWN,
        category: service.category ?? UNKNOWN,
        departmentCode: department?.code ?? UNKNOWN,
        departmentName: department?.name ?? UNKNOWN,
      };
    })
    .sort(
      (a, b) =>
        a.departmentCode.localeCompare(b.departmentCode) || a.serviceCode.localeCompare(b.serviceCode),
    );
}

/** The dates from `from` to `to` inclusive, or undefined when the range is inverted or too long. */
export function datesBetween(from: number, to: number): number[] | undefined {
  if (to < from || to - from + 1 > MAX_REPORT_DAYS) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
