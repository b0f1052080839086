import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { HttpMiddleware } from './types';

/** How the body arrived (./body-parser). */
export type MediaType = 'json' | 'form' | 'csv' | 'multipart' | 'pdf';

/**
 * What the before-middlewares learned about a request (the caller, the decoded and validated parts),
 * handed to the handler function by ../http.ts. Kept beside the event rather than on it, so the event
 * stays exactly what API Gateway sent.
 */
export interface ParsedRequest {
  caller?: unknown;
  body?: unknown;
  mediaType?: MediaType;
  rawBody?: string;
  query?: unknown;
  path?: unknown;
  headers?: unknown;
}

const parsedRequests = new WeakMap<object, ParsedRequest>();

/** The parse state of a request, created empty on first use. */
export function parsedRequest(event: object): ParsedRequest {
  let state = parsedRequests.get(event);
  if (!state) {
    state = {};
    parsedRequests.set(event, state);
  }
  return state;
}

const freshRequestStateBefore = ({ event }: { event: APIGatewayProxyEvent }): void => {
  parsedRequests.set(event, {});
};

/** Starts each invocation with empty parse state, even if a caller passes the same event object twice. */
export const freshRequestState = (): HttpMiddleware => ({ before: freshRequestStateBefore });
