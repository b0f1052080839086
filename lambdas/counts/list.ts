import { departmentApiKey } from '../departments/api-key-auth';
import { NotFoundError, ValidationError } from '../shared/errors';
import { httpHandler, json } from '../shared/http';
import { queryCorrections } from './corrections-log';
import { takeRequest } from './rate-limit';
import { getServiceCodes, queryServiceCounts } from './repository';
import { listCountsQuerySchema } from './schemas';

/**
 * GET /v1/counts?serviceCode=&from=&to=[&limit=&nextToken=]: the caller's own counts of one service,
 * date-ordered, with phase, last change and the earlier values (the corrections log, ./corrections-log.ts). Another department's code is answered
 * exactly like an unknown one.
 */

export const handler = httpHandler(
  { auth: departmentApiKey, query: listCountsQuerySchema },
  async ({ caller: department, query }) => {
    await takeRequest(department.departmentId, new Date());
    const code = (await getServiceCodes([query.serviceCode])).get(query.serviceCode);
    if (!code || code.departmentId !== department.departmentId) {
      throw new NotFoundError('No service with this code belongs to your department.');
    }
    const startKey =
      query.nextToken === undefined ? undefined : decodeToken(query.nextToken, query.serviceCode);
    const page = await queryServiceCounts(query.serviceCode, query.from, query.to, query.limit, startKey);
    const first = page.counts[0];
    const last = page.counts.at(-1);
    const corrections =
      first && last ? await queryCorrections(query.serviceCode, first.date, last.date) : new Map();
    return json(200, {
      counts: page.counts.map((count) => {
        const history = corrections.get(`${count.date}#${count.locationCode}`) ?? [];
        return {
          serviceCode: count.serviceCode,
          date: count.date,
          locationCode: count.locationCode,
          count: count.count,
          phase: count.phase,
          updatedAt: count.updatedAt,
          previousCount: history[0]?.count ?? null,
          previousUpdatedAt: history[0]?.updatedAt ?? null,
          history,
        };
      }),
      ...(page.lastKey ? { nextToken: Buffer.from(JSON.stringify(page.lastKey)).toString('base64url') } : {}),
    });
  },
);

/** The token is our own LastEvaluatedKey; one that does not point into this service's counts is refused. */
function decodeToken(token: string, serviceCode: string): Record<string, string> {
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      typeof key === 'object' &&
      key !== null &&
      Object.keys(key).length === 2 &&
      (key as Record<string, unknown>).pk === `CODE#${serviceCode}` &&
      typeof (key as Record<string, unknown>).sk === 'string'
    ) {
      return key as Record<string, string>;
    }
  } catch {
    // falls through to the validation error
  }
  throw ValidationError.forField('nextToken', 'Not a token from a previous page of this query');
}
