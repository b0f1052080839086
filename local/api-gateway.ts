import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { RouteSpec } from '../lambdas/functions';
import { PROBLEM_TYPES, type ProblemTypeSlug, problemTypeUri } from '../lambdas/shared/problem-types';
import { RATE_LIMITED_STATUS, rateLimitedBody } from '../lib/edge-limits';
import { LOCAL_ACCOUNT } from './aws';
import { PerIpLimiter } from './edge-limiter';
import { EventTooLargeError, FunctionError, type FunctionRegistry } from './lambda';
import { urlOf } from './net';
import { readHttpIntegrationResponse } from './response-streaming';
import { type SigV4Verdict, verifySigV4 } from './sigv4';

/**
 * API Gateway (REST API, Lambda proxy integration) for local mode: matches ROUTES, builds the proxy event
 * API Gateway builds, calls the route's function in-process and writes its proxy result; for a route whose
 * integration streams (`responseTransferMode: 'STREAM'`) it reads the function's response stream (prelude,
 * then body) and passes the body on as it comes, chunked, as API Gateway does.
 */

/** API Gateway's hard limit on a request payload. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
export const LOCAL_STAGE = 'local';
const API_ID = 'etaallocal';

const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|xml|javascript|x-www-form-urlencoded|csv)\b/,
  /^application\/[\w.+-]+\+(json|xml)\b/,
];

interface CompiledRoute {
  readonly route: RouteSpec;
  readonly segments: readonly string[];
}

export interface ApiGatewayOptions {
  readonly routes: readonly RouteSpec[];
  readonly functions: FunctionRegistry;
  /** The API's base URL (PUBLIC_BASE_URL): the edge's problem types resolve under it. */
  readonly publicBaseUrl: string;
}

/**
 * Local mode's own refusals (what API Gateway or Lambda would refuse), typed from the catalog like the
 * handlers' problems: the type resolves under `baseUrl`, the API's own URL.
 */
