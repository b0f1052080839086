import * as z from 'zod';
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
import { idempotencyHeadersSchema } from '../shared/idempotency-key';

/**
 * The count API's shapes. The handlers validate with the request schemas here; the push body's rules are
 * core/counts.ts `checkCountBatch` (it reports every problem of every item and needs "today"), and
 * `countsPushBodySchema` states the same rules, from the same constants, for the API reference; a test
 * runs both over the same fixtures so they cannot drift apart.
 */

export const countsPushHeadersSchema = idempotencyHeadersSchema;

const isoDate = z
  .string()
  .refine((value) => parseIsoDate(value) !== undefined, 'Must be a date YYYY-MM-DD')
  .meta({ format: 'date', example: '2026-04-01' });

const MAX_PAGE = 1000;

export const listCountsQuerySchema = z
  .object({
    serviceCode: z
      .string()
      .min(1)
      .max(MAX_SERVICE_CODE_LENGTH)
      .meta({ description: 'Your Government Service Code.' }),
    from: isoDate.meta({ description: 'First date (IST), YYYY-MM-DD.' }),
    to: isoDate.meta({ description: 'Last date (IST), YYYY-MM-DD, not before `from`.' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE)
      .default(MAX_PAGE)
      .meta({ description: 'Counts per page.' }),
    nextToken: z.string().max(2048).optional().meta({ description: '`nextToken` of the previous page.' }),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'Must not be before from' });

const code = (max: number) => z.string().min(1).max(max).regex(CODE_PATTERN);

export const countItemSchema = z
  .strictObject({
    serviceCode: code(MAX_SERVICE_CODE_LENGTH).meta({
      description: 'The Government Service Code of one of your services (from the step-7 email).',
    }),
    date: z.iso.date().meta({
      description: `The IST calendar date the total is for: not in the future, at most ${BACKFILL_DAYS} days back.`,
    }),
    count: z
      .int()
      .min(0)
      .max(MAX_DAILY_COUNT)
      .meta({ description: "The day's total of e-transactions (not a running counter)." }),
    locationCode: code(MAX_LOCATION_CODE_LENGTH)
      .optional()
      .meta({
        description: `Where the transactions happened, when you break a service's counts down by location (your own codes, e.g. district or office). Leave it out for one total per service and day: it defaults to "${DEFAULT_LOCATION_CODE}".`,
      }),
  })
  .meta({ id: 'CountItem' });

export const countsPushBodySchema = z
  .strictObject({
    counts: z.array(countItemSchema).min(1).max(MAX_ITEMS_PER_REQUEST).meta({
      description: 'One total per service, date and location; a later push for the same key replaces it.',
    }),
  })
  .meta({ id: 'CountsPush' });

export const countsCsvSchema = z.string().meta({
  description: `The same counts as a CSV file (e.g. saved from Excel as "CSV UTF-8"): header row \`serviceCode,date,count,locationCode\` (locationCode may be left out, or left empty in a row), then one count per row, at most ${MAX_ITEMS_PER_REQUEST} rows. A UTF-8 byte order mark and CRLF line ends are accepted. Problems are named \`row N, column name\`, with row 1 the header.`,
});

const phaseSchema = z.enum(['test', 'live']).meta({
  description:
    'test: the service is in integration testing (SoP steps 8-12); live: approved and sent to e-Taal.',
});

export const pushResultSchema = z
  .object({
    accepted: z.int().meta({ description: 'Counts in the request (all valid, or none would be stored).' }),
    written: z.int().meta({
      description:
        'Counts stored: all of them. A resend stores the same values again; it adds no history entry and changes no total.',
    }),
    test: z.int().meta({ description: 'Counts stored as test counts.' }),
    live: z.int().meta({ description: 'Counts stored as live counts.' }),
  })
  .meta({ id: 'PushResult' });

const revisionSchema = z.object({ count: z.int(), phase: phaseSchema, updatedAt: z.iso.datetime() });

export const storedCountSchema = z
  .object({
    serviceCode: z.string(),
    date: z.iso.date(),
    locationCode: z.string(),
    count: z.int(),
    phase: phaseSchema,
    updatedAt: z.iso.datetime().meta({ description: 'When the current value was stored.' }),
    previousCount: z.int().nullable().meta({ description: 'The value this one replaced, or null.' }),
    previousUpdatedAt: z.iso.datetime().nullable(),
    history: z
      .array(revisionSchema)
      .max(HISTORY_LIMIT)
      .meta({
        description: `Earlier values, newest first (at most ${HISTORY_LIMIT}); a correction shows here within seconds of its push.`,
      }),
  })
  .meta({ id: 'StoredCount' });

export const listCountsResultSchema = z
  .object({
    counts: z.array(storedCountSchema),
    nextToken: z
      .string()
      .optional()
      .meta({ description: 'Present when there are more: pass it to get the next page.' }),
  })
  .meta({ id: 'CountsPage' });
