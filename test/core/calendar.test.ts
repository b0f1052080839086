import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createWorkingCalendar, formatIst, IST_OFFSET_MS, istDateOf } from '../../lambdas/core/calendar';
import { type HolidayCalendar, SEED_HOLIDAY_CALENDARS } from '../../lambdas/core/holidays-seed';
import { formatDayNumber, MS_PER_DAY } from '../../lambdas/core/iso-date';

const calendar2026 = () => createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear: () => {} });

/** Instants from 2025 to 2028, so runs cover the seeded year, its edges and years without a list. */
const instant = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) })
  .map((ms) => new Date(ms));
const isoDateIn = (fromYear: number, toYear: number) =>
  fc
    .integer({ min: Date.UTC(fromYear, 0, 1) / MS_PER_DAY, max: Date.UTC(toYear, 11, 31) / MS_PER_DAY })
    .map(formatDayNumber);
const workingDays = fc.integer({ min: 0, max: 40 });

function istTimeOfDayMs(at: Date): number {
  return (at.getTime() + IST_OFFSET_MS) % MS_PER_DAY;
}

describe('istDateOf and formatIst', () => {
  it('gives the IST date, which is already the next day from 18:30 UTC', () => {
    expect(istDateOf(new Date('2026-11-20T18:29:59.999Z'))).toBe('2026-11-20');
    expect(istDateOf(new Date('2026-11-20T18:30:00.000Z'))).toBe('2026-11-21');
    expect(istDateOf(new Date('2026-11-20T20:00:00Z'))).toBe('2026-11-21');
  });

  it('formats an instant for emails in IST', () => {
    expect(formatIst(new Date('2026-11-25T18:29:59Z'))).toBe('Wed 25 Nov 2026, 23:59 IST');
    expect(formatIst(new Date('2026-01-04T20:05:00Z'))).toBe('Mon 5 Jan 2026, 01:35 IST');
  });

  it('refuses an invalid Date instead of printing "NaN"', () => {
    expect(() => istDateOf(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatIst(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('working days', () => {
  it('skips Saturdays, Sundays and gazetted holidays', () => {
    const calendar = calendar2026();
    expect(calendar.isWorkingDay('2026-11-23')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2026-11-24')).toBe(false); // Guru Nanak's Birthday, a Tuesday
    expect(calendar.isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false); // Christmas Day, a Friday
  });

  it('counts the Nth working day after a date, not counting the date itself', () => {
    const calendar = calendar2026();
    expect(calendar.addWorkingDays('2026-11-20', 1)).toBe('2026-11-23');
    expect(calendar.addWorkingDays('2026-11-20', 2)).toBe('2026-11-25');
    expect(calendar.addWorkingDays('2026-11-21', 0)).toBe('2026-11-21');
  });

  it('counts the working days between two dates, negative when they are in reverse order', () => {
    const calendar = calendar2026();
    expect(calendar.workingDaysBetween('2026-11-20', '2026-11-25')).toBe(2);
    expect(calendar.workingDaysBetween('2026-11-25', '2026-11-20')).toBe(-2);
    expect(calendar.workingDaysBetween('2026-11-24', '2026-11-24')).toBe(0);
  });

  it('lets a later list for the same year replace an earlier one (seed first, admin upload after)', () => {
    const upload: HolidayCalendar = {
      year: 2026,
      holidays: [{ date: '2026-11-25', name: 'Test holiday' }],
      source: 'test',
    };
    const calendar = createWorkingCalendar([...SEED_HOLIDAY_CALENDARS, upload]);
    expect(calendar.isWorkingDay('2026-11-24')).toBe(true);
    expect(calendar.isWorkingDay('2026-11-25')).toBe(false);
  });

  it('refuses a holiday list with a date outside its year rather than ignore that holiday', () => {
    const stray: HolidayCalendar = {
      year: 2027,
      holidays: [{ date: '2026-12-31', name: 'x' }],
      source: 'test',
    };
    expect(() => createWorkingCalendar([stray])).toThrow(RangeError);
  });

  it('rejects malformed dates and working-day counts as programming errors', () => {
    const calendar = calendar2026();
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('20-11-2026', 1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-11-20', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-11-20', 1.5)).toThrow(RangeError);
    expect(() => calendar.dueAt(new Date('2026-11-20T04:30:00Z'), Number.NaN)).toThrow(RangeError);
    expect(() => calendar.dueAt(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('dueAt', () => {
  it('puts a 2-day step started on Fri 20 Nov 2026 due on Wed 25 Nov 23:59:59 IST, skipping the weekend and Guru Nanak Jayanti', () => {
    const calendar = calendar2026();
    for (const startedAt of ['2026-11-19T18:30:00Z', '2026-11-20T04:30:00Z', '2026-11-20T18:29:59.999Z']) {
      expect(calendar.dueAt(new Date(startedAt), 2).toISOString(), startedAt).toBe(
        '2026-11-25T18:29:59.000Z',
      );
    }
  });

  it('counts from the IST day, which differs from the UTC day in the evening UTC', () => {
    const calendar = calendar2026();
    // Thu 19 Nov 20:00 UTC is already Fri 20 Nov 01:30 IST: Mon 23 and Wed 25 are the two working days.
    expect(calendar.dueAt(new Date('2026-11-19T20:00:00Z'), 2).toISOString()).toBe(
      '2026-11-25T18:29:59.000Z',
    );
    // Fri 20 Nov 20:00 UTC is Sat 21 Nov IST: the first working day after it is Mon 23.
    expect(calendar.dueAt(new Date('2026-11-20T20:00:00Z'), 1).toISOString()).toBe(
      '2026-11-23T18:29:59.000Z',
    );
  });

  it('with 0 working days is due at the end of the start day, or of the next working day if it is a day off', () => {
    const calendar = calendar2026();
    expect(calendar.dueAt(new Date('2026-11-20T04:30:00Z'), 0).toISOString()).toBe(
      '2026-11-20T18:29:59.000Z',
    );
    expect(calendar.dueAt(new Date('2026-11-21T04:30:00Z'), 0).toISOString()).toBe(
      '2026-11-23T18:29:59.000Z',
    );
    expect(calendar.dueAt(new Date('2026-11-24T04:30:00Z'), 0).toISOString()).toBe(
      '2026-11-25T18:29:59.000Z',
    );
  });

  it('does not depend on the time zone of the machine', () => {
    const previous = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        const calendar = calendar2026();
        const due = calendar.dueAt(new Date('2026-11-19T20:00:00Z'), 2);
        expect(due.toISOString(), tz).toBe('2026-11-25T18:29:59.000Z');
        expect(formatIst(due), tz).toBe('Wed 25 Nov 2026, 23:59 IST');
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('is always 23:59:59 IST on a working day, the given number of working days after the start day', () => {
    const calendar = calendar2026();
    fc.assert(
      fc.property(instant, workingDays, (startedAt, n) => {
        const due = calendar.dueAt(startedAt, n);
        expect(istTimeOfDayMs(due)).toBe(MS_PER_DAY - 1000);
        expect(calendar.isWorkingDay(istDateOf(due))).toBe(true);
        if (n > 0) expect(calendar.workingDaysBetween(istDateOf(startedAt), istDateOf(due))).toBe(n);
      }),
    );
  });

  it('never moves earlier when the step gets more working days', () => {
    const calendar = calendar2026();
    fc.assert(
      fc.property(instant, workingDays, workingDays, (startedAt, a, b) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        const early = calendar.dueAt(startedAt, fewer).getTime();
        const late = calendar.dueAt(startedAt, more).getTime();
        if (fewer >= 1 && fewer < more) expect(early).toBeLessThan(late);
        else expect(early).toBeLessThanOrEqual(late);
      }),
    );
  });

  it('never moves earlier when the step starts later', () => {
    const calendar = calendar2026();
    fc.assert(
      fc.property(instant, instant, workingDays, (a, b, n) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        expect(calendar.dueAt(earlier, n).getTime()).toBeLessThanOrEqual(calendar.dueAt(later, n).getTime());
      }),
    );
  });

  it('for N then M working days equals N + M working days', () => {
    const calendar = calendar2026();
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), workingDays, (startedAt, n, m) => {
        const stepwise = calendar.dueAt(calendar.dueAt(startedAt, n), m);
        expect(stepwise.toISOString()).toBe(calendar.dueAt(startedAt, n + m).toISOString());
      }),
    );
    fc.assert(
      fc.property(isoDateIn(2025, 2028), workingDays, workingDays, (date, n, m) => {
        expect(calendar.addWorkingDays(calendar.addWorkingDays(date, n), m)).toBe(
          calendar.addWorkingDays(date, n + m),
        );
        expect(calendar.workingDaysBetween(date, calendar.addWorkingDays(date, n))).toBe(n);
      }),
    );
  });
});

describe('a year without a holiday list', () => {
  it('counts only weekends as days off and reports the year once, without failing', () => {
    const onMissingYear = vi.fn();
    const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear });
    // Republic Day 2027 is a Tuesday; without a 2027 list it is a working day.
    expect(calendar.isWorkingDay('2027-01-26')).toBe(true);
    expect(calendar.isWorkingDay('2027-01-30')).toBe(false); // Saturday
    expect(calendar.addWorkingDays('2027-01-25', 5)).toBe('2027-02-01');
    expect(onMissingYear.mock.calls).toEqual([[2027]]);
  });

  it('is reported when a deadline runs past the end of the last listed year', () => {
    const onMissingYear = vi.fn();
    const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear });
    // Thu 31 Dec 2026 10:00 IST + 1 working day: Fri 1 Jan 2027.
    expect(calendar.dueAt(new Date('2026-12-31T04:30:00Z'), 1).toISOString()).toBe(
      '2027-01-01T18:29:59.000Z',
    );
    expect(onMissingYear.mock.calls).toEqual([[2027]]);
  });

  it('for any dates: working days are exactly Monday to Friday, each missing year reported exactly once', () => {
    fc.assert(
      fc.property(fc.array(isoDateIn(2030, 2035), { minLength: 1, maxLength: 20 }), (dates) => {
        const onMissingYear = vi.fn();
        const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear });
        for (const date of dates) {
          const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
          expect(calendar.isWorkingDay(date), date).toBe(weekday >= 1 && weekday <= 5);
        }
        const years = [...new Set(dates.map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
        expect(onMissingYear.mock.calls.map(([year]) => year).sort((a, b) => a - b)).toEqual(years);
      }),
    );
  });

  it('works without an onMissingYear callback', () => {
    expect(createWorkingCalendar([]).addWorkingDays('2026-11-20', 2)).toBe('2026-11-24');
  });
});
