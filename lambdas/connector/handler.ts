import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import * as z from 'zod';
import { queryCountsOfDate } from '../counts/repository';
import { type HttpResult, httpHandler, xml } from '../shared/http';
import { metrics } from '../shared/observability';
import { credentialsMatch, loadCredentials } from './credentials';
import {
  CONNECTOR_ERROR,
  type ConnectorErrorCode,
  formatTransactionDate,
  parseBasicAuthorization,
  parseTransactionDate,
  renderError,
  renderRows,
} from './protocol';

/**
 * The e-Taal Client Connector NIC polls: GET with HTTP Basic, or a form POST with the guideline's
 * fields (credentials in the body keep them out of URLs and access logs). Answers are always 200 XML:
 * the guideline signals a bad date (-1) or bad credentials (-2) in-band, in the row shape.
 */

const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };

type Outcome = 'ok' | 'badDate' | 'badCredentials';

async function answer(
  transactionDate: string | undefined,
  given: { username?: string; password?: string },
): Promise<HttpResult> {
  if (!credentialsMatch(await loadCredentials(), given))
    return error('badCredentials', CONNECTOR_ERROR.badCredentials);
  const date = parseTransactionDate(transactionDate);
  if (!date) return error('badDate', CONNECTOR_ERROR.badDate);
  const live = await queryCountsOfDate(date, 'live');
  const rows = live
    .map((c) => ({ serviceCode: c.serviceCode, serviceCount: c.count, locationCode: c.locationCode }))
    .sort((a, b) =>
      a.serviceCode === b.serviceCode
        ? a.locationCode.localeCompare(b.locationCode)
        : a.serviceCode.localeCompare(b.serviceCode),
    );
  record('ok');
  return xml(200, renderRows(formatTransactionDate(date), rows), XML_HEADERS);
}

function error(outcome: Outcome, code: ConnectorErrorCode): HttpResult {
  record(outcome);
  return xml(200, renderError(code), XML_HEADERS);
}

function record(outcome: Outcome): void {
  const metric = metrics.singleMetric();
  metric.addDimension('outcome', outcome);
  metric.addMetric('ConnectorCalls', MetricUnit.Count, 1);
}

const field = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const viaGet = httpHandler({ query: z.record(z.string(), z.unknown()) }, async ({ query, event }) => {
  const basic = parseBasicAuthorization(event.headers?.authorization ?? undefined);
  return answer(field(query.TransactionDate), basic ?? {});
});

const viaPost = httpHandler(
  { body: z.record(z.string(), z.unknown()), bodyType: 'form', maxBodyBytes: 4096 },
  async ({ body }) =>
    answer(field(body.TransactionDate), { username: field(body.UserName), password: field(body.Password) }),
);

export const handler = (event: APIGatewayProxyEvent, context: Context): Promise<HttpResult> =>
  event.httpMethod === 'POST' ? viaPost(event, context) : viaGet(event, context);
