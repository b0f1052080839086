import { Readable } from 'node:stream';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj } from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/executionModeStreamifyResponse';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { HttpError } from '../shared/errors';
import { SECURITY_HEADERS } from '../shared/http';
import { flushMetrics } from '../shared/middleware/flush-metrics';
import { logger, metrics } from '../shared/observability';
import { publicBaseUrl } from '../shared/settings';
import { FORMATS, renderDocument, renderErrorAnswer, renderServiceError } from './document';
import { authorise } from './guard';
import { liveRowPages } from './live-rows';
import {
  CONNECTOR_ERROR,
  type ConnectorRow,
  formatTransactionDate,
  inConnectorOrder,
  parseTransactionDate,
} from './protocol';
import { parseConnectorRequest, type ResponseFormat } from './request';
import { urlCredentialsEnabled } from './settings';
import { renderSoapFault, renderWsdl, SOAP_CONTENT_TYPE } from './soap';

/**
 * The e-Taal Client Connector NIC polls (request shapes in ./request). The answer is streamed (a Lambda
 * response stream behind an API Gateway STREAM integration): rows go out as the byDate index is read, so a
 * day of any size is answered with one page in memory. Answers are XML; the guideline signals a bad date
 * (-1) or bad credentials (-2) in-band, in the row shape, with status 200.
 */

export const CONNECTOR_PATH = '/etaal/e-transaction-count';

interface StreamedResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Readable;
}

type Outcome = 'ok' | 'badDate' | 'badCredentials' | 'throttled' | 'badRequest';

const answer = (
  statusCode: number,
  contentType: string,
  body: StreamedResult['body'],
  extra = {},
): StreamedResult => ({
  statusCode,
  headers: { ...SECURITY_HEADERS, 'Content-Type': contentType, ...extra },
  body,
});

async function respond(event: APIGatewayProxyEvent): Promise<StreamedResult> {
  const request = parseConnectorRequest(event, { urlCredentials: urlCredentialsEnabled() });
  if (request.kind === 'wsdl')
    return answer(200, SOAP_CONTENT_TYPE, renderWsdl(`${publicBaseUrl()}${CONNECTOR_PATH}`));
  if (request.kind === 'fault') {
    record('badRequest');
    // SOAP 1.1: a fault is answered with status 500.
    return answer(500, SOAP_CONTENT_TYPE, renderSoapFault(request.fault));
  }
  if (request.kind === 'refused') {
    record('badRequest');
    const { format, status, message } = request;
    return answer(status, FORMATS[format].contentType, renderServiceError(format, status, message));
  }
  const { format } = request;
  const sourceIp = event.requestContext?.identity?.sourceIp ?? 'unknown';
  const authorisation = await authorise(sourceIp, request.credentials);
  if (authorisation !== 'ok') return inBand(format, authorisation, CONNECTOR_ERROR.badCredentials);
  const date = parseTransactionDate(request.transactionDate);
  if (!date) return inBand(format, 'badDate', CONNECTOR_ERROR.badDate);
  const rows = await startReading(date);
  record('ok');
  return answer(
    200,
    FORMATS[format].contentType,
    Readable.from(renderDocument(format, formatTransactionDate(date), rows)),
  );
}

function inBand(format: ResponseFormat, outcome: Outcome, code: -1 | -2): StreamedResult {
  record(outcome);
  return answer(200, FORMATS[format].contentType, renderErrorAnswer(format, code));
}

/**
 * The first page is read before the status is sent, so a store that is down gives a clean 503; a failure
 * after that cuts the stream, and the truncated document fails NIC's XML parser rather than passing as a
 * shorter day.
 */
async function startReading(date: string): Promise<AsyncIterable<readonly ConnectorRow[]>> {
  const pages = liveRowPages(date);
  const first = await pages.next();
  async function* all(): AsyncGenerator<readonly ConnectorRow[]> {
    if (first.done) return;
    yield first.value;
    yield* pages;
  }
  return inConnectorOrder(all());
}

function record(outcome: Outcome): void {
  const metric = metrics.singleMetric();
  metric.addDimension('outcome', outcome);
  metric.addMetric('ConnectorCalls', MetricUnit.Count, 1);
}

type Mw = MiddlewareObj<APIGatewayProxyEvent, StreamedResult, Error, Context>;

/** Failures before the answer starts, as XML in the request's format (never a JSON problem to NIC). */
const xmlErrors = (): Mw => ({
  onError: (request) => {
    const { error, event } = request;
    const format = formatOf(event);
    const status = error instanceof HttpError ? error.status : 500;
    if (status >= 500) logger.error('Connector request failed', { error });
    const message =
      error instanceof HttpError
        ? error.detail
        : `Something went wrong on our side. Quote request id ${event.requestContext?.requestId ?? 'unknown'} if you report it.`;
    const headers = error instanceof HttpError ? error.headers : {};
    request.response = answer(
      status,
      FORMATS[format].contentType,
      renderServiceError(format, status, message),
      headers,
    );
  },
});

function formatOf(event: APIGatewayProxyEvent): ResponseFormat {
  try {
    const request = parseConnectorRequest(event, { urlCredentials: false });
    return 'format' in request ? request.format : 'xml';
  } catch {
    return 'xml';
  }
}

export const handler = middy<APIGatewayProxyEvent, StreamedResult>({
  executionMode: executionModeStreamifyResponse,
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .use(xmlErrors())
  .handler(respond);
