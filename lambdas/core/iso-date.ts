/**
 * Calendar dates as "day numbers" (whole days since 1970-01-01), so date arithmetic is integer arithmetic
 * and never touches the machine's time zone.
 */

export const MS_PER_DAY = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a real calendar date written as YYYY-MM-DD, or undefined (e.g. "2026-02-30"). */
export function parseIsoDate(isoDate: string): number | undefined {
  const match = ISO_DATE.exec(isoDate);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  // Date.UTC maps years 0–99 to 19xx and rolls over out-of-range days; the round trip rejects both.
  const ms = Date.UTC(y, m - 1, d);
  if (formatDayNumber(ms / MS_PER_DAY) !== isoDate) return undefined;
  return ms / MS_PER_DAY;
}

/** Like parseIsoDate, for inputs that come from code rather than from users. */
export function requireIsoDate(isoDate: string): number {
  const day = parseIsoDate(isoDate);
  if (day === undefined)
    throw new RangeError(`Not a calendar date in YYYY-MM-DD form: ${JSON.stringify(isoDate)}`);
  return day;
}

export function formatDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOfDayNumber(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function weekdayOfDayNumber(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDay();
}
