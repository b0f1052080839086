import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import * as z from '../../core/zod';
import { HttpError } from '../errors';
import { json } from '../http-responses';
import { parsedRequest } from './request-state';
import { type RequestSchemas, requiredFields, validation } from './validation';

const schemas: RequestSchemas = {
  path: z.object({ id: z.uuid() }),
  headers: z.looseObject({ 'idempotency-key': z.optional(z.string().check(z.maxLength(8))) }),
  query: z.object({ limit: z.optional(z.coerce.number().check(z.int(), z.maximum(10))) }),
  body: z.object({ name: z.string().check(z.minLength(1)) }),
};
const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

async function validate(options: {
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}) {
  const handler = middy(async (event: APIGatewayProxyEvent) => json(200, parsedRequest(event)))
    .before(({ event }) => {
      parsedRequest(event).body = options.body;
    })
    .use(validation(schemas));
  try {
    const event = apiEvent({
      method: 'POST',
      pathParameters: options.pathParameters ?? { id: ID },
      headers: options.headers,
      query: options.query,
    });
    return JSON.parse((await handler(event, lambdaContext())).body);
  } catch (error) {
    return error;
  }
}

describe('validation', () => {
  it('hands the parsed values to the handler (coerced query, checked path and headers)', async () => {
    expect(
      await validate({ query: { limit: '5' }, headers: { 'idempotency-key': 'k1' }, body: { name: 'x' } }),
    ).toMatchObject({
      path: { id: ID },
      query: { limit: 5 },
      headers: { 'idempotency-key': 'k1' },
      body: { name: 'x' },
    });
  });

  it('answers a bad path 404 (no such resource), bad headers 400, and names every bad field of query and body at once (422)', async () => {
    expect((await validate({ pathParameters: { id: 'nope' }, body: {} })).status).toBe(404);
    const headers = await validate({ headers: { 'idempotency-key': 'much too long' }, body: { name: 'x' } });
    expect(headers).toMatchObject({ status: 400, errors: [{ field: '["idempotency-key"]' }] });
    const fields = await validate({ query: { limit: '50' }, body: {} });
    expect(fields.status).toBe(422);
    expect(fields.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'name']);
    expect(fields.errors.find((e: { field: string }) => e.field === 'name').message).toBe('Required');
  });

  it('never fails with anything but a 400, 404 or 422, whatever the input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 3 }),
        fc.anything(),
        fc.oneof(fc.constant(ID), fc.string()),
        async (headers, query, body, id) => {
          const outcome = await validate({ headers, query, body, pathParameters: { id } });
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(HttpError);
            expect([400, 404, 422]).toContain((outcome as HttpError).status);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('validation of a route that also serves GET', () => {
  const page = (method: string) =>
    middy(async (event: APIGatewayProxyEvent) => json(200, parsedRequest(event))).use(
      validation({ body: z.object({ decision: z.string() }), servesGet: true }),
    )(apiEvent({ method }), lambdaContext());

  it('validates no body on GET and HEAD, and still refuses a POST without one', async () => {
    expect((await page('GET')).statusCode).toBe(200);
    expect((await page('HEAD')).statusCode).toBe(200);
    await expect(page('POST')).rejects.toMatchObject({
      status: 422,
      errors: [{ field: '', message: 'Required' }],
    });
  });
});

describe('requiredFields', () => {
  it("names the fields an empty body lacks, with the schema's own message where it has one", async () => {
    const form = z.object({
      nonce: z.optional(z.string()),
      decision: z.enum(['approve', 'reject'], { error: 'Choose a decision.' }),
      comment: z.string(),
      note: z._default(z.string(), ''),
    });
    expect(await requiredFields(form)).toEqual([
      { field: 'decision', message: 'Choose a decision.' },
      { field: 'comment', message: 'Required' },
    ]);
    expect(await requiredFields(z.array(z.string()))).toEqual([]);
    expect(await requiredFields(z.object({ a: z.optional(z.string()) }))).toEqual([]);
    const checkedLater = z.object({ code: z.string().check(z.refine(async (code) => code.length > 0)) });
    expect(await requiredFields(checkedLater)).toEqual([{ field: 'code', message: 'Required' }]);
  });
});
