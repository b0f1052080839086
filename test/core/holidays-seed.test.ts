import { describe, expect, it } from 'vitest';
import { HOLIDAYS_DELHI_2026, holidayCalendarSchema } from '../../lambdas/core/holidays-seed';
import { zodIssuesToFieldErrors } from '../../lambdas/core/problem-fields';

const upload = (overrides: Record<string, unknown> = {}) => ({
  year: 2027,
  source: 'GNCTD notification (test)',
  holidays: [
    { date: '2027-01-26', name: 'Republic Day' },
    { date: '2027-08-15', name: 'Independence Day' },
  ],
  ...overrides,
});

function errorsFor(input: unknown) {
  const result = holidayCalendarSchema.safeParse(input);
  return result.success ? [] : zodIssuesToFieldErrors(result.error);
}

describe('the 2026 seed calendar', () => {
  it('holds the 17 gazetted Delhi holidays of 2026 with their source', () => {
    expect(HOLIDAYS_DELHI_2026.year).toBe(2026);
    expect(HOLIDAYS_DELHI_2026.holidays).toHaveLength(17);
    expect(HOLIDAYS_DELHI_2026.holidays).toContainEqual({
      date: '2026-11-24',
      name: "Guru Nanak's Birthday",
    });
    expect(HOLIDAYS_DELHI_2026.source).toMatch(/^Government of India, DoPT: closed \(gazetted\) holidays/);
  });

  it('is valid upload input, so the seed file format is the upload format', () => {
    const parsed = holidayCalendarSchema.parse(HOLIDAYS_DELHI_2026);
    expect(parsed).toEqual({
      year: 2026,
      holidays: HOLIDAYS_DELHI_2026.holidays,
      source: HOLIDAYS_DELHI_2026.source,
    });
  });
});

describe('an uploaded holiday calendar', () => {
  it('is accepted when every date is a real date of its year, listed once', () => {
    expect(errorsFor(upload())).toEqual([]);
    expect(errorsFor(upload({ holidays: [] }))).toEqual([]);
  });

  it('rejects dates that do not exist or are not written YYYY-MM-DD', () => {
    const holidays = [
      { date: '2027-02-29', name: 'Not a leap year' },
      { date: '2027-1-26', name: 'Republic Day' },
      { date: '26/01/2027', name: 'Republic Day' },
    ];
    expect(errorsFor(upload({ holidays })).map((e) => e.field)).toEqual([
      'holidays[0].date',
      'holidays[1].date',
      'holidays[2].date',
    ]);
  });

  it('rejects a date from another year and a date listed twice, together with other errors', () => {
    const holidays = [
      { date: '2027-01-26', name: 'Republic Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2027-01-26', name: 'Republic Day again' },
      { date: '2027-03-22', name: '' },
    ];
    expect(errorsFor(upload({ holidays }))).toEqual([
      { field: 'holidays[3].name', message: 'Holiday name must not be empty' },
      { field: 'holidays[1].date', message: 'Holiday date 2026-12-25 is not in 2027' },
      { field: 'holidays[2].date', message: 'Holiday date 2027-01-26 is listed more than once' },
    ]);
  });

  it('accepts timezone and weekend only with the values the calendar implements', () => {
    expect(errorsFor(upload({ timezone: 'Asia/Kolkata', weekend: ['Saturday', 'Sunday'] }))).toEqual([]);
    expect(errorsFor(upload({ timezone: 'UTC' }))).toEqual([
      { field: 'timezone', message: 'Only the Asia/Kolkata time zone is supported' },
    ]);
    expect(errorsFor(upload({ weekend: ['Sunday'] }))[0]?.field).toMatch(/^weekend/);
  });

  it('rejects unknown fields and a missing source', () => {
    expect(errorsFor(upload({ region: 'Delhi', source: ' ' }))).toEqual([
      { field: 'source', message: 'Source must say where the holiday list comes from' },
      { field: 'region', message: 'Unknown field: not part of the expected input' },
    ]);
  });
});
