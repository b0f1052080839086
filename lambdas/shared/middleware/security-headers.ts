import type { HttpResult } from '../http-responses';
import type { HttpMiddleware } from './types';

/**
 * Security headers on every response, errors included. A handler may set its own value for any of them
 * (e.g. an HTML page with its own Content-Security-Policy); defaults only fill what is missing.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Approval links carry tokens in the URL: never leak them to other sites.
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
};

const securityHeadersAfter = (request: { response: HttpResult | null | undefined }): void => {
  const response = request.response;
  if (!response) return;
  response.headers ??= {};
  const present = new Set(Object.keys(response.headers).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!present.has(name.toLowerCase())) response.headers[name] = value;
  }
};

export const securityHeaders = (): HttpMiddleware => ({
  after: securityHeadersAfter,
  onError: securityHeadersAfter,
});
