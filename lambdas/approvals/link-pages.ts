import { DEPENDENCY_RETRY_AFTER_SECONDS, isDependencyFailure } from '../shared/dependency-failure';
import { HttpError } from '../shared/errors';
import { PAGE_HEADERS } from '../shared/html';
import type { HttpResult } from '../shared/http';
import { logger } from '../shared/observability';
import { errorPage, tooManyAttemptsPage } from './pages';

/** An HTML page answer of an approval link. */
export const page = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: { ...PAGE_HEADERS },
  body,
});

export const withRetryAfter = (result: HttpResult, seconds: number): HttpResult => ({
  ...result,
  headers: { ...result.headers, 'Retry-After': String(seconds) },
});

/**
 * Link ids are 256-bit random, but nobody gets unlimited tries: a source of many 404s on any route of an
 * approval link (the page, its documents) is refused a while, with a page.
 */
export const LINK_GUESSING = {
  kind: 'approval-link',
  failureStatus: 404,
  blockedResponse: (retryAfterSeconds: number): HttpResult =>
    withRetryAfter(page(429, tooManyAttemptsPage(retryAfterSeconds)), retryAfterSeconds),
  unavailableResponse: (retryAfterSeconds: number): HttpResult =>
    withRetryAfter(page(503, errorPage('')), retryAfterSeconds),
} as const;

/**
 * The page for a request of an approval link that failed: a dependency that did not answer in time (503
 * with when to try again) or a bug. The person always gets a page, never a bare error.
 */
export function failurePage(error: unknown, requestId: string, what: string): HttpResult {
  logger.error(`${what} failed`, { error });
  if (isDependencyFailure(error)) {
    return withRetryAfter(page(503, errorPage(requestId)), DEPENDENCY_RETRY_AFTER_SECONDS);
  }
  const status = error instanceof HttpError && error.status >= 500 ? error.status : 500;
  return page(status, errorPage(requestId));
}
