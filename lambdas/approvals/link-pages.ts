import { PAGE_HEADERS } from '../shared/html';
import type { HttpResult } from '../shared/http';
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
