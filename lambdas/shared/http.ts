import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import { zodIssuesToFieldErrors } from '../core/problem-fields';
import { dependencyUnavailable, isDependencyFailure, trackWrites } from './dependency-failure';
import {
  BadRequestError,
  type FieldError,
  HttpError,
  NotFoundError,
  PayloadTooLargeError,
  problemTypeUri,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import { type GuessingLimitOptions, guessingLimit } from './guessing-limit';
import { logger, metrics, tracer } from './observability';

/** A source sending wrong API keys is refused for a while (./guessing-limit). */
const API_KEY_GUESSING: GuessingLimitOptions = { kind: 'api-key', failureStatus: 401 };

/**
 * The one middy chain every API handler uses: headers normalized, API key checked, body decoded and
 * validated with zod, errors turned into RFC 9457 problems, security headers on every response.
 * Handlers receive typed, validated input and return an `HttpResult` built with `json`, `html`, `xml`,
 * `empty` or `problem`.
 */

export interface HttpResult extends APIGatewayProxyResult {
  headers: Record<string, string>;
  body: string;
}

export type BodyType = 'json' | 'form' | 'json-or-csv';
export type MediaType = 'json' | 'form' | 'csv';

/** API Gateway REST accepts up to 10 MB; our requests are small, so anything bigger is refused early. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Who a request comes from, decided by a domain (the departments domain provides the API-key one): a
 * route opts in with `auth`, and the handler receives the result as `caller`. Throw an HttpError (401)
 * to refuse the request.
 */
export interface Authenticator<C> {
  readonly authenticate: (event: APIGatewayProxyEvent) => Promise<C>;
}

export interface HttpHandlerOptions<B, Q, P, H, C> {
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** Path parameters; a value that does not match is answered 404, as no such resource can exist. */
  path?: z.ZodType<P>;
  /** Validated against the lower-cased request headers. */
  headers?: z.ZodType<H>;
  auth?: Authenticator<C>;
  /** Media types accepted for the body (default 'json'). Only read when `body` is given. */
  bodyType?: BodyType;
  /**
   * For 'json-or-csv': turns the CSV text into the same shape the JSON body would have, so one `body`
   * schema validates both. It may throw a ValidationError/BadRequestError naming the bad line.
   */
  csv?: (text: string) => unknown;
  maxBodyBytes?: number;
  /** Renders errors for callers that do not read problem+json (the connector answers XML). */
  renderProblem?: (error: HttpError, instance?: string) => HttpResult;
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

type Headers = Record<string, string | undefined>;

// ---------------------------------------------------------------------------------------------------
// Responses

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

// ---------------------------------------------------------------------------------------------------
// Middleware (each usable on its own; httpHandler composes them)

/** What the before-middlewares learned about a request, handed to the handler function. */
interface ParsedRequest {
  caller?: unknown;
  body?: unknown;
  mediaType?: MediaType;
  rawBody?: string;
  query?: unknown;
  path?: unknown;
  headers?: unknown;
}

const parsedRequests = new WeakMap<object, ParsedRequest>();

function parsed(event: object): ParsedRequest {
  let state = parsedRequests.get(event);
  if (!state) {
    state = {};
    parsedRequests.set(event, state);
  }
  return state;
}

type Mw = MiddlewareObj<APIGatewayProxyEvent, HttpResult, Error, Context>;

/** Starts each invocation with empty parse state, even if a caller passes the same event object twice. */
export const freshRequestState = (): Mw => ({
  before: ({ event }) => {
    parsedRequests.set(event, {});
  },
});

/** Correlation id = API Gateway request id, so a client's report can be found in the logs. */
export const correlationId = (): Mw => ({
  before: ({ event, context }) => {
    logger.setCorrelationId(event.requestContext?.requestId ?? context.awsRequestId);
  },
});

/** Publishes the metrics an invocation recorded; silent when it recorded none. */
export const flushMetrics = (): Mw => {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

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

export const securityHeaders = (): Mw => {
  const apply = (request: { response: HttpResult | null | undefined }) => {
    const response = request.response;
    if (!response) return;
    response.headers ??= {};
    const present = new Set(Object.keys(response.headers).map((name) => name.toLowerCase()));
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!present.has(name.toLowerCase())) response.headers[name] = value;
    }
  };
  return { after: apply, onError: apply };
};

/** HEAD is answered exactly like GET, minus the body. */
export const headWithoutBody = (): Mw => {
  const strip = (request: { event: APIGatewayProxyEvent; response: HttpResult | null | undefined }) => {
    if (request.event.httpMethod === 'HEAD' && request.response) request.response.body = '';
  };
  return { after: strip, onError: strip };
};

/**
 * The single place errors become responses: known `HttpError`s as their problem, anything else as a
 * generic 500 whose detail carries only the request id (the stack goes to the log, never to the client).
 */
export const problemErrors = (
  render: (error: HttpError, instance?: string) => HttpResult = problemFromError,
): Mw => ({
  onError: (request) => {
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
  },
});

/** Runs the route's authenticator before anything is parsed; its answer reaches the handler as `caller`. */
export const authentication = <C>(authenticator: Authenticator<C>): Mw => ({
  before: async ({ event }) => {
    parsed(event).caller = await authenticator.authenticate(event);
  },
});

const ACCEPTED_MEDIA_TYPES: Record<BodyType, readonly MediaType[]> = {
  json: ['json'],
  form: ['form'],
  'json-or-csv': ['json', 'csv'],
};

const MEDIA_TYPE_NAMES: Record<MediaType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  csv: 'text/csv',
};

