import { dependencyUnavailable, isDependencyFailure } from '../dependency-failure';
import { HttpError, problemTypeUri } from '../errors';
import { type HttpResult, problem, problemFromError } from '../http-responses';
import { logger } from '../observability';
import type { HttpMiddleware, HttpRequest } from './types';

/** Renders a known error for the caller: problem+json by default; the connector answers XML. */
export type ProblemRenderer = (error: HttpError, instance?: string) => HttpResult;

const problemErrorsOnError =
  (render: ProblemRenderer) =>
  (request: HttpRequest): void => {
    const { error, event, context } = request;
    const instance = typeof event?.path === 'string' ? event.path : undefined;
    if (error instanceof HttpError) {
      if (error.status >= 500) logger.warn('Request failed', { status: error.status, detail: error.detail });
      else logger.info('Request rejected', { status: error.status, type: error.type });
      request.response = render(error, instance);
      return;
    }
    if (isDependencyFailure(error)) {
      const unavailable = dependencyUnavailable(error);
      logger.warn('A dependency failed', { error });
      request.response = render(unavailable, instance);
      return;
    }
    const requestId = event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    logger.error('Unhandled error', { error });
    request.response = problem({
      type: problemTypeUri('internal-error'),
      title: 'Internal server error',
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
      ...(instance === undefined ? {} : { instance }),
      requestId,
    });
  };

/**
 * The single place errors become responses: known `HttpError`s as their problem, a failed dependency as
 * the 503 `dependency-unavailable`, anything else as a generic 500 whose detail carries only the request
 * id (the stack goes to the log, never to the client).
 */
export const problemErrors = (render: ProblemRenderer = problemFromError): HttpMiddleware => ({
  onError: problemErrorsOnError(render),
});
