import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from '../../lambdas/core/zod';
import { departmentApiKey } from '../../lambdas/departments/api-key-auth';
import type { Department } from '../../lambdas/departments/department';
import {
  ConflictError,
  GoneError,
  ServiceUnavailableError,
  TooManyRequestsError,
  ValidationError,
} from '../../lambdas/shared/errors';
import { html, httpHandler, json, xml } from '../../lambdas/shared/http';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { apiEvent, lambdaContext } from '../support/api-event';

const VALID_KEY = `etd_${'A'.repeat(43)}`;
const department: Department = {
  departmentId: 'd-1',
  code: 'REV',
  name: 'Revenue',
  createdAt: '2026-01-01T00:00:00Z',
};

vi.mock('../../lambdas/departments/repository', () => ({
  authenticate: vi.fn(async (key: string) => (key === VALID_KEY ? department : undefined)),
}));

// Failed keys are counted in DynamoDB (test/abuse/guessing.test.ts); here the chain runs without it.
vi.mock('../../lambdas/shared/guessing-limit', () => ({ guessingLimit: () => ({ before: () => {} }) }));

const serviceSchema = z.object({
  name: z.string().check(z.minLength(1)),
  category: z.enum(['G2C', 'G2B', 'B2C', 'G2G']),
});
const onboardingSchema = z.object({
  services: z.array(serviceSchema).check(z.minLength(1)),
  nodalOfficer: z.object({ email: z.email() }),
});

const validBody = {
  services: [{ name: 'Birth certificate', category: 'G2C' }],
  nodalOfficer: { email: 'a@b.in' },
};

const submit = httpHandler(
  { body: onboardingSchema, auth: departmentApiKey },
  async ({ body, caller: department }) =>
    json(201, { departmentId: department.departmentId, services: body.services.length }),
);

const post = (body: string | null, headers: Record<string, string> = {}) =>
  submit(
    apiEvent({
      method: 'POST',
      path: '/v1/onboardings',
      body,
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': VALID_KEY, ...headers },
    }),
    lambdaContext(),
  );

const problemOf = (response: { headers: Record<string, string>; body: string }) => {
  expect(response.headers['Content-Type']).toBe('application/problem+json; charset=utf-8');
  return JSON.parse(response.body);
};

