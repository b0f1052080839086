import {
  BACKFILL_DAYS,
  CODE_PATTERN,
  DEFAULT_LOCATION_CODE,
  HISTORY_LIMIT,
  MAX_DAILY_COUNT,
  MAX_ITEMS_PER_REQUEST,
  MAX_LOCATION_CODE_LENGTH,
  MAX_SERVICE_CODE_LENGTH,
} from '../core/counts';
import { parseIsoDate } from '../core/iso-date';
import * as z from '../core/zod';
import { idempotencyHeadersSchema } from '../shared/idempotency-key';

/**
 * The count API's shapes. The handlers validate with the request schemas here; the push body's rules are
 * core/counts.ts `checkCountBatch` (it reports every problem of every item and needs "today"), and
 * `countsPushBodySchema` states the same rules, from the same constants, for the API reference; a test
 * runs both over the same fixtures so they cannot drift apart.
 */

export const countsPushHeadersSchema = idempotencyHeadersSchema;

const isoDate = z.string().check(
  z.refine((value) => parseIsoDate(value) !== undefined, 'Must be a date YYYY-MM-DD'),
  z.meta({ format: 'date', example: '2026-04-01' }),
);

const MAX_PAGE = 1000;

export const listCountsQuerySchema = z
  .object({
    serviceCode: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(MAX_SERVICE_CODE_LENGTH),
        z.meta({ description: 'Your Government Service Code.' }),
      ),
    from: isoDate.check(z.meta({ description: 'First date (IST), YYYY-MM-DD.' })),
    to: isoDate.check(z.meta({ description: 'Last date (IST), YYYY-MM-DD, not before `from`.' })),
    limit: z
      ._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE)), MAX_PAGE)
      .check(z.meta({ description: 'Counts per page.' })),
    nextToken: z
      .optional(z.string().check(z.maxLength(2048)))
      .check(z.meta({ description: '`nextToken` of the previous page.' })),
  })
  .check(z.refine((q) => q.from <= q.to, { path: ['to'], message: 'Must not be before from' }));

const code = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(CODE_PATTERN));

export const countItemSchema = z
  .strictObject({
    serviceCode: code(MAX_SERVICE_CODE_LENGTH).check(
      z.meta({
        description: 'The Government Service Code of one of your services (from the step-7 email).',
      }),
    ),
    date: z.iso.date().check(
      z.meta({
        description: `The IST calendar date the total is for: not in the future, at most ${BACKFILL_DAYS} days back.`,
      }),
    ),
    count: z
      .int()
      .check(
        z.minimum(0),
        z.maximum(MAX_DAILY_COUNT),
        z.meta({ description: "The day's total of e-transactions (not a running counter)." }),
      ),
    locationCode: z.optional(code(MAX_LOCATION_CODE_LENGTH)).check(
      z.meta({
        description: `Where the transactions happened, when you break a service's counts down by location (your own codes, e.g. district or office). Leave it out for one total per service and day: it defaults to "${DEFAULT_LOCATION_CODE}".`,
      }),
    ),
  })
  .check(z.meta({ id: 'CountItem' }));

export const countsPushBodySchema = z
  .strictObject({
    counts: z.array(countItemSchema).check(
      z.minLength(1),
      z.maxLength(MAX_ITEMS_PER_REQUEST),
      z.meta({
        description: 'One total per service, date and location; a later push for the same key replaces it.',
      }),
    ),
  })
  .check(z.meta({ id: 'CountsPush' }));

export const countsCsvSchema = z.string().check(
  z.meta({
    description: `The same counts as a CSV file (e.g. saved from Excel as "CSV UTF-8"): header row \`serviceCode,date,count,locationCode\` (locationCode may be left out, or left empty in a row), then one count per row, at most ${MAX_ITEMS_PER_REQUEST} rows. A UTF-8 byte order mark and CRLF line ends are accepted. Problems are named \`row N, column name\`, with row 1 the header.`,
  }),
);

const phaseSchema = z.enum(['test', 'live']).check(
  z.meta({
    description:
      'test: the service is in integration testing (SoP steps 8-12); live: approved and sent to e-Taal.',
  }),
);

export const pushResultSchema = z
  .object({
    accepted: z
      .int()
      .check(z.meta({ description: 'Counts in the request (all valid, or none would be stored).' })),
    written: z.int().check(
      z.meta({
        description:
          'Counts stored: all of them. A resend stores the same values again; it adds no history entry and changes no total.',
      }),
    ),
    test: z.int().check(z.meta({ description: 'Counts stored as test counts.' })),
    live: z.int().check(z.meta({ description: 'Counts stored as live counts.' })),
  })
  .check(z.meta({ id: 'PushResult' }));

const revisionSchema = z.object({ count: z.int(), phase: phaseSchema, updatedAt: z.iso.datetime() });

export const storedCountSchema = z
  .object({
    serviceCode: z.string(),
    date: z.iso.date(),
    locationCode: z.string(),
    count: z.int(),
    phase: phaseSchema,
    updatedAt: z.iso.datetime().check(z.meta({ description: 'When the current value was stored.' })),
    previousCount: z
      .nullable(z.int())
      .check(z.meta({ description: 'The value this one replaced, or null.' })),
    previousUpdatedAt: z.nullable(z.iso.datetime()),
    history: z.array(revisionSchema).check(
      z.maxLength(HISTORY_LIMIT),
      z.meta({
        description: `Earlier values, newest first (at most ${HISTORY_LIMIT}); a correction shows here within seconds of its push.`,
      }),
    ),
  })
  .check(z.meta({ id: 'StoredCount' }));

export const listCountsResultSchema = z
  .object({
    counts: z.array(storedCountSchema),
    nextToken: z
      .optional(z.string())
      .check(z.meta({ description: 'Present when there are more: pass it to get the next page.' })),
  })
  .check(z.meta({ id: 'CountsPage' }));
