import { parseIsoDate, yearOfDayNumber } from './iso-date';
import * as z from './zod';

/**
 * Gazetted holidays that stop the SoP's working-day clock, one calendar per year.
 *
 * The seed below ships with the code so deadlines are right from the first deployment; admins upload
 * later years (or the GNCTD's own notification) as JSON through the admin CLI, validated by
 * `holidayCalendarSchema`.
 */
export type HolidayCalendar = { year: number; holidays: { date: string; name: string }[]; source: string };

/** The fields of the seed file that the calendar logic assumes rather than reads. */
export type HolidayCalendarSeed = HolidayCalendar & {
  timezone: 'Asia/Kolkata';
  weekend: readonly ['Saturday', 'Sunday'];
};

/** Copied from shared/calendars/holidays-delhi-2026.json. */
export const HOLIDAYS_DELHI_2026: HolidayCalendarSeed = {
  year: 2026,
  timezone: 'Asia/Kolkata',
  weekend: ['Saturday', 'Sunday'],
  source:
    'Government of India, DoPT: closed (gazetted) holidays for administrative offices of the Central Government located at Delhi/New Delhi, year 2026. The GNCTD notification for its own offices is authoritative and may differ; load it through the holiday-calendar admin path when it is published. Dates of Id-ul-Fitr, Id-ul-Zuha, Muharram and Milad-un-Nabi may move with the sighting of the moon.',
  holidays: [
    { date: '2026-01-26', name: 'Republic Day' },
    { date: '2026-03-04', name: 'Holi' },
    { date: '2026-03-21', name: 'Id-ul-Fitr' },
    { date: '2026-03-26', name: 'Ram Navami' },
    { date: '2026-03-31', name: 'Mahavir Jayanti' },
    { date: '2026-04-03', name: 'Good Friday' },
    { date: '2026-05-01', name: 'Buddha Purnima' },
    { date: '2026-05-27', name: 'Id-ul-Zuha (Bakrid)' },
    { date: '2026-06-26', name: 'Muharram' },
    { date: '2026-08-15', name: 'Independence Day' },
    { date: '2026-08-26', name: 'Milad-un-Nabi or Id-e-Milad' },
    { date: '2026-09-04', name: 'Janmashtami' },
    { date: '2026-10-02', name: "Mahatma Gandhi's Birthday" },
    { date: '2026-10-20', name: 'Dussehra' },
    { date: '2026-11-08', name: 'Diwali (Deepavali)' },
    { date: '2026-11-24', name: "Guru Nanak's Birthday" },
    { date: '2026-12-25', name: 'Christmas Day' },
  ],
};

/** Every calendar shipped with the code; pass these (plus any uploaded ones) to createWorkingCalendar. */
export const SEED_HOLIDAY_CALENDARS: readonly HolidayCalendar[] = [HOLIDAYS_DELHI_2026];

const holidaySchema = z.strictObject({
  date: z.string({ error: 'Holiday date must be a YYYY-MM-DD string' }).check(
    z.refine((d) => parseIsoDate(d) !== undefined, {
      error: 'Holiday date must be a real date in YYYY-MM-DD form',
    }),
  ),
  name: z
    .string({ error: 'Holiday name must be text' })
    .check(
      z.trim(),
      z.minLength(1, { error: 'Holiday name must not be empty' }),
      z.maxLength(200, { error: 'Holiday name must be at most 200 characters' }),
    ),
});

/** The uploaded calendar file as checked; holidayCalendarSchema keeps the fields the calendar uses. */
const uploadedCalendarSchema = z
  .strictObject({
    year: z
      .int({ error: 'Year must be a whole number' })
      .check(
        z.minimum(2000, { error: 'Year must be from 2000 to 2100' }),
        z.maximum(2100, { error: 'Year must be from 2000 to 2100' }),
      ),
    timezone: z.optional(
      z.literal('Asia/Kolkata', { error: 'Only the Asia/Kolkata time zone is supported' }),
    ),
    weekend: z.optional(
      z.tuple([z.literal('Saturday'), z.literal('Sunday')], {
        error: 'Only a Saturday + Sunday weekend is supported',
      }),
    ),
    source: z
      .string({ error: 'Source must be text' })
      .check(
        z.trim(),
        z.minLength(1, { error: 'Source must say where the holiday list comes from' }),
        z.maxLength(2000, { error: 'Source must be at most 2000 characters' }),
      ),
    holidays: z
      .array(holidaySchema, { error: 'Holidays must be a list' })
      .check(z.maxLength(100, { error: 'Holidays must list at most 100 dates' })),
  })
  .check(
    z.superRefine(
      (calendar, ctx) => {
        // Runs on partly invalid uploads too (see `when`), so every problem is reported in one go.
        const holidays = (calendar as { holidays?: unknown }).holidays;
        if (!Array.isArray(holidays)) return;
        const seen = new Set<string>();
        holidays.forEach((holiday: unknown, index) => {
          const date = (holiday as { date?: unknown } | null)?.date;
          if (typeof date !== 'string') return;
          const day = parseIsoDate(date);
          if (day === undefined) return;
          if (typeof calendar.year === 'number' && yearOfDayNumber(day) !== calendar.year) {
            ctx.addIssue({
              code: 'custom',
              path: ['holidays', index, 'date'],
              message: `Holiday date ${date} is not in ${calendar.year}`,
            });
          }
          if (seen.has(date)) {
            ctx.addIssue({
              code: 'custom',
              path: ['holidays', index, 'date'],
              message: `Holiday date ${date} is listed more than once`,
            });
          }
          seen.add(date);
        });
      },
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    ),
  );

/**
 * An uploaded holiday calendar. The seed file's `timezone` and `weekend` fields are accepted so the same
 * file format can be uploaded, but only with the values the calendar logic implements (IST, Sat+Sun);
 * they are dropped from the parsed result.
 */
export const holidayCalendarSchema = z.pipe(
  uploadedCalendarSchema,
  z.transform(({ year, holidays, source }): HolidayCalendar => ({ year, holidays, source })),
);