/** Everything the logger writes, stdout and stderr. */
let stdout: string[];
beforeEach(() => {
  stdout = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => vi.restoreAllMocks());

describe('httpHandler: success path', () => {
  it('hands the handler the validated body and the department from the API key', async () => {
    const response = await post(JSON.stringify(validBody));

    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ departmentId: 'd-1', services: 1 });
    expect(response.headers['Content-Type']).toBe('application/json; charset=utf-8');
  });

  it('adds security headers to every response', async () => {
    const response = await post(JSON.stringify(validBody));

    expect(response.headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
    });
    expect(response.headers['Strict-Transport-Security']).toMatch(/max-age=\d+/);
  });

  it('accepts a +json media type with a charset and a base64-encoded body', async () => {
    const encoded = await submit(
      apiEvent({
        method: 'POST',
        path: '/v1/onboardings',
        body: Buffer.from(JSON.stringify(validBody)).toString('base64'),
        isBase64Encoded: true,
        headers: { 'content-type': 'application/vnd.etaal+json; charset=UTF-8', 'x-api-key': VALID_KEY },
      }),
      lambdaContext(),
    );
    expect(encoded.statusCode).toBe(201);
  });

  it('answers HEAD like GET without a body', async () => {
    const get = httpHandler({}, async () => json(200, { status: 'ok' }, { ETag: '"1"' }));

    const response = await get(apiEvent({ method: 'HEAD', path: '/health' }), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers.ETag).toBe('"1"');
  });

  it('returns HTML and XML with their content types and keeps a handler-set Content-Security-Policy', async () => {
    const page = httpHandler({}, async () =>
      html(200, '<p>Approved</p>', { 'Content-Security-Policy': "default-src 'self'" }),
    );
    const soap = httpHandler({}, async () =>
      xml(200, '<ok/>', { 'Content-Type': 'text/xml; charset=utf-8' }),
    );

    const pageResponse = await page(apiEvent(), lambdaContext());
    const soapResponse = await soap(apiEvent(), lambdaContext());

    expect(pageResponse.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(pageResponse.headers['Content-Security-Policy']).toBe("default-src 'self'");
    expect(soapResponse.headers['Content-Type']).toBe('text/xml; charset=utf-8');
    expect(soapResponse.body).toBe('<ok/>');
  });

  it('parses form bodies, repeated fields as arrays, without touching prototypes', async () => {
    const form = httpHandler(
      {
        body: z.object({ decision: z.enum(['approve', 'return']), comment: z.optional(z.array(z.string())) }),
        bodyType: 'form',
      },
      async ({ body }) => json(200, body),
    );

    const response = await form(
      apiEvent({
        method: 'POST',
        body: 'decision=approve&comment=a&comment=b&__proto__=x',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      lambdaContext(),
    );

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ decision: 'approve', comment: ['a', 'b'] });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('converts CSV through the handler’s converter and validates it with the same schema', async () => {
    const counts = httpHandler(
      {
        body: z.object({ rows: z.array(z.object({ code: z.string().check(z.minLength(1)) })) }),
        bodyType: 'json-or-csv',
        csv: (text) => ({
          rows: text
            .trim()
            .split('\n')
            .slice(1)
            .map((code) => ({ code })),
        }),
      },
      async ({ body, mediaType }) => json(200, { mediaType, rows: body.rows.length }),
    );
    const send = (body: string, contentType: string) =>
      counts(apiEvent({ method: 'POST', body, headers: { 'Content-Type': contentType } }), lambdaContext());

    expect(JSON.parse((await send('code\nA\nB\n', 'text/csv')).body)).toEqual({ mediaType: 'csv', rows: 2 });
    expect(JSON.parse((await send('{"rows":[]}', 'application/json')).body)).toEqual({
      mediaType: 'json',
      rows: 0,
    });
    expect((await send('<rows/>', 'application/xml')).statusCode).toBe(415);
  });
});

describe('httpHandler: problems', () => {
  it('answers malformed JSON with a 400 problem naming the request path', async () => {
    const response = await post('{"services": [');

    expect(response.statusCode).toBe(400);
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(problemOf(response)).toEqual({
      type: problemTypeUri('malformed-json'),
      title: 'Bad request',
      status: 400,
      detail: 'The request body is not valid JSON.',
      instance: '/v1/onboardings',
    });
  });

  it('answers a missing body with 400 and a wrong media type with 415', async () => {
    const missing = await post(null);
    const wrongType = await post(JSON.stringify(validBody), { 'Content-Type': 'text/plain' });
    const noType = await submit(
      apiEvent({ method: 'POST', body: JSON.stringify(validBody), headers: { 'x-api-key': VALID_KEY } }),
      lambdaContext(),
    );

    expect(missing.statusCode).toBe(400);
    expect(problemOf(missing).type).toBe(problemTypeUri('missing-body'));
    expect(wrongType.statusCode).toBe(415);
    expect(problemOf(wrongType).detail).toContain('application/json');
    expect(noType.statusCode).toBe(415);
  });

  it('answers an oversized body with 413 before parsing it', async () => {
    const small = httpHandler({ body: z.unknown(), maxBodyBytes: 10 }, async () => json(200, {}));

    const response = await small(
      apiEvent({
        method: 'POST',
        body: '"more than ten bytes"',
        headers: { 'content-type': 'application/json' },
      }),
      lambdaContext(),
    );

    expect(response.statusCode).toBe(413);
    expect(problemOf(response).status).toBe(413);
  });

  it('lists every invalid field with a dotted path in a 422 problem', async () => {
    const response = await post(
      JSON.stringify({ services: [validBody.services[0], { name: '', category: 'X2Y' }], nodalOfficer: {} }),
    );

    expect(response.statusCode).toBe(422);
    const body = problemOf(response);
    expect(body.type).toBe(problemTypeUri('validation-error'));
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'nodalOfficer.email',
      'services[1].category',
      'services[1].name',
    ]);
    expect(body.errors.find((e: { field: string }) => e.field === 'nodalOfficer.email').message).toBe(
      'Required',
    );
  });

  it('validates query parameters (422) and answers an impossible path parameter with 404', async () => {
    const get = httpHandler(
      {
        query: z.object({
          limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
        }),
        path: z.object({ onboardingId: z.uuid() }),
      },
      async ({ query, path }) => json(200, { limit: query.limit, id: path.onboardingId }),
    );
    const id = '5b0c1b4e-8f7a-4f59-9a57-0d7b8a6e2c11';

    const ok = await get(apiEvent({ pathParameters: { onboardingId: id } }), lambdaContext());
    const badQuery = await get(
      apiEvent({ pathParameters: { onboardingId: id }, query: { limit: '0' } }),
      lambdaContext(),
    );
    const badPath = await get(
      apiEvent({ path: '/v1/onboardings/nope', pathParameters: { onboardingId: 'nope' } }),
      lambdaContext(),
    );

    expect(JSON.parse(ok.body)).toEqual({ limit: 20, id });
    expect(badQuery.statusCode).toBe(422);
    expect(problemOf(badQuery).errors[0].field).toBe('limit');
    expect(badPath.statusCode).toBe(404);
    expect(problemOf(badPath).instance).toBe('/v1/onboardings/nope');
  });

  it('rejects a missing or unknown API key with 401 before looking at the body', async () => {
    const missing = await submit(
      apiEvent({ method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }),
      lambdaContext(),
    );
    const unknown = await post('{', { 'X-Api-Key': `etd_${'B'.repeat(43)}` });

    expect(missing.statusCode).toBe(401);
    expect(problemOf(missing).type).toBe(problemTypeUri('missing-api-key'));
    expect(missing.headers['WWW-Authenticate']).toBeDefined();
    expect(unknown.statusCode).toBe(401);
    expect(problemOf(unknown).type).toBe(problemTypeUri('invalid-api-key'));
  });

  it.each([
    [new ConflictError('Already submitted'), 409, {}],
    [new GoneError('This link has expired'), 410, {}],
    [new ServiceUnavailableError('e-Taal is down', 120), 503, { 'Retry-After': '120' }],
    [new TooManyRequestsError('Slow down', 1.5), 429, { 'Retry-After': '2' }],
    [ValidationError.forField('services[0].code', 'Unknown service code'), 422, {}],
  ])('maps a thrown %s to its problem', async (error, status, headers) => {
    const failing = httpHandler({}, async () => {
      throw error;
    });

    const response = await failing(apiEvent({ path: '/x' }), lambdaContext());

    expect(response.statusCode).toBe(status);
    expect(response.headers).toMatchObject(headers);
    expect(problemOf(response)).toMatchObject({
      status,
      detail: error.detail,
      instance: '/x',
      type: error.type,
    });
  });

  it('hides unexpected errors behind a generic 500 that quotes the request id, and logs the stack', async () => {
    const failing = httpHandler({}, async () => {
      throw new Error('connection string postgres://secret@db');
    });

    const response = await failing(apiEvent({ path: '/x', requestId: 'req-42' }), lambdaContext());

    expect(response.statusCode).toBe(500);
    const body = problemOf(response);
    expect(body).toMatchObject({ status: 500, requestId: 'req-42', instance: '/x' });
    expect(body.detail).toContain('req-42');
    expect(response.body).not.toContain('secret');
    const logged = stdout.join('');
    expect(logged).toContain('Unhandled error');
    expect(logged).toContain('"correlation_id":"req-42"');
    expect(logged).toMatch(/at .*http\.test\.ts/);
  });

  it('strips the body of a HEAD error response too', async () => {
    const response = await submit(apiEvent({ method: 'HEAD', path: '/v1/onboardings' }), lambdaContext());

    expect(response.statusCode).toBe(401);
    expect(response.body).toBe('');
  });

  it('never writes the API key to the logs', async () => {
    const logging = httpHandler({ auth: departmentApiKey }, async ({ event }) => {
      throw new Error(`boom with headers ${Object.keys(event.headers).length}`, { cause: event.headers });
    });

    await logging(apiEvent({ headers: { 'X-Api-Key': VALID_KEY, Cookie: 'session=abc' } }), lambdaContext());

    const logged = stdout.join('');
    expect(logged).toContain('Unhandled error');
    expect(logged).not.toContain(VALID_KEY);
    expect(logged).not.toContain('session=abc');
  });
});