function mediaTypeOf(contentType: string | undefined): MediaType | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!essence) return undefined;
  if (essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (essence === 'text/csv') return 'csv';
  return undefined;
}

function decodeBody(event: APIGatewayProxyEvent): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** Repeated form fields become arrays; Object.fromEntries keeps a `__proto__` field an ordinary key. */
function parseForm(text: string): Record<string, string | string[]> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return Object.fromEntries(
    [...grouped].map(([key, values]) => [key, values.length === 1 ? (values[0] as string) : values]),
  );
}

/** Size limit (413), media type (415), emptiness and syntax (400), in that order. */
export const bodyParser = (options: {
  bodyType: BodyType;
  maxBodyBytes: number;
  csv?: (text: string) => unknown;
}): Mw => ({
  before: ({ event }) => {
    const rawBody = decodeBody(event);
    const state = parsed(event);
    state.rawBody = rawBody;
    if (Buffer.byteLength(rawBody, 'utf8') > options.maxBodyBytes) {
      throw new PayloadTooLargeError(`The request body must not exceed ${options.maxBodyBytes} bytes.`);
    }
    const accepted = ACCEPTED_MEDIA_TYPES[options.bodyType];
    if (rawBody.trim() === '') {
      throw new BadRequestError(
        `A request body (${accepted.map((m) => MEDIA_TYPE_NAMES[m]).join(' or ')}) is required.`,
        {
          problemType: 'missing-body',
        },
      );
    }
    const mediaType = mediaTypeOf((event.headers as Headers | null)?.['content-type']);
    if (!mediaType || !accepted.includes(mediaType)) {
      throw new UnsupportedMediaTypeError(
        `Send the body with Content-Type ${accepted.map((m) => MEDIA_TYPE_NAMES[m]).join(' or ')}.`,
      );
    }
    state.mediaType = mediaType;
    if (mediaType === 'json') {
      try {
        state.body = JSON.parse(rawBody);
      } catch {
        throw new BadRequestError('The request body is not valid JSON.', { problemType: 'malformed-json' });
      }
    } else if (mediaType === 'form') {
      state.body = parseForm(rawBody);
    } else {
      if (!options.csv) throw new Error('bodyType json-or-csv needs a csv converter');
      state.body = options.csv(rawBody);
    }
  },
});

/** zod's "expected string, received undefined" becomes the plainer "Required". */
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;

async function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldError[] }> {
  const result = await schema.safeParseAsync(value, { error: requiredMessage });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: zodIssuesToFieldErrors(result.error) };
}

/** Validates path (404), headers (400), query and body (422) against the handler's schemas. */
export const validation = (schemas: {
  body?: z.ZodType;
  query?: z.ZodType;
  path?: z.ZodType;
  headers?: z.ZodType;
}): Mw => ({
  before: async ({ event }) => {
    const state = parsed(event);
    if (schemas.path) {
      const result = await validate(schemas.path, event.pathParameters ?? {});
      if (!result.ok) throw new NotFoundError(`Nothing exists at ${event.path ?? 'this path'}.`);
      state.path = result.value;
    }
    if (schemas.headers) {
      const result = await validate(schemas.headers, { ...(event.headers ?? {}) });
      if (!result.ok)
        throw new BadRequestError('Some request headers are invalid.', {
          errors: result.errors,
          problemType: 'invalid-headers',
        });
      state.headers = result.value;
    }
    const errors: FieldError[] = [];
    if (schemas.query) {
      const result = await validate(schemas.query, { ...(event.queryStringParameters ?? {}) });
      if (result.ok) state.query = result.value;
      else errors.push(...result.errors);
    }
    if (schemas.body) {
      const result = await validate(schemas.body, state.body);
      if (result.ok) state.body = result.value;
      else errors.push(...result.errors);
    }
    if (errors.length > 0) throw new ValidationError(errors);
  },
});

// ---------------------------------------------------------------------------------------------------
// The chain

export function httpHandler<
  B = undefined,
  Q = Record<string, string | undefined>,
  P = Record<string, string | undefined>,
  H = Record<string, string | undefined>,
  C = undefined,
>(options: HttpHandlerOptions<B, Q, P, H, C>, fn: HttpFunction<B, Q, P, H, C>): ApiHandler {
  const bodyType = options.bodyType ?? 'json';
  if (options.body && bodyType === 'json-or-csv' && !options.csv) {
    throw new Error("httpHandler: bodyType 'json-or-csv' needs a csv converter");
  }

  const base = async (event: APIGatewayProxyEvent, context: Context): Promise<HttpResult> => {
    const state = parsed(event);
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
    } as HttpInput<B, Q, P, H, C>;
    return fn(input, context);
  };

  const chain = middy<APIGatewayProxyEvent, HttpResult, Error, Context>(base)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationId())
    .use(freshRequestState())
    .use(trackWrites())
    .use(flushMetrics())
    .use(httpHeaderNormalizer())
    .use(securityHeaders())
    .use(headWithoutBody())
    // Last registered, so its onError runs first and the middlewares above see a response.
    .use(problemErrors(options.renderProblem));
  if (options.guessing) chain.use(guessingLimit(options.guessing));
  // A source that keeps failing authentication is refused for a while (./guessing-limit).
  if (options.auth) chain.use(guessingLimit(API_KEY_GUESSING)).use(authentication(options.auth));
  if (options.body) {
    chain.use(
      bodyParser({
        bodyType,
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        csv: options.csv,
      }),
    );
  }
  chain.use(validation(options));
  return chain;
}
