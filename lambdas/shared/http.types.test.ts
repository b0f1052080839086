import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import * as z from '../core/zod';
import {
  type ApiHandler,
  type Authenticator,
  type HttpResult,
  httpHandler,
  json,
  type MediaType,
} from './http';

/**
 * Type tests (checked by `npm run typecheck`; they cost nothing at run time): the handler function of
 * `httpHandler` receives the types its schemas and authenticator produce, and nothing looser.
 */
const department: Authenticator<{ departmentId: string }> = {
  authenticate: async () => ({ departmentId: 'd-1' }),
};

describe('httpHandler input types', () => {
  it('types body, query, path, headers and caller from the route’s schemas and authenticator', () => {
    const handler = httpHandler(
      {
        body: z.object({ counts: z.array(z.object({ count: z.int() })) }),
        query: z.object({ limit: z.optional(z.coerce.number()) }),
        path: z.object({ onboardingId: z.uuid() }),
        headers: z.object({ 'idempotency-key': z.optional(z.string()) }),
        auth: department,
      },
      async (input) => {
        expectTypeOf(input.body).toEqualTypeOf<{ counts: { count: number }[] }>();
        expectTypeOf(input.query).toEqualTypeOf<{ limit?: number | undefined }>();
        expectTypeOf(input.path).toEqualTypeOf<{ onboardingId: string }>();
        expectTypeOf(input.headers).toEqualTypeOf<{ 'idempotency-key'?: string | undefined }>();
        expectTypeOf(input.caller).toEqualTypeOf<{ departmentId: string }>();
        expectTypeOf(input.mediaType).toEqualTypeOf<MediaType | undefined>();
        expectTypeOf(input.rawBody).toBeString();
        expectTypeOf(input.event).toEqualTypeOf<APIGatewayProxyEvent>();
        return json(200, {});
      },
    );
    expectTypeOf(handler).toEqualTypeOf<ApiHandler>();
    expectTypeOf<ReturnType<ApiHandler>>().toEqualTypeOf<Promise<HttpResult>>();
  });

  it('gives no body and no caller to a route without body schema or authenticator', () => {
    httpHandler({}, async (input) => {
      expectTypeOf(input.body).toBeUndefined();
      expectTypeOf(input.caller).toBeUndefined();
      expectTypeOf(input.query).toEqualTypeOf<Record<string, string | undefined>>();
      return json(200, {});
    });
  });

  it('gives a route that also serves GET its body or undefined (GET and HEAD carry none)', () => {
    httpHandler(
      { body: z.object({ decision: z.string() }), bodyType: 'form', servesGet: true },
      async (input) => {
        expectTypeOf(input.body).toEqualTypeOf<{ decision: string } | undefined>();
        return json(200, {});
      },
    );
  });

  it('takes an error answer chosen by the route: problem+json, or HTML pages with the route’s renderer', () => {
    httpHandler({ errors: { as: 'problem' } }, async () => json(200, {}));
    httpHandler({ errors: { as: 'html' } }, async () => json(200, {}));
    httpHandler(
      { errors: { as: 'html', page: (error, request) => `<p>${error.status} ${request.event.path}</p>` } },
      async () => json(200, {}),
    );
    // @ts-expect-error an HTML page renders a string, not a response
    httpHandler({ errors: { as: 'html', page: () => json(500, {}) } }, async () => json(200, {}));
    // @ts-expect-error only 'problem' and 'html' exist
    httpHandler({ errors: { as: 'xml' } }, async () => json(200, {}));
  });

  it('refuses a handler that answers anything but an HttpResult', () => {
    // @ts-expect-error a plain object is not an HttpResult (headers and body are required strings)
    httpHandler({}, async () => ({ statusCode: 200 }));
  });
});
