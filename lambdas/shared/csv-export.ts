import { neutraliseFormula } from '../core/text-hygiene';

/**
 * The one way the system writes CSV for people to open: RFC 4180 quoting, CRLF line ends, and every
 * text cell neutralised against formula injection (a cell starting with = + - @ tab CR becomes text).
 * Numbers and booleans are written as they are: they cannot carry a formula.
 */
export type CsvValue = string | number | boolean | null | undefined;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? neutraliseFormula(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
