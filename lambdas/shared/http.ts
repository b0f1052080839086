import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type * as z from '../core/zod';
import { trackWrites } from './dependency-failure';
import { type GuessingLimitOptions, guessingLimit } from './guessing-limit';
import type { HttpResult } from './http-responses';
import { type Authenticator, authentication } from './middleware/authentication';
import { type BodyType, bodyParser, DEFAULT_MAX_BODY_BYTES, decodeBody } from './middleware/body-parser';
import { correlationId } from './middleware/correlation-id';
import { flushMetrics } from './middleware/flush-metrics';
import { headWithoutBody } from './middleware/head-without-body';
import { type ErrorPage, htmlErrors } from './middleware/html-errors';
import { type ErrorRenderer, problemErrors } from './middleware/problem-errors';
import { freshRequestState, type MediaType, parsedRequest } from './middleware/request-state';
import { securityHeaders } from './middleware/security-headers';
import { requiredFields, validation } from './middleware/validation';
import { logger } from './observability';

/**
 * The one middy chain every API handler and every page for people uses, assembled from one middleware per
 * file (./middleware): headers normalized, API key checked, body decoded and validated with zod, errors
 * turned into RFC 9457 problems and answered as the route chooses (problem+json, or HTML pages for
 * people), security headers on every response. Handlers receive typed, validated input and return an
 * `HttpResult` built with `json`, `html`, `xml`, `empty` or `problem` (./http-responses).
 */

export * from './http-responses';
export type { Authenticator } from './middleware/authentication';
export { type BodyType, DEFAULT_MAX_BODY_BYTES } from './middleware/body-parser';
export { asksForJsonOnly, type ErrorPage } from './middleware/html-errors';
export { type ErrorRenderer, requestIdOf } from './middleware/problem-errors';
export type { MediaType } from './middleware/request-state';
export { SECURITY_HEADERS } from './middleware/security-headers';

/** A source sending wrong API keys is refused for a while (./guessing-limit). */
const API_KEY_GUESSING: GuessingLimitOptions = { kind: 'api-key', failureStatus: 401 };

/**
 * How a route answers errors: 'problem' (RFC 9457 problem+json; `render` for callers that read another
 * format) for programs, or 'html' for people: the route's `page` (default `plainErrorPage`), a bug as a 500
 * page, and problem+json only to a client that asks for JSON alone (./middleware/html-errors).
 */
export type ErrorAnswers = { as: 'problem'; render?: ErrorRenderer } | { as: 'html'; page?: ErrorPage };

export interface HttpHandlerOptions<B, Q, P, H, C> {
  body?: z.core.$ZodType<B>;
  /**
   * The function also serves GET and HEAD (a page and its form, a download and its upload): they carry no
   * body, so none is read or validated there and the handler's `body` is undefined on them. Without it, a
   * route with a body schema refuses a request without one.
   */
  servesGet?: boolean;
  query?: z.core.$ZodType<Q>;
  /** Path parameters; a value that does not match is answered 404, as no such resource can exist. */
  path?: z.core.$ZodType<P>;
  /** Validated against the lower-cased request headers. */
  headers?: z.core.$ZodType<H>;
  auth?: Authenticator<C>;
  /** Media types accepted for the body (default 'json'). Only read when `body` is given. */
  bodyType?: BodyType;
  /**
   * For 'json-or-csv': turns the CSV text into the same shape the JSON body would have, so one `body`
   * schema validates both. It may throw a ValidationError/BadRequestError naming the bad line.
   */
  csv?: (text: string) => unknown;
  maxBodyBytes?: number;
  /** Default: problem+json. */
  errors?: ErrorAnswers;
  /** Counts failed guesses per source address and refuses a source that keeps guessing (./guessing-limit). */
  guessing?: GuessingLimitOptions;
}

export interface HttpInput<B, Q, P, H, C> {
  body: B;
  query: Q;
  path: P;
  headers: H;
  /** What the route's `auth` decided (e.g. the department owning the API key); undefined without. */
  caller: C;
  /** Which media type the body arrived as (undefined when no body schema was given). */
  mediaType: MediaType | undefined;
  /** The decoded request body text, '' when there is none. */
  rawBody: string;
  requestId: string;
  event: APIGatewayProxyEvent;
}

export type HttpFunction<B, Q, P, H, C> = (
  input: HttpInput<B, Q, P, H, C>,
  context: Context,
) => Promise<HttpResult>;

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<HttpResult>;

export function httpHandler<
  B = undefined,
  Q = Record<string, string | undefined>,
  P = Record<string, string | undefined>,
  H = Record<string, string | undefined>,
  C = undefined,
  G extends boolean = false,
>(
  options: HttpHandlerOptions<B, Q, P, H, C> & { servesGet?: G },
  fn: HttpFunction<G extends true ? B | undefined : B, Q, P, H, C>,
): ApiHandler {
  const bodyType = options.bodyType ?? 'json';
  if (options.body && bodyType === 'json-or-csv' && !options.csv) {
    throw new Error("httpHandler: bodyType 'json-or-csv' needs a csv converter");
  }

  const base = async (event: APIGatewayProxyEvent, context: Context): Promise<HttpResult> => {
    const state = parsedRequest(event);
    const input = {
      body: state.body,
      query: state.query ?? { ...(event.queryStringParameters ?? {}) },
      path: state.path ?? { ...(event.pathParameters ?? {}) },
      headers: state.headers ?? { ...(event.headers ?? {}) },
      caller: state.caller,
      mediaType: state.mediaType,
      rawBody: state.rawBody ?? decodeBody(event),
      requestId: event.requestContext?.requestId ?? context.awsRequestId,
      event,
    } as HttpInput<G extends true ? B | undefined : B, Q, P, H, C>;
    return fn(input, context);
  };

  const chain = middy<APIGatewayProxyEvent, HttpResult, Error, Context>(base)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationId())
    .use(freshRequestState())
    .use(trackWrites())
    .use(flushMetrics())
    .use(httpHeaderNormalizer())
    .use(securityHeaders())
    .use(headWithoutBody())
    // Last registered, so its onError runs first and the middlewares above see a response.
    .use(errorMiddleware(options.errors));
  if (options.guessing) chain.use(guessingLimit(options.guessing));
  // A source that keeps failing authentication is refused for a while (./guessing-limit).
  if (options.auth) chain.use(guessingLimit(API_KEY_GUESSING)).use(authentication(options.auth));
  const { body } = options;
  if (body) {
    chain.use(
      bodyParser({
        bodyType,
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        requiredFields: () => requiredFields(body),
        ...(options.csv ? { csv: options.csv } : {}),
      }),
    );
  }
  chain.use(validation(options));
  return chain;
}

const errorMiddleware = (answers: ErrorAnswers = { as: 'problem' }) =>
  answers.as === 'html' ? htmlErrors(answers.page) : problemErrors(answers.render);
