import { request } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../lambdas/functions';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { createApiServer, MAX_PAYLOAD_BYTES } from '../../local/api-gateway';
import { FunctionRegistry, type LambdaHandler } from '../../local/lambda';
import { close, listen, urlOf } from '../../local/net';
import { installAwsLambdaGlobal, type LambdaResponseStream } from '../../local/response-streaming';
import { LOCAL_CREDENTIALS, signLocalRequest } from '../../local/sigv4';
import { type LocalSystem, startLocalSystem } from '../../local/system';

const events: APIGatewayProxyEvent[] = [];
let nextResult: unknown;

installAwsLambdaGlobal();
interface StreamingRuntime {
  streamifyResponse(h: (event: unknown, stream: LambdaResponseStream) => Promise<void>): LambdaHandler;
  HttpResponseStream: { from(stream: LambdaResponseStream, prelude: object): LambdaResponseStream };
}
const runtime = (globalThis as unknown as { awslambda: StreamingRuntime }).awslambda;
/** Lets the test see that the first chunk reached the client before the handler wrote the second. */
let releaseSecondChunk: () => void = () => undefined;

const functions = FunctionRegistry.fromHandlers({
  Streamer: runtime.streamifyResponse(async (_event, responseStream) => {
    const stream = runtime.HttpResponseStream.from(responseStream, {
      statusCode: 201,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', 'X-Streamed': 'yes' },
    });
    stream.write('<first/>');
    await new Promise<void>((resolve) => {
      releaseSecondChunk = resolve;
    });
    stream.write('<second/>');
    stream.end();
  }),
  StreamerCrash: runtime.streamifyResponse(async () => {
    throw new TypeError('bug before the prelude');
  }),
  Echo: async (event) => {
    events.push(event as APIGatewayProxyEvent);
    return nextResult;
  },
  Crash: async () => {
    throw new TypeError('bug in handler');
  },
});

const routes: RouteSpec[] = [
  { method: 'GET', path: '/v1/onboardings/{onboardingId}', functionId: 'Echo', auth: 'apiKey' },
  { method: 'HEAD', path: '/v1/onboardings/{onboardingId}', functionId: 'Echo', auth: 'apiKey' },
  { method: 'POST', path: '/v1/onboardings/{onboardingId}/documents', functionId: 'Echo', auth: 'apiKey' },
  { method: 'GET', path: '/v1/onboardings/mine', functionId: 'Echo', auth: 'apiKey' },
  { method: 'GET', path: '/files/{proxy+}', functionId: 'Echo', auth: 'none' },
  { method: 'POST', path: '/admin/holidays', functionId: 'Echo', auth: 'iam' },
  { method: 'GET', path: '/crash', functionId: 'Crash', auth: 'none' },
  { method: 'GET', path: '/stream', functionId: 'Streamer', auth: 'none', responseTransferMode: 'STREAM' },
  {
    method: 'GET',
    path: '/stream-crash',
    functionId: 'StreamerCrash',
    auth: 'none',
    responseTransferMode: 'STREAM',
  },
  {
    method: 'GET',
    path: '/stream-buffered',
    functionId: 'Echo',
    auth: 'none',
    responseTransferMode: 'STREAM',
  },
];

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({
    port: 0,
    dataDir: null,
    functions,
    routes,
    definitionPath: '/nonexistent.json',
  });
});

afterAll(async () => {
  await system?.stop();
});