describe('httpHandler: repeated invocations', () => {
  it('does not carry one call’s department or body into the next call with the same event object', async () => {
    const event = apiEvent({
      method: 'POST',
      path: '/v1/onboardings',
      body: JSON.stringify(validBody),
      headers: { 'content-type': 'application/json', 'x-api-key': VALID_KEY },
    });
    const open = httpHandler({}, async ({ caller: department, body }) => json(200, { department, body }));
    expect((await submit(event, lambdaContext())).statusCode).toBe(201);

    const second = await open(event, lambdaContext());

    expect(JSON.parse(second.body)).toEqual({});
  });
});

describe('httpHandler: a page and its form for people (errors as HTML)', () => {
  const pageAndForm = httpHandler(
    {
      body: z.object({ decision: z.enum(['yes', 'no']), comment: z.optional(z.string()) }),
      bodyType: 'form',
      servesGet: true,
      maxBodyBytes: 64,
      errors: { as: 'html', page: (error) => `<h1>${error.title}</h1><p>${error.detail}</p>` },
    },
    async ({ body }) => html(200, body ? `decided ${body.decision}` : '<form method="post">'),
  );
  const send = (method: string, body: string | null, headers: Record<string, string> = {}) =>
    pageAndForm(
      apiEvent({
        method,
        path: '/page',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
      lambdaContext(),
    );

  it('shows the page on GET and HEAD without reading a body, and takes the form on POST', async () => {
    expect((await send('GET', null)).body).toBe('<form method="post">');
    expect((await send('HEAD', null)).statusCode).toBe(200);
    expect((await send('POST', 'decision=yes')).body).toBe('decided yes');
  });

  it('answers an empty form 400 naming the missing field, an oversized one 413, a JSON body 415: as pages', async () => {
    const empty = await send('POST', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(empty.body).toContain('decision');
    const large = await send('POST', `decision=yes&comment=${'x'.repeat(100)}`);
    expect(large.statusCode).toBe(413);
    expect(large.headers['Content-Type']).toMatch(/^text\/html/);
    const wrongType = await send('POST', '{"decision":"yes"}', { 'content-type': 'application/json' });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.body).toContain('Unsupported media type');
  });

  it('names a bad field 422 on a page, and gives a program asking for JSON the problem', async () => {
    const bad = await send('POST', 'decision=maybe');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('decision');
    const program = await send('POST', '', { accept: 'application/json' });
    expect(problemOf(program)).toMatchObject({
      status: 400,
      type: problemTypeUri('missing-body'),
      errors: [{ field: 'decision', message: expect.any(String) }],
    });
  });
});