function problem(
  res: ServerResponse,
  baseUrl: string,
  { status, slug, detail }: { status: number; slug: ProblemTypeSlug; detail: string },
  headers = {},
): void {
  const body = JSON.stringify({
    type: problemTypeUri(slug, baseUrl),
    title: PROBLEM_TYPES[slug].title,
    status,
    detail,
  });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function tooLarge(res: ServerResponse, options: ApiGatewayOptions, detail: string): void {
  problem(res, options.publicBaseUrl, { status: 413, slug: 'payload-too-large', detail });
}

/** API Gateway's answer when the integration fails or returns something that is not a proxy result. */
function badGateway(res: ServerResponse, requestId: string): void {
  const body = JSON.stringify({ message: 'Internal server error' });
  res.writeHead(502, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': 'InternalServerErrorException',
  });
  res.end(body);
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Matches a concrete path to a resource template: literal segments win over `{param}`, then `{proxy+}`. */
function matchResource(
  compiled: readonly CompiledRoute[],
  pathSegments: readonly string[],
): { resource: string; params: Record<string, string> } | null {
  let best: { resource: string; params: Record<string, string>; score: number[] } | null = null;
  for (const { route, segments } of compiled) {
    const params: Record<string, string> = {};
    const score: number[] = [];
    let matched = true;
    for (let i = 0; i < segments.length; i++) {
      const template = segments[i] as string;
      const greedy = /^\{(\w+)\+\}$/.exec(template);
      if (greedy?.[1]) {
        if (i >= pathSegments.length) matched = false;
        else params[greedy[1]] = pathSegments.slice(i).join('/');
        score.push(0);
        break;
      }
      const actual = pathSegments[i];
      if (actual === undefined) {
        matched = false;
        break;
      }
      const param = /^\{(\w+)\}$/.exec(template);
      if (param?.[1]) {
        params[param[1]] = actual;
        score.push(1);
      } else if (template === actual) {
        score.push(2);
      } else {
        matched = false;
        break;
      }
    }
    const greedyTail = segments.at(-1)?.endsWith('+}') ?? false;
    if (!matched || (!greedyTail && segments.length !== pathSegments.length)) continue;
    if (!best || compareScores(score, best.score) > 0) best = { resource: route.path, params, score };
  }
  return best && { resource: best.resource, params: best.params };
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function multiValueQuery(search: string): Record<string, string[]> | null {
  if (search.length <= 1) return null;
  const result: Record<string, string[]> = {};
  for (const pair of search.slice(1).split('&')) {
    if (pair === '') continue;
    const index = pair.indexOf('=');
    const rawKey = index < 0 ? pair : pair.slice(0, index);
    const rawValue = index < 0 ? '' : pair.slice(index + 1);
    const key = safeDecode(rawKey);
    result[key] = [...(result[key] ?? []), safeDecode(rawValue)];
  }
  return Object.keys(result).length > 0 ? result : null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isText(contentType: string | undefined, body: Buffer): boolean {
  if (contentType) return TEXT_TYPES.some((pattern) => pattern.test(contentType.toLowerCase()));
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the body; null when it exceeds API Gateway's limit. An oversized body is still drained (not
 * kept) so the client reads the 413 instead of a connection reset.
 */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_PAYLOAD_BYTES ? null : Buffer.concat(chunks);
}

/** API Gateway's `requestTime` format, e.g. `25/Nov/2026:16:15:06 +0000`. */
function requestTime(date: Date): string {
  const [, day, month, year, time] = date.toUTCString().split(' ');
  return `${day}/${month}/${year}:${time} +0000`;
}

function buildEvent(
  req: IncomingMessage,
  url: URL,
  resource: string,
  params: Record<string, string>,
  body: Buffer,
  requestId: string,
  caller: { accessKey: string } | null,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  const traceId = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const added: Record<string, string> = {
    'X-Forwarded-For': sourceIp,
    'X-Forwarded-Port': String(req.socket.localPort ?? ''),
    'X-Forwarded-Proto': 'http',
    'X-Amzn-Trace-Id': traceId,
  };
  for (const [name, value] of Object.entries(added)) {
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  const query = multiValueQuery(url.search);
  const text = isText(req.headers['content-type'], body);
  const now = new Date();
  const userAgent = req.headers['user-agent'] ?? null;
  return {
    resource,
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.at(-1) as string]))
      : null,
    multiValueQueryStringParameters: query,
    pathParameters: Object.keys(params).length > 0 ? params : null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: API_ID,
      authorizer: null,
      domainName: req.headers.host ?? '127.0.0.1',
      domainPrefix: (req.headers.host ?? '127').split('.')[0],
      extendedRequestId: randomBytes(8).toString('base64url'),
      httpMethod: req.method ?? 'GET',
      identity: {
        accessKey: caller?.accessKey ?? null,
        accountId: caller ? LOCAL_ACCOUNT : null,
        apiKey: null,
        apiKeyId: null,
        caller: caller?.accessKey ?? null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: caller?.accessKey ?? null,
        userAgent: Array.isArray(userAgent) ? (userAgent[0] ?? null) : userAgent,
        userArn: caller ? `arn:aws:iam::${LOCAL_ACCOUNT}:user/local-${caller.accessKey}` : null,
      },
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: randomBytes(3).toString('hex'),
      resourcePath: resource,
      stage: LOCAL_STAGE,
    },
    body: body.length === 0 ? null : text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !text,
  };
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (value === null || typeof value !== 'object') return false;
  const result = value as Record<string, unknown>;
  return (
    Number.isInteger(result.statusCode) &&
    (result.body === undefined || result.body === null || typeof result.body === 'string')
  );
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const body = result.body
    ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  writeHead(res, result, requestId);
  res.setHeader('content-length', body.length);
  res.end(body);
}

/** Status and headers of a proxy result or a stream's prelude; the body is the caller's. */
function writeHead(
  res: ServerResponse,
  result: Pick<APIGatewayProxyResult, 'statusCode' | 'headers' | 'multiValueHeaders'>,
  requestId: string,
): void {
  // API Gateway merges both header maps; a name present in multiValueHeaders takes its values from there.
  const headers = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers.set(name.toLowerCase(), { name, values: [String(value)] });
  }
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers.set(name.toLowerCase(), { name, values: values.map(String) });
  }
  if (!headers.has('content-type'))
    headers.set('content-type', { name: 'Content-Type', values: ['application/json'] });
  for (const { name, values } of headers.values())
    res.setHeader(name, values.length === 1 ? (values[0] as string) : values);
  res.setHeader('x-amzn-RequestId', requestId);
  res.statusCode = result.statusCode;
}

/**
 * A `STREAM` integration: status and headers once the prelude arrives, then the body as the function
 * writes it, with backpressure. A function that fails before its prelude is a 502; one that fails after
 * it cuts the connection (the client sees a truncated body, as behind API Gateway).
 */
