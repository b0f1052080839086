import { parseIsoDate, requireIsoDate } from '../core/iso-date';
import * as z from '../core/zod';
import { httpHandler, json } from '../shared/http';
import { routeByResource } from '../shared/route-by-resource';
import { datesBetween, GROUP_DIMENSIONS, MAX_REPORT_DAYS, parseGroupBy } from './aggregate';
import { DEFAULT_PAGE_ROWS, MAX_PAGE_ROWS, silentReport, totalsReport } from './reports';

/**
 * DeGS reports over HTTP. The routes are IAM-authorized at API Gateway (SigV4 with an admin role), so the
 * handler itself checks nothing about the caller.
 *   GET /admin/reports/totals?from=&to=[&groupBy=department,service,category,phase][&department=CODE]
 *       [&phase=live|test][&limit=1000][&cursor=<nextCursor of the previous page>]
 * Both read the count aggregates only (./reports.ts).
 *   GET /admin/reports/silent-services?date=
 */

const isoDate = z.string().check(z.refine((v) => parseIsoDate(v) !== undefined, 'Must be a date YYYY-MM-DD'));

const totalsQuery = z
  .object({
    from: isoDate,
    to: isoDate,
    groupBy: z.pipe(
      z.optional(z.string()),
      z.transform((value, ctx) => {
        const groupBy = parseGroupBy(value);
        if (!groupBy) {
          ctx.issues.push({
            code: 'custom',
            message: `Comma-separated list of ${GROUP_DIMENSIONS.join(', ')}`,
            input: value,
          });
          return z.NEVER;
        }
        return groupBy;
      }),
    ),
    department: z.optional(z.string().check(z.maxLength(10))),
    phase: z.optional(z.enum(['live', 'test'])),
    limit: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_ROWS)),
      DEFAULT_PAGE_ROWS,
    ),
    cursor: z.optional(z.string().check(z.maxLength(512))),
  })
  .check(
    // A date that is not one is named by its own field's check.
    z.refine((q) => !isRange(q) || datesBetween(requireIsoDate(q.from), requireIsoDate(q.to)) !== undefined, {
      path: ['to'],
      message: `Must be on or after from, at most ${MAX_REPORT_DAYS} days later`,
    }),
  );

const totals = httpHandler({ query: totalsQuery }, async ({ query }) =>
  json(
    200,
    await totalsReport(
      {
        from: query.from,
        to: query.to,
        groupBy: query.groupBy,
        ...(query.department === undefined ? {} : { departmentCode: query.department.trim().toUpperCase() }),
        ...(query.phase === undefined ? {} : { phase: query.phase }),
      },
      { limit: query.limit, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) },
    ),
  ),
);

function isRange(query: { from: string; to: string }): boolean {
  return parseIsoDate(query.from) !== undefined && parseIsoDate(query.to) !== undefined;
}

const silent = httpHandler({ query: z.object({ date: isoDate }) }, async ({ query }) =>
  json(200, await silentReport(query.date)),
);

// Only the routes of lambdas/reports/functions.ts reach this function.
export const handler = routeByResource('Reports', {
  '/admin/reports/totals': totals,
  '/admin/reports/silent-services': silent,
});
