/**
 * Output of the admin CLI, pure: JSON on stdout by default, or with `--format table` a plain text table
 * per list a result holds. No colours or box characters, so it pastes into email and tickets.
 */
export const OUTPUT_FORMATS = ['json', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseFormat(value: string | undefined): OutputFormat | undefined {
  if (value === undefined) return 'json';
  return (OUTPUT_FORMATS as readonly string[]).includes(value) ? (value as OutputFormat) : undefined;
}

/** A cell: '-' for nothing to show, yes/no for a flag (false is an answer, not a missing value). */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (typeof value === 'object') {
    // A person (a member, a decision's `by`) reads as an address line.
    const person = value as { name?: unknown; email?: unknown };
    return typeof person.email === 'string'
      ? `${String(person.name ?? '')} <${person.email}>`
      : JSON.stringify(value);
  }
  // One line per row: newlines in comments would break the columns.
  return String(value).replace(/\s+/g, ' ');
}

/** Cells longer than this are cut with an ellipsis; the JSON output has them in full. */
const MAX_CELL = 60;

/**
 * Rows as a table: one header line, a dashed rule, one line per row, columns padded to their widest cell
 * (counted in code points, so Devanagari and other non-ASCII names align as well as a terminal allows).
 */
export function renderTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const headers = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (headers.length === 0) return '(none)';
  const cut = (text: string) =>
    [...text].length > MAX_CELL ? `${[...text].slice(0, MAX_CELL - 1).join('')}…` : text;
  const body = rows.map((row) => headers.map((h) => cut(cell(row[h]))));
  const widths = headers.map((h, i) => Math.max([...h].length, ...body.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - [...c].length))
      .join('  ')
      .trimEnd();
  const lines = [line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  return rows.length === 0 ? `${lines.join('\n')}\n(none)` : lines.join('\n');
}

/**
 * A command's result as text: each array of objects becomes a titled table, other fields become
 * `name: value` lines above them. `columns` picks and orders the columns of named tables.
 */
export function renderResult(
  result: unknown,
  columns: Readonly<Record<string, readonly string[]>> = {},
): string {
  if (Array.isArray(result)) return renderTable(result as Record<string, unknown>[], columns['']);
  if (typeof result !== 'object' || result === null) return cell(result);
  const scalars: string[] = [];
  const tables: string[] = [];
  for (const [key, value] of Object.entries(result)) {
    if (
      Array.isArray(value) &&
      value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
    ) {
      tables.push(`${key}:\n${renderTable(value as Record<string, unknown>[], columns[key])}`);
    } else {
      scalars.push(`${key}: ${cell(value)}`);
    }
  }
  return [...(scalars.length > 0 ? [scalars.join('\n')] : []), ...tables].join('\n\n');
}
