import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../../test/support/api-event';
import * as z from '../core/zod';
import { departmentApiKey } from '../departments/api-key-auth';
import { httpHandler, json } from './http';
import { problemTypeSlugOf, problemTypeUri } from './problem-types';

const VALID_KEY = `etd_${'k'.repeat(43)}`;

vi.mock('../departments/repository', () => ({
  authenticate: async (key: string) =>
    key === VALID_KEY
      ? { departmentId: 'd-1', code: 'REV', name: 'Revenue', createdAt: '2026-01-01T00:00:00Z' }
      : undefined,
}));

// Failed keys are counted in DynamoDB (test/abuse/guessing.test.ts); here the chain runs without it.
vi.mock('./guessing-limit', () => ({ guessingLimit: () => ({ before: () => {} }) }));

const schema = z.object({
  services: z
    .array(
      z.object({ name: z.string().check(z.minLength(1), z.maxLength(50)), category: z.enum(['G2C', 'G2B']) }),
    )
    .check(z.minLength(1)),
  note: z.optional(z.string().check(z.maxLength(20))),
});

const handler = httpHandler(
  {
    body: schema,
    query: z.object({ dryRun: z.optional(z.enum(['true', 'false'])) }),
    auth: departmentApiKey,
    maxBodyBytes: 2048,
  },
  async ({ body }) => json(200, { services: body.services.length }),
);

const jsonLike = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify({ services: [v], note: v })),
  fc
    .record({
      services: fc.array(fc.record({ name: fc.string(), category: fc.constantFrom('G2C', 'G2B', 'X') })),
    })
    .map((v) => JSON.stringify(v)),
);
const body = fc.option(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), jsonLike), { nil: null });
const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/csv',
      'APPLICATION/JSON',
      'text/plain',
    ),
    fc.string(),
  ),
  { nil: undefined },
);
const headerName = fc.oneof(
  fc.constantFrom('x-api-key', 'X-API-KEY', 'content-type', 'Content-Type'),
  fc.string({ minLength: 1 }),
);
const extraHeaders = fc.dictionary(headerName, fc.string(), { maxKeys: 4 });
const apiKey = fc.option(fc.oneof(fc.constant(VALID_KEY), fc.string()), { nil: undefined });
const query = fc.option(fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 3 }), {
  nil: undefined,
});
const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE');

const anyRequest = fc.record({
  httpMethod: method,
  rawBody: body,
  type: contentType,
  key: apiKey,
  extra: extraHeaders,
  params: query,
  base64: fc.boolean(),
});
/** Authenticated JSON with a body close to the schema, so the success and 422 paths are exercised too. */
const nearlyValidRequest = fc.record({
  httpMethod: method,
  rawBody: fc
    .record({
      services: fc.array(
        fc.record({ name: fc.string({ maxLength: 60 }), category: fc.constantFrom('G2C', 'G2B', 'B2B') }),
        { maxLength: 3 },
      ),
      note: fc.option(fc.string({ maxLength: 25 }), { nil: undefined }),
    })
    .map((value) => JSON.stringify(value)),
  type: fc.constant('application/json'),
  key: fc.constant(VALID_KEY),
  extra: fc.constant({}),
  params: fc.option(fc.record({ dryRun: fc.constantFrom('true', 'false', 'maybe') }), { nil: undefined }),
  base64: fc.boolean(),
});

describe('httpHandler under random input', () => {
  // Logs are not under test here; keep the output readable.
  beforeAll(() => {
    for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockReturnValue(true);
  });
  afterAll(() => vi.restoreAllMocks());

  it('never answers 500 and always answers 4xx with a well-formed problem', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyRequest, nearlyValidRequest),
        async ({ httpMethod, rawBody, type, key, extra, params, base64 }) => {
          const headers: Record<string, string> = { ...extra };
          if (type !== undefined) headers['Content-Type'] = type;
          if (key !== undefined) headers['x-api-key'] = key;
          const event = apiEvent({
            method: httpMethod,
            path: '/v1/fuzz',
            headers,
            query: params,
            body: rawBody !== null && base64 ? Buffer.from(rawBody).toString('base64') : rawBody,
            isBase64Encoded: rawBody !== null && base64,
          });

          const response = await handler(event, lambdaContext());
          seen.add(response.statusCode);

          expect(response.statusCode).not.toBe(500);
          expect([200, 400, 401, 413, 415, 422]).toContain(response.statusCode);
          if (httpMethod === 'HEAD') {
            expect(response.body).toBe('');
            return;
          }
          if (response.statusCode >= 400) {
            expect(response.headers['Content-Type']).toBe('application/problem+json; charset=utf-8');
            const problem = JSON.parse(response.body);
            expect(problem).toMatchObject({ status: response.statusCode, instance: '/v1/fuzz' });
            expect(problem.type).toBe(problemTypeUri(problemTypeSlugOf(problem.type) ?? 'internal-error'));
            expect(problemTypeSlugOf(problem.type)).toBeDefined();
            expect(typeof problem.title).toBe('string');
            expect(typeof problem.detail).toBe('string');
            if (response.statusCode === 422) {
              expect(problem.errors.length).toBeGreaterThan(0);
              for (const error of problem.errors) {
                expect(typeof error.field).toBe('string');
                expect(error.message).toEqual(expect.any(String));
              }
            }
          }
        },
      ),
      { numRuns: 400 },
    );
    // The generators must reach every branch, success included, or the property proves little.
    expect([...seen].sort()).toEqual([200, 400, 401, 415, 422]);
  });
});
