/**
 * `--format table`: a command's JSON result as plain text for people. Each list of objects becomes a
 * titled table (columns padded to the widest cell, counted in code points), other fields `name: value`
 * lines above them.
 */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (typeof value === 'object') {
    const person = value as { name?: unknown; email?: unknown };
    return typeof person.email === 'string'
      ? `${String(person.name ?? '')} <${person.email}>`
      : JSON.stringify(value);
  }
  return String(value).replace(/\s+/g, ' ');
}

export function renderTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const headers = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (rows.length === 0 || headers.length === 0) return '(none)';
  const body = rows.map((row) => headers.map((h) => cell(row[h])));
  const widths = headers.map((h, i) => Math.max([...h].length, ...body.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - [...c].length))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

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
