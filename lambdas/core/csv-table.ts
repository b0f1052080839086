import { CsvError, parse } from 'csv-parse/sync';
import type { FieldError } from './problem-fields';

/**
 * A CSV upload read as a table with named columns, the one way the API reads spreadsheets (templates,
 * counts). Excel's UTF-8 byte order mark, CRLF line ends and blank lines are accepted; values are
 * trimmed. Problems are named as the spreadsheet shows them: `row 1, column x` for the header, `row N`
 * for the (N-1)th data row. Pure: no AWS.
 */

export type CsvTable =
  | { readonly ok: true; readonly header: string[]; readonly rows: string[][] }
  | { readonly ok: false; readonly errors: FieldError[] };

export interface CsvTableRules {
  /** Every column the table may have. */
  readonly columns: readonly string[];
  /** Columns that must be present (default: all of `columns`). */
  readonly required?: readonly string[];
  /** Data rows read at most (a few more than allowed are enough to report too many). */
  readonly maxRows: number;
  /** The message for a header cell that is not a column. */
  readonly unknownColumn: string;
}

export function readCsvTable(text: string, rules: CsvTableRules): CsvTable {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      to_line: rules.maxRows + 1,
    }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    return {
      ok: false,
      errors: [{ field: line ? `row ${line}` : 'body', message: `Not valid CSV: ${error.message}` }],
    };
  }
  const [header, ...rows] = records;
  if (!header) return { ok: false, errors: [{ field: 'row 1', message: 'A header row is required' }] };

  const errors: FieldError[] = [];
  header.forEach((name, index) => {
    if (!rules.columns.includes(name)) {
      errors.push({ field: `row 1, column ${name || index + 1}`, message: rules.unknownColumn });
    } else if (header.indexOf(name) !== index) {
      errors.push({ field: `row 1, column ${name}`, message: 'Column appears more than once' });
    }
  });
  for (const column of rules.required ?? rules.columns) {
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
  return errors.length > 0 ? { ok: false, errors } : { ok: true, header, rows };
}

/**
 * Names a field of the body a CSV upload became (its rows are the list `list`) as the spreadsheet shows it:
 * `<list>[3].date` → `row 5, column date`, `<list>[3]` → `row 5`, the list itself → `rows`.
 */
export function csvFieldNamer(list: string): (field: string) => string {
  const rowField = new RegExp(`^${list}\\[(\\d+)\\](?:\\.(.+))?$`);
  return (field) => {
    const match = rowField.exec(field);
    if (match) {
      const row = `row ${Number(match[1]) + 2}`;
      return match[2] ? `${row}, column ${match[2]}` : row;
    }
    return field === list || field === '' ? 'rows' : field;
  };
}
