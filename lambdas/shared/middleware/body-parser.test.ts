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
async function parse(options: BodyParserOptions, body: string | null, contentType?: string, method = 'POST') {
  const handler = middy(async (event: APIGatewayProxyEvent) => json(200, parsedRequest(event))).use(
    bodyParser(options),
  );
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  try {
    return JSON.parse((await handler(apiEvent({ method, headers, body }), lambdaContext())).body);
  } catch (error) {
    return error;
  }
}

/** Runs the parser on a binary body as API Gateway sends it (base64), keeping the parsed bytes. */
async function parseBinary(options: BodyParserOptions, bytes: Uint8Array, contentType: string) {
  let state: ReturnType<typeof parsedRequest> | undefined;
  const handler = middy(async (event: APIGatewayProxyEvent) => {
    state = parsedRequest(event);
    return json(200, {});
  }).use(bodyParser(options));
  const event = apiEvent({
    method: 'POST',
    headers: { 'content-type': contentType },
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
  });
  try {
    await handler(event, lambdaContext());
    return state;
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

  it('reads nothing on GET and HEAD: a page and its form share one route', async () => {
    const form = { bodyType: 'form', maxBodyBytes: 10 } as const;
    expect(await parse(form, null, undefined, 'GET')).toEqual({});
    expect(await parse(form, 'x'.repeat(100), 'text/plain', 'HEAD')).toEqual({});
    expect((await parse(form, null, undefined, 'POST')) as HttpError).toMatchObject({ status: 400 });
  });

  it('names the fields the route requires when the body is empty (400 missing-body)', async () => {
    const requiredFields = [{ field: 'decision', message: 'Required' }];
    const empty = (await parse(
      { bodyType: 'form', maxBodyBytes: 100, requiredFields: async () => requiredFields },
      '',
      'application/x-www-form-urlencoded',
    )) as HttpError;
    expect(empty).toMatchObject({ status: 400, errors: requiredFields });
    expect(empty.type).toMatch(/\/missing-body$/);
    expect(empty.detail).toContain('decision');
  });

  it('reads an upload: multipart fields as text and files as bytes, or a raw PDF as `file`', async () => {
    const upload = { bodyType: 'upload', maxBodyBytes: 4096 } as const;
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xff, 0x00, 0x80]);
    const form = new FormData();
    form.set('nonce', 'n-1');
    form.set('file', new Blob([pdf], { type: 'application/pdf' }), 'signed.pdf');
    const request = new Request('http://local/', { method: 'POST', body: form });
    const multipart = await parseBinary(
      upload,
      new Uint8Array(await request.arrayBuffer()),
      request.headers.get('content-type') ?? '',
    );
    expect(multipart).toMatchObject({ mediaType: 'multipart', body: { nonce: 'n-1', file: pdf } });
    expect(await parseBinary(upload, pdf, 'application/pdf')).toMatchObject({
      mediaType: 'pdf',
      body: { file: pdf },
    });
    const broken = (await parseBinary(upload, pdf, 'multipart/form-data; boundary=x')) as HttpError;
    expect(broken.status).toBe(400);
    expect(((await parseBinary(upload, pdf, 'image/png')) as HttpError).status).toBe(415);
    const tooLarge = await parseBinary({ ...upload, maxBodyBytes: 6 }, pdf, 'application/pdf');
    expect((tooLarge as HttpError).status).toBe(413);
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
