import type { HolidayCalendar } from './holidays-seed';
import { formatDayNumber, MS_PER_DAY, requireIsoDate, weekdayOfDayNumber, yearOfDayNumber } from './iso-date';

/**
 * The SoP's working-day calendar, in Indian Standard Time.
 *
 * IST is a fixed UTC+05:30 with no daylight saving, so every conversion is plain millisecond arithmetic
 * on UTC instants: the result never depends on the machine's TZ setting or on its ICU data.
 * Non-working days: Saturdays, Sundays and the gazetted holidays of the day's year.
 */

export const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;

/** Working days are capped so corrupt input cannot spin a Lambda in a day-by-day loop (~38 years). */
export const MAX_WORKING_DAYS = 10_000;

const END_OF_DAY_MS = MS_PER_DAY - 1000;

export interface WorkingCalendarOptions {
  /**
   * Called (at most once per year, per calendar object) when a date falls in a year with no holiday
   * list; that year then counts only weekends as non-working days. The caller logs and emits a metric so
   * an admin uploads the list; deadlines keep working in the meantime.
   */
  onMissingYear?: (year: number) => void;
}

export interface WorkingCalendar {
  /** Whether an IST calendar date (YYYY-MM-DD) is a working day. */
  isWorkingDay(isoDate: string): boolean;
  /**
   * The Nth working day after `isoDate` (the date itself is not counted), as YYYY-MM-DD.
   * n = 0 returns `isoDate` unchanged, so addWorkingDays(addWorkingDays(d, a), b) = addWorkingDays(d, a + b).
   */
  addWorkingDays(isoDate: string, n: number): string;
  /**
   * Working days in the interval (from, to]: the n for which addWorkingDays(from, n) is the last working
   * day on or before `to`. Negative when `to` is before `from`.
   */
  workingDaysBetween(fromIsoDate: string, toIsoDate: string): number;
  /**
   * When a step that started at `startedAt` and is allowed `workingDays` working days falls due:
   * 23:59:59 IST of the Nth working day after the IST day the step started on, whatever the time of day
   * it started. With N = 0 the step is due at the end of its start day if that is a working day, else at
   * the end of the next working day (a step cannot fall due on a holiday).
   */
  dueAt(startedAt: Date, workingDays: number): Date;
}

/**
 * Builds a calendar from holiday lists. When several lists are for the same year, the later one wins, so
 * callers can pass the seed followed by admin uploads.
 */
export function createWorkingCalendar(
  calendars: readonly HolidayCalendar[],
  options: WorkingCalendarOptions = {},
): WorkingCalendar {
  const holidaysByYear = new Map<number, ReadonlySet<number>>();
  for (const calendar of calendars) {
    const days = calendar.holidays.map(({ date }) => {
      const day = requireIsoDate(date);
      // Lookups go by the date's own year, so a stray date would silently stop being a holiday.
      if (yearOfDayNumber(day) !== calendar.year) {
        throw new RangeError(`Holiday ${date} is not in the ${calendar.year} calendar`);
      }
      return day;
    });
    holidaysByYear.set(calendar.year, new Set(days));
  }
  const reportedMissingYears = new Set<number>();

  function isWorkingDayNumber(day: number): boolean {
    const year = yearOfDayNumber(day);
    const holidays = holidaysByYear.get(year);
    if (!holidays && !reportedMissingYears.has(year)) {
      reportedMissingYears.add(year);
      options.onMissingYear?.(year);
    }
    const weekday = weekdayOfDayNumber(day);
    return weekday !== 0 && weekday !== 6 && !holidays?.has(day);
  }

  function addWorkingDayNumbers(start: number, n: number): number {
    requireWorkingDayCount(n);
    let day = start;
    for (let counted = 0; counted < n; ) {
      day += 1;
      if (isWorkingDayNumber(day)) counted += 1;
    }
    return day;
  }

  function countWorkingDays(fromExclusive: number, toInclusive: number): number {
    let count = 0;
    for (let day = fromExclusive + 1; day <= toInclusive; day += 1) {
      if (isWorkingDayNumber(day)) count += 1;
    }
    return count;
  }

  return {
    isWorkingDay: (isoDate) => isWorkingDayNumber(requireIsoDate(isoDate)),

    addWorkingDays: (isoDate, n) => formatDayNumber(addWorkingDayNumbers(requireIsoDate(isoDate), n)),

    workingDaysBetween(fromIsoDate, toIsoDate) {
      const from = requireIsoDate(fromIsoDate);
      const to = requireIsoDate(toIsoDate);
      return to >= from ? countWorkingDays(from, to) : -countWorkingDays(to, from);
    },

    dueAt(startedAt, workingDays) {
      const startDay = istDayNumberOf(startedAt);
      const dueDay =
        workingDays === 0 && !isWorkingDayNumber(startDay)
          ? addWorkingDayNumbers(startDay, 1)
          : addWorkingDayNumbers(startDay, workingDays);
      return new Date(dueDay * MS_PER_DAY + END_OF_DAY_MS - IST_OFFSET_MS);
    },
  };
}

function requireWorkingDayCount(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new RangeError(`Working days must be a whole number from 0 to ${MAX_WORKING_DAYS}, got ${n}`);
  }
}

function requireValidInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

function istDayNumberOf(instant: Date): number {
  return Math.floor((requireValidInstant(instant) + IST_OFFSET_MS) / MS_PER_DAY);
}

/** The IST calendar date of an instant, as YYYY-MM-DD. */
export function istDateOf(instant: Date): string {
  return formatDayNumber(istDayNumberOf(instant));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** An instant for people, in IST to the minute: "Wed 25 Nov 2026, 23:59 IST". */
export function formatIst(instant: Date): string {
  const ist = new Date(requireValidInstant(instant) + IST_OFFSET_MS);
  const hh = String(ist.getUTCHours()).padStart(2, '0');
  const mm = String(ist.getUTCMinutes()).padStart(2, '0');
  return `${WEEKDAYS[ist.getUTCDay()]} ${ist.getUTCDate()} ${MONTHS[ist.getUTCMonth()]} ${ist.getUTCFullYear()}, ${hh}:${mm} IST`;
}
