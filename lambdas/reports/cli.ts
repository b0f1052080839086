import { formatDayNumber, parseIsoDate, requireIsoDate } from '../core/iso-date';
import { type FieldError, ValidationError } from '../shared/errors';
import { datesBetween, GROUP_DIMENSIONS, MAX_REPORT_DAYS, parseGroupBy } from './aggregate';
import {
  driftCount,
  MAX_PAGE_ROWS,
  type ReconcileReport,
  reconcileDay,
  type SilentReport,
  silentReport,
  type TotalsReport,
  totalsReport,
} from './reports';

/**
 * The `report` commands of the admin CLI (bin/admin.ts): the same reports as the IAM-authorized routes,
 * read straight from DynamoDB with the admin's own credentials (or the local emulator).
 *   report totals --from YYYY-MM-DD --to YYYY-MM-DD [--department CODE] [--group-by date,department,...]
 *   report silent --date YYYY-MM-DD
 *   report reconcile --date YYYY-MM-DD
 *   report backfill --from YYYY-MM-DD --to YYYY-MM-DD
 * Bad input is a ValidationError naming the option, which the CLI prints and exits 2 on.
 */

/** Every page of a totals report, as the CLI prints it. */
export interface WholeTotalsReport extends Omit<TotalsReport, 'nextCursor'> {
  readonly rowCount: number;
}

export async function reportTotalsCommand(options: {
  from?: string;
  to?: string;
  department?: string;
  groupBy?: string;
}): Promise<WholeTotalsReport> {
  const errors: FieldError[] = [];
  const { from, to } = rangeOptions(options, errors);
  const groupBy = parseGroupBy(options.groupBy);
  if (!groupBy)
    errors.push({ field: 'group-by', message: `Comma-separated list of ${GROUP_DIMENSIONS.join(', ')}` });
  if (errors.length > 0 || !from || !to || !groupBy) throw new ValidationError(errors);
  const query = {
    from,
    to,
    groupBy,
    ...(options.department === undefined ? {} : { departmentCode: options.department.trim().toUpperCase() }),
  };
  // The CLI prints the whole report: it follows the pages the API would hand out one by one.
  let report = await totalsReport(query, { limit: MAX_PAGE_ROWS });
  const rows = [...report.rows];
  while (report.nextCursor) {
    report = await totalsReport(query, { limit: MAX_PAGE_ROWS, cursor: report.nextCursor });
    rows.push(...report.rows);
  }
  const { nextCursor: _last, ...whole } = report;
  return { ...whole, rows, rowCount: rows.length };
}

export { driftCount };

/** `report reconcile --date D`: recomputes the day from raw rows and lists any drift of the aggregates. */
export async function reportReconcileCommand(options: { date?: string }): Promise<ReconcileReport> {
  const errors: FieldError[] = [];
  const date = dateOption('date', options.date, errors);
  if (!date) throw new ValidationError(errors);
  return reconcileDay(date);
}

export interface BackfillReport {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** Day rollups (date × department) brought up to their day aggregates. */
  readonly dayRollups: number;
}

/**
 * `report backfill --from D --to D`: builds the day rollups of the dates from their day aggregates — once
 * after upgrading, for the days aggregated before the day rollups existed (reconcile lists them as
 * `dayRollupDrift`). Idempotent.
 */
export async function reportBackfillCommand(options: {
  from?: string;
  to?: string;
}): Promise<BackfillReport> {
  const errors: FieldError[] = [];
  const { from, to, days } = rangeOptions(options, errors);
  if (errors.length > 0 || !from || !to || !days) throw new ValidationError(errors);
  const { backfillDayRollups } = await import('./aggregator');
  let dayRollups = 0;
  for (const day of days) dayRollups += await backfillDayRollups(formatDayNumber(day));
  return { from, to, days: days.length, dayRollups };
}

export async function reportSilentCommand(options: { date?: string }): Promise<SilentReport> {
  const errors: FieldError[] = [];
  const date = dateOption('date', options.date, errors);
  if (!date) throw new ValidationError(errors);
  return silentReport(date);
}

/** --from and --to, and the days between them when they make a report's range. */
function rangeOptions(
  options: { from?: string; to?: string },
  errors: FieldError[],
): { from?: string; to?: string; days?: number[] } {
  const from = dateOption('from', options.from, errors);
  const to = dateOption('to', options.to, errors);
  if (!from || !to) return {};
  const days = datesBetween(requireIsoDate(from), requireIsoDate(to));
  if (!days) {
    errors.push({
      field: 'to',
      message: `Must be on or after --from, at most ${MAX_REPORT_DAYS} days later`,
    });
    return {};
  }
  return { from, to, days };
}

function dateOption(name: string, value: string | undefined, errors: FieldError[]): string | undefined {
  if (value !== undefined && parseIsoDate(value) !== undefined) return value;
  errors.push({
    field: name,
    message: value === undefined ? 'Required: a date YYYY-MM-DD' : 'Must be a date YYYY-MM-DD',
  });
  return undefined;
}
