import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { type HttpResult, html, json } from '../http-responses';
import { problemErrors } from './problem-errors';
import { SECURITY_HEADERS, securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it('adds every security header to a response that has none', async () => {
    const handler = middy(async () => json(200, {})).use(securityHeaders());
    const response = await handler(apiEvent(), lambdaContext());
    expect(response.headers).toMatchObject(SECURITY_HEADERS);
  });

  it("keeps a handler's own value, whatever the case of its header name", async () => {
    const handler = middy(async () =>
      html(200, '<p>', { 'content-security-policy': "script-src 'self'" }),
    ).use(securityHeaders());
    const response = await handler(apiEvent(), lambdaContext());
    expect(response.headers['content-security-policy']).toBe("script-src 'self'");
    expect(response.headers['Content-Security-Policy']).toBeUndefined();
    expect(response.headers['X-Frame-Options']).toBe('DENY');
  });

  it('adds them to error responses too', async () => {
    const handler = middy(async (): Promise<HttpResult> => {
      throw new Error('boom');
    })
      .use(securityHeaders())
      .use(problemErrors());
    const response = await handler(apiEvent(), lambdaContext());
    expect(response.statusCode).toBe(500);
    expect(response.headers['Strict-Transport-Security']).toBe(SECURITY_HEADERS['Strict-Transport-Security']);
  });
});
