import type { APIGatewayProxyResult } from 'aws-lambda';
import type { FieldError, HttpError } from './errors';

/**
 * What an API handler answers, and the builders for it: `json`, `html`, `xml`, `empty`, and `problem` /
 * `problemFromError` for RFC 9457 problems. Every response has its headers and body as strings, so the
 * middlewares (./middleware) can add headers or strip the body without checking.
 */
export interface HttpResult extends APIGatewayProxyResult {
  headers: Record<string, string>;
  body: string;
}

const withContentType = (contentType: string, headers: Record<string, string>) => ({
  'Content-Type': contentType,
  ...headers,
});

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: withContentType('application/json; charset=utf-8', headers),
    body: JSON.stringify(body),
  };
}

export function html(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: withContentType('text/html; charset=utf-8', headers), body };
}

/** XML body; pass a `Content-Type` header to override (SOAP 1.1 wants `text/xml`). */
export function xml(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: withContentType('application/xml; charset=utf-8', headers), body };
}

export function empty(statusCode = 204, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...headers }, body: '' };
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: readonly FieldError[];
  /** Lets a caller quote the request when reporting a server error. */
  requestId?: string;
  /** Extension members of the occurrence (documented with the operation). */
  readonly [extension: string]: unknown;
}

export function problem(details: ProblemDetails, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: details.status,
    headers: withContentType('application/problem+json; charset=utf-8', headers),
    body: JSON.stringify(details),
  };
}

export function problemFromError(error: HttpError, instance?: string): HttpResult {
  return problem(
    {
      ...error.extensions,
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.detail,
      ...(instance === undefined ? {} : { instance }),
      ...(error.errors === undefined ? {} : { errors: error.errors }),
    },
    error.headers,
  );
}
