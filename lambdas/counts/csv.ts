import { CsvError, parse } from 'csv-parse/sync';
import { MAX_ITEMS_PER_REQUEST } from '../core/counts';
import type { FieldError } from '../core/problem-fields';
import { ValidationError } from '../shared/errors';

/**
 * `PUT /v1/counts` with `Content-Type: text/csv`: a spreadsheet saved as CSV becomes the same
 * `{"counts": [...]}` body the JSON form sends, so one set of rules (core/counts.ts), one limit and one
 * idempotency record apply to both. Problems are named by row and column as the spreadsheet shows them:
 * row 1 is the header, row N the (N-1)th count. Excel's UTF-8 byte order mark and CRLF line ends are fine.
 */

export const COUNT_CSV_COLUMNS = ['serviceCode', 'date', 'count', 'locationCode'] as const;
const REQUIRED_COLUMNS = ['serviceCode', 'date', 'count'] as const;

/** A bounded read: a few rows past the limit are enough to say there are too many. */
const MAX_CSV_RECORDS = MAX_ITEMS_PER_REQUEST + 2;

const invalid = (errors: FieldError[]) =>
  new ValidationError(errors, undefined, { problemType: 'invalid-counts' });

export function countsCsvToBody(text: string): { counts: Record<string, unknown>[] } {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      to_line: MAX_CSV_RECORDS,
    }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw invalid([{ field: line ? `row ${line}` : 'body', message: `Not valid CSV: ${error.message}` }]);
  }
  const [header = [], ...rows] = records;
  const errors: FieldError[] = [];
  header.forEach((name, index) => {
    if (!(COUNT_CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({
        field: `row 1, column ${name || index + 1}`,
        message: `Unknown column: use ${COUNT_CSV_COLUMNS.join(',')} (locationCode may be left out)`,
      });
    } else if (header.indexOf(name) !== index) {
      errors.push({ field: `row 1, column ${name}`, message: 'Column appears more than once' });
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!header.includes(column))
      errors.push({ field: `row 1, column ${column}`, message: 'Missing column' });
  }
  rows.forEach((row, index) => {
    if (row.length !== header.length) {
      errors.push({
        field: `row ${index + 2}`,
        message: `Has ${row.length} fields; the header has ${header.length}`,
      });
    }
  });
  if (errors.length > 0) throw invalid(errors);

  return {
    counts: rows.map((row) => {
      const item: Record<string, unknown> = {};
      header.forEach((column, i) => {
        const value = row[i] ?? '';
        if (column === 'count') item.count = /^\d{1,10}$/.test(value) ? Number(value) : value;
        else if (column !== 'locationCode' || value !== '') item[column] = value;
      });
      return item;
    }),
  };
}

/** `counts[3].date` → `row 5, column date`; `counts[3]` → `row 5`; the list itself → `rows`. */
export function csvFieldName(field: string): string {
  const match = /^counts\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (match) {
    const row = `row ${Number(match[1]) + 2}`;
    return match[2] ? `${row}, column ${match[2]}` : row;
  }
  return field === 'counts' || field === '' ? 'rows' : field;
}
