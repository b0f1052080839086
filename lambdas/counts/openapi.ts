import { BACKFILL_DAYS, MAX_BODY_BYTES, MAX_ITEMS_PER_REQUEST } from '../core/counts';
import { jsonBodyProblems, operation, type RouteDocs } from '../shared/openapi';
import { countsExamples } from './examples';
import {
  countsCsvSchema,
  countsPushBodySchema,
  countsPushHeadersSchema,
  listCountsQuerySchema,
  listCountsResultSchema,
  pushResultSchema,
} from './schemas';

/** The count API in the reference (routes: ./functions.ts). */
export const countsRouteDocs: RouteDocs = ({ yesterday }) => {
  const examples = countsExamples(yesterday);
  return {
    'PUT /v1/counts': operation({
      operationId: 'pushCounts',
      tags: ['Counts'],
      summary: 'Set daily e-transaction totals',
      description: `Sets the total of a day for each service (and location): a later push for the same service, date and location replaces the total and keeps the earlier one in its history. Up to ${MAX_ITEMS_PER_REQUEST} counts and ${MAX_BODY_BYTES / 1024} KiB per request; dates in IST, not in the future, at most ${BACKFILL_DAYS} days back. All or nothing: if any count is invalid, nothing is stored and every problem is named. Counts of a service in integration testing (SoP steps 8-12) are stored as test counts; the first ones complete step 8.`,
      apiKey: true,
      requestParams: { header: countsPushHeadersSchema },
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: countsPushBodySchema,
            examples: {
              daily: { summary: 'Totals of yesterday, one broken down by location', value: examples.push },
            },
          },
          'text/csv': {
            schema: countsCsvSchema,
            examples: {
              excel: { summary: 'The same counts as Excel saves them (CSV UTF-8)', value: examples.csv },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'All counts stored (or already stored: a resend changes nothing).',
          content: {
            'application/json': {
              schema: pushResultSchema,
              examples: { daily: { value: examples.pushResult } },
            },
          },
        },
      },
      problems: jsonBodyProblems({
        400: ['invalid-headers'],
        409: ['service-not-accepting-counts', 'service-retired', 'idempotency-in-progress'],
        422: ['invalid-counts', 'idempotency-key-reused'],
        429: ['too-many-requests'],
        503: ['service-unavailable'],
      }),
    }),
    'GET /v1/counts': operation({
      operationId: 'listCounts',
      tags: ['Counts'],
      summary: 'Read back stored counts of a service',
      description:
        'Your stored counts of one service between two dates, by date then location, with their phase, last change and earlier values.',
      apiKey: true,
      requestParams: { query: listCountsQuerySchema },
      responses: {
        '200': {
          description: 'A page of counts; `nextToken` when there are more.',
          content: {
            'application/json': {
              schema: listCountsResultSchema,
              examples: { daily: { value: examples.page } },
            },
          },
        },
      },
      problems: {
        404: ['not-found'],
        422: ['validation-error'],
        429: ['too-many-requests'],
        503: ['service-unavailable'],
      },
    }),
  };
};
