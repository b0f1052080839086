import { createServer, type Server, type Socket } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS, ROUTES, type RouteSpec } from '../../lambdas/functions';
import type { ApiHandler } from '../../lambdas/shared/http';
import { WORST_CASE_SDK_CALL_MS } from '../../lambdas/shared/sdk-timeouts';
import { TABLES } from '../../lambdas/shared/tables';
import { ContractChecker } from '../contract/openapi-contract';
import { CREATE_BODY } from '../onboarding/fixtures';
import { apiEvent, lambdaContext } from '../support/api-event';
import { callStreaming, installAwsLambdaGlobal } from '../support/streaming';

/**
 * Issue 11, no hanging requests: DynamoDB and Step Functions "up" but never answering (a TCP listener
 * that accepts and stays silent). Every route answers within its function's timeout: 503 with
 * Retry-After (HTML for approval pages, XML for the connector, problem+json elsewhere), never a hang or a
 * 500; a route that needs no dependency answers as usual.
 */
let stalled: Server;
const sockets: Socket[] = [];
const logged: string[] = [];

beforeAll(async () => {
  stalled = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  const port = (stalled.address() as { port: number }).port;
  Object.assign(process.env, {
    AWS_REGION: 'ap-south-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${port}`,
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${port}`,
    PUBLIC_BASE_URL: 'https://etaal.example.test/prod',
    STATE_MACHINE_ARN: 'arn:aws:states:ap-south-1:000000000000:stateMachine:stalled',
    SES_FROM_ADDRESS: 'no-reply@etaal.example.test',
    ETAAL_CONNECTOR_USERNAME: 'nic',
    ETAAL_CONNECTOR_PASSWORD: 'secret',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  for (const spec of Object.values(TABLES)) process.env[spec.envVar] = `stalled-${spec.id}`;
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => stalled.close(resolve));
});

const API_KEY = `etd_${'S'.repeat(43)}`;
const APPROVAL_ID = 'a'.repeat(43);
/** Routes whose answer depends on DynamoDB: they must give the 503. */
const NEEDS_DYNAMODB = /^\/(approvals|v1\/(counts|onboardings)|etaal|admin)\b/;
const ONBOARDING_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const TODAY = new Date().toISOString().slice(0, 10);

/** A request each route would accept if its dependencies answered. */
function requestFor(route: RouteSpec): APIGatewayProxyEvent {
  const path = route.path.replace('{approvalId}', 'a'.repeat(43)).replace('{onboardingId}', ONBOARDING_ID);
  const pathParameters = Object.fromEntries(
    [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [
      name as string,
      name === 'approvalId' ? 'a'.repeat(43) : ONBOARDING_ID,
    ]),
  );
  const json = (body: unknown) => ({
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
  });
  const bodies: Record<
    string,
    { body?: string; headers?: Record<string, string>; query?: Record<string, string> }
  > = {
    'POST /v1/onboardings': json(CREATE_BODY),
    'PUT /v1/counts': json({ counts: [{ serviceCode: 'DL-STALL-0001', date: TODAY, count: 1 }] }),
    'PUT /v1/onboardings/{onboardingId}/templates': json({ templates: [] }),
    'POST /approvals/{approvalId}': {
      body: 'decision=approve&nonce=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    'POST /etaal/e-transaction-count': {
      body: `UserName=nic&Password=secret&TransactionDate=${TODAY.split('-').reverse().join('/')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    'GET /etaal/e-transaction-count': {
      query: { TransactionDate: TODAY.split('-').reverse().join('/') },
      headers: { authorization: `Basic ${Buffer.from('nic:secret').toString('base64')}` },
    },
    'GET /admin/reports/totals': { query: { from: TODAY, to: TODAY } },
    'GET /admin/reports/silent-services': { query: { date: TODAY } },
  };
  const extra = bodies[`${route.method} ${route.path}`] ?? {};
  return apiEvent({
    method: route.method,
    path,
    resource: route.path,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    ...extra,
    headers: { 'x-api-key': API_KEY, ...extra.headers },
  } as Parameters<typeof apiEvent>[0]);
}

describe('a stalled DynamoDB', () => {
  it('keeps every SDK call bounded below the shortest function timeout', () => {
    const shortest = Math.min(...FUNCTIONS.map((f) => (f.timeoutSeconds ?? 10) * 1000));
    expect(WORST_CASE_SDK_CALL_MS).toBeLessThan(shortest);
  });

  it('gives a timely 503 with Retry-After, in the route’s format, on every route that needs it', async () => {
    const results = await Promise.all(
      ROUTES.filter((route) => route.method !== 'HEAD').map(async (route) => {
        const spec = FUNCTIONS.find((f) => f.id === route.functionId);
        // A streamed route's handler (the connector) is called with a response stream, as Lambda does.
        if (route.responseTransferMode === 'STREAM') installAwsLambdaGlobal();
        const { handler } = (await import(`../../${spec?.entry}`)) as { handler: ApiHandler };
        const call = async () => {
          if (route.responseTransferMode !== 'STREAM') return handler(requestFor(route), lambdaContext());
          const { status, headers, text } = await callStreaming(handler, requestFor(route));
          return { statusCode: status, headers, body: text };
        };
        const started = Date.now();
        const response = await Promise.race([
          call(),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`${route.method} ${route.path} hung`)), 20_000),
          ),
        ]).catch((e: Error) => ({ statusCode: 0, headers: {} as Record<string, string>, body: e.message }));
        return { route, spec, response, elapsedMs: Date.now() - started };
      }),
    );
    for (const { route, spec, response, elapsedMs } of results) {
      const name = `${route.method} ${route.path}`;
      expect(elapsedMs, name).toBeLessThan((spec?.timeoutSeconds ?? 10) * 1000);
      expect(response.statusCode, `${name}: ${response.body}`).not.toBe(500);
      // Routes that read no table (health, static pages) answer as usual; every other one is a 503.
      if (response.statusCode < 500 && !NEEDS_DYNAMODB.test(route.path)) continue;
      expect(response.statusCode, `${name}: ${response.body}`).toBe(503);
      expect(Number(response.headers['Retry-After']), name).toBeGreaterThan(0);
      const contentType = response.headers['Content-Type'];
      if (route.path.startsWith('/approvals/')) expect(contentType, name).toMatch(/^text\/html/);
      else if (route.path.startsWith('/etaal/')) expect(contentType, name).toMatch(/^text\/xml/);
      else expect(contentType, name).toMatch(/^application\/problem\+json/);
    }
    // Each answer of a documented operation is one the reference documents: every operation that lists
    // the 503 dependency-unavailable (or the connector's XML 503) gave exactly that.
    const { buildOpenApiDocument } = await import('../../lambdas/docs/openapi-document');
    const document = JSON.parse(JSON.stringify(buildOpenApiDocument({ now: new Date() })));
    const contract = new ContractChecker(document);
    for (const { route, response } of results) {
      if (!document.paths[route.path]?.[route.method.toLowerCase()]) continue;
      const path = requestFor(route).path;
      await contract.check(
        route.method,
        path,
        new Response(response.body, { status: response.statusCode, headers: response.headers }),
      );
    }
    const seen = contract.seenAnswers();
    const unavailable = contract
      .documentedAnswers()
      .filter((answer) => / 503 (dependency-unavailable|-)$/.test(answer));
    expect(unavailable.length).toBeGreaterThan(5);
    expect(unavailable.filter((answer) => !seen.has(answer))).toEqual([]);
    // Tracing hygiene: the approval link id (a credential) reaches no log line, errors and events included.
    expect(logged.join('\n')).not.toContain(APPROVAL_ID);
  }, 60_000);
});

describe('a 503 after part of the request was written', () => {
  it('says some items may already be applied, and to resend the same request', async () => {
    const { dependencyUnavailable, noteCommandSucceeded, trackWrites } = await import(
      '../../lambdas/shared/dependency-failure'
    );
    const failure = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    const before = trackWrites().before as () => void;
    before();
    noteCommandSucceeded('GetItemCommand');
    expect(dependencyUnavailable(failure).detail).toMatch(/nothing was changed/);
    noteCommandSucceeded('BatchWriteItemCommand');
    expect(dependencyUnavailable(failure).detail).toMatch(
      /some items may already be applied; resend the same request/,
    );
  });
});

describe('logs', () => {
  it('mask an approval link id in any path, URL or field, as when an operator turns on event logging', async () => {
    const { redactSecrets } = await import('../../lambdas/shared/observability');
    const line = JSON.stringify(
      {
        event: { path: `/prod/approvals/${APPROVAL_ID}`, pathParameters: { approvalId: APPROVAL_ID } },
        error: { message: `GET https://x.example/approvals/${APPROVAL_ID}?a=1 failed` },
      },
      redactSecrets,
    );
    expect(line).not.toContain(APPROVAL_ID);
    expect(line).toContain('/approvals/[REDACTED]');
  });
});