async function writeStream(
  res: ServerResponse,
  options: ApiGatewayOptions,
  functionId: string,
  event: APIGatewayProxyEvent,
  requestId: string,
): Promise<void> {
  const { functions } = options;
  const stream = functions.invokeWithResponseStream(functionId, event);
  res.on('close', () => stream.destroy());
  let response: Awaited<ReturnType<typeof readHttpIntegrationResponse>>;
  try {
    response = await readHttpIntegrationResponse(stream);
  } catch (error) {
    if (error instanceof EventTooLargeError) {
      tooLarge(res, options, error.message);
      return;
    }
    if (!(error instanceof FunctionError)) console.error(`[local api] ${functionId}:`, error);
    badGateway(res, requestId);
    return;
  }
  writeHead(res, { statusCode: response.statusCode, headers: response.headers }, requestId);
  if (response.cookies.length > 0) res.setHeader('set-cookie', [...response.cookies]);
  try {
    for await (const chunk of response.body) {
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  } catch {
    res.destroy();
  }
}

/** API Gateway's 403s for a SigV4 request it does not accept. */
const SIGV4_REFUSALS: Record<Exclude<SigV4Verdict, { ok: true }>['reason'], [string, string]> = {
  missing: ['MissingAuthenticationTokenException', 'Missing Authentication Token'],
  'unknown-key': ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  expired: [
    'InvalidSignatureException',
    'Signature expired: the request time is more than 15 minutes from now.',
  ],
  'bad-signature': [
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided.',
  ],
};

async function handle(
  options: ApiGatewayOptions,
  limiter: PerIpLimiter,
  compiled: readonly CompiledRoute[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://local');
  const match = matchResource(compiled, segmentsOf(url.pathname));
  if (!match) {
    problem(res, options.publicBaseUrl, {
      status: 404,
      slug: 'unknown-path',
      detail: `No operation at ${url.pathname}`,
    });
    return;
  }
  const methods = options.routes.filter((r) => r.path === match.resource).map((r) => r.method);
  const route = options.routes.find((r) => r.path === match.resource && r.method === req.method);
  if (!route) {
    problem(
      res,
      options.publicBaseUrl,
      {
        status: 405,
        slug: 'method-not-allowed',
        detail: `${req.method} is not allowed on ${match.resource}`,
      },
      { allow: methods.join(', ') },
    );
    return;
  }
  // Where AWS WAF would refuse the request, before API Gateway and the function see it.
  const limited = limiter.take(req.socket.remoteAddress ?? '127.0.0.1', route);
  if (limited) {
    res.writeHead(RATE_LIMITED_STATUS, {
      'content-type': 'application/problem+json',
      'retry-after': String(limited.retryAfterSeconds),
    });
    res.end(rateLimitedBody(options.publicBaseUrl));
    return;
  }
  const body = await readBody(req);
  if (!body) {
    tooLarge(res, options, `The request body exceeds ${MAX_PAYLOAD_BYTES} bytes`);
    return;
  }
  let caller: { accessKey: string } | null = null;
  if (route.auth === 'iam') {
    const verdict = await verifySigV4({ method: req.method ?? 'GET', url, headers: req.headers, body });
    if (!verdict.ok) {
      const [errorType, message] = SIGV4_REFUSALS[verdict.reason];
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': errorType });
      res.end(JSON.stringify({ message }));
      return;
    }
    caller = { accessKey: verdict.accessKey };
  }
  const event = buildEvent(req, url, match.resource, match.params, body, requestId, caller);
  if (route.responseTransferMode === 'STREAM') {
    await writeStream(res, options, route.functionId, event, requestId);
    return;
  }
  let result: unknown;
  try {
    result = await options.functions.invoke(route.functionId, event);
  } catch (error) {
    if (error instanceof EventTooLargeError) {
      // Under API Gateway's 10 MB, but the event (body base64-encoded if binary) exceeds Lambda's 6 MB.
      tooLarge(res, options, error.message);
      return;
    }
    // The registry logged a function error; anything else is a fault of local mode itself.
    if (!(error instanceof FunctionError)) console.error('[local api]', error);
    badGateway(res, requestId);
    return;
  }
  if (!isProxyResult(result)) {
    console.error(`[local api] ${route.functionId} returned a malformed Lambda proxy response`);
    badGateway(res, requestId);
    return;
  }
  writeResult(res, result, requestId);
}

/** The server; given a function, it answers 503 while that function returns null (still starting). */
export function createApiServer(source: ApiGatewayOptions | (() => ApiGatewayOptions | null)): Server {
  let compiled: { options: ApiGatewayOptions; routes: CompiledRoute[] } | undefined;
  const limiter = new PerIpLimiter();
  return createServer((req, res) => {
    const options = typeof source === 'function' ? source() : source;
    if (!options) {
      // PUBLIC_BASE_URL is set once the handlers load; it is this server's own address.
      problem(
        res,
        urlOf(req.socket.localPort ?? 0),
        { status: 503, slug: 'service-unavailable', detail: 'The local system is starting' },
        { 'retry-after': '1' },
      );
      return;
    }
    if (compiled?.options !== options) {
      compiled = {
        options,
        routes: options.routes.map((route) => ({ route, segments: segmentsOf(route.path) })),
      };
    }
    handle(options, limiter, compiled.routes, req, res).catch((error: unknown) => {
      console.error('[local api]', error);
      if (!res.headersSent) badGateway(res, 'unknown');
      else res.destroy();
    });
  });
}
