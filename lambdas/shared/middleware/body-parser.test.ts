import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { HttpError } from '../errors';
import { json } from '../http-responses';
import { type BodyParserOptions, bodyParser, mediaTypeOf, parseForm } from './body-parser';
import { parsedRequest } from './request-state';

/** Runs the parser alone: the parse state, or the error it threw. */
async function parse(options: BodyParserOptions, body: string | null, contentType?: string) {
  const handler = middy(async (event: APIGatewayProxyEvent) => json(200, parsedRequest(event))).use(
    bodyParser(options),
  );
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  try {
    return JSON.parse((await handler(apiEvent({ method: 'POST', headers, body }), lambdaContext())).body);
  } catch (error) {
    return error;
  }
}

const JSON_ONLY: BodyParserOptions = { bodyType: 'json', maxBodyBytes: 100 };

describe('bodyParser', () => {
  it('reads JSON, +json media types and forms; CSV through the route’s converter', async () => {
    expect(await parse(JSON_ONLY, '{"a":1}', 'application/json; charset=utf-8')).toMatchObject({
      body: { a: 1 },
      mediaType: 'json',
      rawBody: '{"a":1}',
    });
    expect((await parse(JSON_ONLY, '[1]', 'application/merge-patch+json')).body).toEqual([1]);
    const form = await parse(
      { bodyType: 'form', maxBodyBytes: 100 },
      'a=1&b=2&a=3',
      'application/x-www-form-urlencoded',
    );
    expect(form.body).toEqual({ a: ['1', '3'], b: '2' });
    const csv = await parse(
      { bodyType: 'json-or-csv', maxBodyBytes: 100, csv: (text) => text.split(',') },
      'x,y',
      'text/csv',
    );
    expect(csv).toMatchObject({ body: ['x', 'y'], mediaType: 'csv' });
  });

  it('refuses in order: too large (413), empty (400), wrong media type (415), bad syntax (400)', async () => {
    const statusOf = async (body: string | null, type?: string) =>
      ((await parse(JSON_ONLY, body, type)) as HttpError).status;
    expect(await statusOf('x'.repeat(101), 'text/plain')).toBe(413);
    expect(await statusOf(' ', 'text/plain')).toBe(400);
    expect(await statusOf('{}', 'text/plain')).toBe(415);
    expect(await statusOf('{}')).toBe(415);
    expect(await statusOf('{', 'application/json')).toBe(400);
    expect(((await parse(JSON_ONLY, '{', 'application/json')) as HttpError).type).toMatch(/malformed-json$/);
  });

  it('counts the limit in bytes of the decoded body', async () => {
    const base64 = { ...apiEvent({ method: 'POST', headers: { 'content-type': 'application/json' } }) };
    base64.body = Buffer.from(`"${'é'.repeat(50)}"`).toString('base64');
    base64.isBase64Encoded = true;
    const handler = middy(async (event: APIGatewayProxyEvent) => json(200, parsedRequest(event))).use(
      bodyParser(JSON_ONLY),
    );
    await expect(handler(base64, lambdaContext())).rejects.toMatchObject({ status: 413 });
  });

  it('never fails with anything but an HttpError (400/413/415), whatever the body and Content-Type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), { nil: null }),
        fc.option(
          fc.oneof(
            fc.constantFrom('application/json', 'text/csv', 'application/x-www-form-urlencoded'),
            fc.string(),
          ),
          { nil: undefined },
        ),
        fc.constantFrom<BodyParserOptions['bodyType']>('json', 'form', 'json-or-csv'),
        async (body, type, bodyType) => {
          const outcome = await parse(
            { bodyType, maxBodyBytes: 64, csv: (text) => text.split('\n') },
            body,
            type,
          );
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(HttpError);
            expect([400, 413, 415]).toContain((outcome as HttpError).status);
          } else {
            expect(outcome.rawBody).toBe(body ?? '');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('mediaTypeOf and parseForm', () => {
  it('ignore parameters and case, and know only the media types we read', () => {
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('json');
    expect(mediaTypeOf('text/csv;header=present')).toBe('csv');
    expect(mediaTypeOf('application/xml')).toBeUndefined();
    expect(mediaTypeOf(undefined)).toBeUndefined();
  });

  it('keep a __proto__ field an ordinary key', () => {
    const form = parseForm('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    expect(Object.entries(form)).toContainEqual(['__proto__', 'x']);
  });
});