beforeEach(() => {
  events.length = 0;
  nextResult = { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' };
});

/** node:http instead of fetch where the test needs exact control of headers. */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${system.apiUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the proxy event', () => {
  it('carries the resource, path, parameters, headers and request context', async () => {
    await rawRequest('GET', '/v1/onboardings/ob-42?status=open&tag=a&tag=b%20c', {
      'X-Api-Key': 'k1',
      'User-Agent': 'dept-client/1.0',
      Accept: ['application/json', 'text/plain'],
    });

    const [event] = events;
    expect(event).toMatchObject({
      resource: '/v1/onboardings/{onboardingId}',
      path: '/v1/onboardings/ob-42',
      httpMethod: 'GET',
      pathParameters: { onboardingId: 'ob-42' },
      queryStringParameters: { status: 'open', tag: 'b c' },
      multiValueQueryStringParameters: { status: ['open'], tag: ['a', 'b c'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        resourcePath: '/v1/onboardings/{onboardingId}',
        httpMethod: 'GET',
        stage: 'local',
        identity: { sourceIp: '127.0.0.1', userAgent: 'dept-client/1.0' },
      },
    });
    expect(event?.headers['X-Api-Key']).toBe('k1');
    expect(event?.multiValueHeaders.Accept).toEqual(['application/json', 'text/plain']);
    expect(event?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('prefers a literal segment to a parameter, with null parameters when there are none', async () => {
    await rawRequest('GET', '/v1/onboardings/mine', {});

    expect(events[0]).toMatchObject({
      resource: '/v1/onboardings/mine',
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
    });
  });

  it('matches a greedy {proxy+} resource', async () => {
    await rawRequest('GET', '/files/reports/2026/summary.csv', {});

    expect(events[0]).toMatchObject({
      resource: '/files/{proxy+}',
      pathParameters: { proxy: 'reports/2026/summary.csv' },
    });
  });

  it('passes a text body as a string and a binary body as base64', async () => {
    await rawRequest(
      'POST',
      '/v1/onboardings/ob-1/documents',
      { 'content-type': 'application/json' },
      Buffer.from('{"name":"सेवा"}'),
    );
    const binary = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0x00, 0xfe]);
    await rawRequest('POST', '/v1/onboardings/ob-1/documents', { 'content-type': 'application/pdf' }, binary);

    expect(events[0]).toMatchObject({ body: '{"name":"सेवा"}', isBase64Encoded: false });
    expect(events[1]).toMatchObject({ body: binary.toString('base64'), isBase64Encoded: true });
  });
});

describe('the proxy result', () => {
  it('writes status, headers, multi-value headers and body', async () => {
    nextResult = {
      statusCode: 201,
      headers: { 'Content-Type': 'application/problem+json', Location: '/v1/onboardings/ob-9' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: '{"created":true}',
    };

    const response = await rawRequest('GET', '/v1/onboardings/ob-9', {});

    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers.location).toBe('/v1/onboardings/ob-9');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.body.toString()).toBe('{"created":true}');
  });

  it('decodes a base64 body and defaults the content type to application/json', async () => {
    nextResult = { statusCode: 200, body: Buffer.from('binary!').toString('base64'), isBase64Encoded: true };

    const response = await rawRequest('GET', '/v1/onboardings/ob-9', {});

    expect(response.body.toString()).toBe('binary!');
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('answers HEAD without a body on a route that declares HEAD', async () => {
    const response = await rawRequest('HEAD', '/v1/onboardings/ob-9', {});

    expect(response.status).toBe(200);
    expect(events[0]?.httpMethod).toBe('HEAD');
    expect(response.body.length).toBe(0);
  });

  it('answers 502 like API Gateway when the handler throws or returns no proxy result', async () => {
    const crash = await fetch(`${system.apiUrl}/crash`);
    nextResult = { body: 'no status code' };
    const malformed = await fetch(`${system.apiUrl}/v1/onboardings/ob-1`);

    expect(crash.status).toBe(502);
    expect(await crash.json()).toEqual({ message: 'Internal server error' });
    expect(malformed.status).toBe(502);
  });
});

describe('requests API Gateway refuses', () => {
  it('answers 404 problem for an unknown path and 405 for a known path with another method', async () => {
    const unknown = await fetch(`${system.apiUrl}/v2/nothing`);
    const wrongMethod = await fetch(`${system.apiUrl}/v1/onboardings/ob-1`, { method: 'DELETE' });

    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await unknown.json()).toEqual({
      type: problemTypeUri('unknown-path', system.apiUrl),
      title: 'Not found',
      status: 404,
      detail: 'No operation at /v2/nothing',
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect(await wrongMethod.json()).toMatchObject({
      type: problemTypeUri('method-not-allowed', system.apiUrl),
      title: 'Method not allowed',
      status: 405,
    });
    expect(events).toHaveLength(0);
  });

  it('answers 503 with Retry-After while the system is starting, typed under its own address', async () => {
    const starting = createApiServer(() => null);
    const url = urlOf(await listen(starting, 0));
    try {
      const response = await fetch(`${url}/v1/onboardings/ob-1`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({
        type: problemTypeUri('service-unavailable', url),
        title: 'Service unavailable',
        status: 503,
      });
    } finally {
      await close(starting);
    }
  });

  it('answers 413 for a body over 10 MB without calling the handler', async () => {
    const response = await fetch(`${system.apiUrl}/v1/onboardings/ob-1/documents`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 'a'),
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      type: problemTypeUri('payload-too-large', system.apiUrl),
      title: 'Payload too large',
      status: 413,
    });
    expect(events).toHaveLength(0);
  });

  it("answers 413 when the event exceeds Lambda's 6 MB, as a 5 MB binary body does once base64-encoded", async () => {
    const response = await fetch(`${system.apiUrl}/v1/onboardings/ob-1/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.alloc(5 * 1024 * 1024, 0xff),
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ type: problemTypeUri('payload-too-large', system.apiUrl) });
    expect(events).toHaveLength(0);
  });

  it('refuses an IAM route without a SigV4 signature and names the signer when present', async () => {
    const url = new URL(`${system.apiUrl}/admin/holidays`);
    const unsigned = await fetch(url, { method: 'POST', body: '{}' });
    const signed = await fetch(url, {
      method: 'POST',
      body: '{}',
      headers: await signLocalRequest(url, { method: 'POST', body: '{}' }),
    });

    expect(unsigned.status).toBe(403);
    expect(signed.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]?.requestContext.identity).toMatchObject({
      accessKey: LOCAL_CREDENTIALS.accessKeyId,
      accountId: '000000000000',
    });
  });

  it('verifies the SigV4 signature: a wrong secret, another body, an unknown key or an old date get 403', async () => {
    const url = new URL(`${system.apiUrl}/admin/holidays`);
    const send = async (headers: Record<string, string>, body = '{}') =>
      fetch(url, { method: 'POST', body, headers });
    const wrongSecret = await send(
      await signLocalRequest(
        url,
        { method: 'POST', body: '{}' },
        { accessKeyId: 'local', secretAccessKey: 'x' },
      ),
    );
    const otherBody = await send(await signLocalRequest(url, { method: 'POST', body: '{}' }), '{"a":1}');
    const unknownKey = await send(
      await signLocalRequest(
        url,
        { method: 'POST', body: '{}' },
        { accessKeyId: 'AKIDOTHER', secretAccessKey: 'local' },
      ),
    );
    const old = await send(
      await signLocalRequest(
        url,
        { method: 'POST', body: '{}' },
        undefined,
        new Date(Date.now() - 3_600_000),
      ),
    );
    const shapeOnly = await rawRequest('POST', '/admin/holidays', {
      authorization: `AWS4-HMAC-SHA256 Credential=local/20261125/ap-south-1/execute-api/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    });

    expect(wrongSecret.status).toBe(403);
    expect(wrongSecret.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(otherBody.status).toBe(403);
    expect(unknownKey.status).toBe(403);
    expect(unknownKey.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    expect(old.status).toBe(403);
    expect(shapeOnly.status).toBe(403);
    expect(events).toHaveLength(0);
  });
});

describe('a STREAM integration', () => {
  it('sends the prelude as status and headers, then the body as the function writes it', async () => {
    const response = await fetch(`${system.apiUrl}/stream`);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(response.headers.get('x-streamed')).toBe('yes');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value ?? []).toString()).toBe('<first/>');
    releaseSecondChunk();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += Buffer.from(chunk.value).toString();
    }
    expect(rest).toBe('<second/>');
  });

  it('answers 502 when the function fails before its prelude, or is not a streaming handler', async () => {
    for (const path of ['/stream-crash', '/stream-buffered']) {
      const response = await fetch(`${system.apiUrl}${path}`);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
    }
  });
});
