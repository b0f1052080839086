import { dependencyUnavailable, isDependencyFailure } from '../dependency-failure';
import { HttpError, InternalError } from '../errors';
import { type HttpResult, problemFromError } from '../http-responses';
import { logger } from '../observability';
import type { HttpMiddleware, HttpRequest } from './types';

/**
 * Renders the problem of a failed request for its caller. It sees the request, so it can choose: the
 * default is RFC 9457 problem+json; a route for people renders HTML pages (./html-errors), the connector
 * could answer XML.
 */
export type ErrorRenderer = (error: HttpError, request: HttpRequest) => HttpResult;

/** The request id a caller can quote: API Gateway's, else Lambda's. */
export const requestIdOf = ({ event, context }: Pick<HttpRequest, 'event' | 'context'>): string =>
  event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';

/** RFC 9457 problem+json, with the request path as `instance`. */
export const problemJson: ErrorRenderer = (error, { event }) =>
  problemFromError(error, typeof event?.path === 'string' ? event.path : undefined);

/**
 * What any failure is answered as, logged once: a known `HttpError` as itself, a failed dependency as the
 * 503 `dependency-unavailable`, anything else as a bug (`InternalError`: only the request id, the stack
 * goes to the log).
 */
function problemOf(request: HttpRequest): HttpError {
  const { error } = request;
  if (error instanceof HttpError) {
    if (error.status >= 500) logger.warn('Request failed', { status: error.status, detail: error.detail });
    else logger.info('Request rejected', { status: error.status, type: error.type });
    return error;
  }
  if (isDependencyFailure(error)) {
    logger.warn('A dependency failed', { error });
    return dependencyUnavailable(error);
  }
  logger.error('Unhandled error', { error });
  return new InternalError(requestIdOf(request));
}

const problemErrorsOnError =
  (render: ErrorRenderer) =>
  (request: HttpRequest): void => {
    request.response = render(problemOf(request), request);
  };

/**
 * The single place errors become responses: every failure becomes its problem (`problemOf`), which the
 * route's renderer answers (problem+json by default).
 */
export const problemErrors = (render: ErrorRenderer = problemJson): HttpMiddleware => ({
  onError: problemErrorsOnError(render),
});
