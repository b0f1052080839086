import { MAX_ITEMS_PER_REQUEST } from '../core/counts';
import { csvFieldNamer, readCsvTable } from '../core/csv-table';
import { ValidationError } from '../shared/errors';

/**
 * `PUT /v1/counts` with `Content-Type: text/csv`: a spreadsheet saved as CSV becomes the same
 * `{"counts": [...]}` body the JSON form sends, so one set of rules (core/counts.ts), one limit and one
 * idempotency record apply to both. Problems are named by row and column as the spreadsheet shows them:
 * row 1 is the header, row N the (N-1)th count. Excel's UTF-8 byte order mark and CRLF line ends are fine.
 */

export const COUNT_CSV_COLUMNS = ['serviceCode', 'date', 'count', 'locationCode'] as const;
const REQUIRED_COLUMNS = ['serviceCode', 'date', 'count'] as const;

export function countsCsvToBody(text: string): { counts: Record<string, unknown>[] } {
  const table = readCsvTable(text, {
    columns: COUNT_CSV_COLUMNS,
    required: REQUIRED_COLUMNS,
    maxRows: MAX_ITEMS_PER_REQUEST + 1,
    unknownColumn: `Unknown column: use ${COUNT_CSV_COLUMNS.join(',')} (locationCode may be left out)`,
  });
  if (!table.ok) throw new ValidationError(table.errors, undefined, { problemType: 'invalid-counts' });
  const { header, rows } = table;

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
export const csvFieldName = csvFieldNamer('counts');
