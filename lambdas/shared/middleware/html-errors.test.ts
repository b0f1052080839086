import middy from '@middy/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../errors';
import type { HttpResult } from '../http-responses';
import { problemTypeUri } from '../problem-types';
import { asksForJsonOnly, htmlErrors } from './html-errors';
import { requestIdOf } from './problem-errors';

const failingWith = (error: unknown) =>
  middy(async (): Promise<HttpResult> => {
    throw error;
  });

describe('htmlErrors', () => {
  const written: string[] = [];
  beforeAll(() => {
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
  });
  afterAll(() => vi.restoreAllMocks());

  it('answers a known error with the page the route renders, its status and the page headers', async () => {
    const handler = failingWith(new NotFoundError('No such link.')).use(
      htmlErrors((error, request) => `<p>${error.status} ${error.detail} ${request.event.path}</p>`),
    );
    const response = await handler(apiEvent({ path: '/links/x' }), lambdaContext());
    expect(response).toMatchObject({ statusCode: 404, body: '<p>404 No such link. /links/x</p>' });
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.headers['Content-Security-Policy']).toContain("default-src 'none'");
  });

  it('renders the plain page by default, naming each bad field, escaped', async () => {
    const handler = failingWith(ValidationError.forField('decision', 'Choose <one>.')).use(htmlErrors());
    const response = await handler(apiEvent(), lambdaContext());
    expect(response.statusCode).toBe(422);
    expect(response.body).toMatch(/^<!doctype html>/);
    expect(response.body).toContain('<li>decision: Choose &lt;one&gt;.</li>');
  });

  it("keeps the error's own headers (Retry-After of a 503)", async () => {
    const handler = failingWith(new ServiceUnavailableError('Busy.', 30)).use(htmlErrors());
    const response = await handler(apiEvent(), lambdaContext());
    expect(response.statusCode).toBe(503);
    expect(response.headers['Retry-After']).toBe('30');
  });

  it('answers a bug with a 500 page carrying the request id and nothing of the error, and logs it', async () => {
    written.length = 0;
    const handler = failingWith(new Error('secret table name in a stack')).use(
      htmlErrors((error, request) => `<p>${error.title}: quote ${requestIdOf(request)}</p>`),
    );
    const response = await handler(apiEvent({ requestId: 'r-9' }), lambdaContext());
    expect(response).toMatchObject({ statusCode: 500, body: '<p>Internal server error: quote r-9</p>' });
    expect(response.headers['Content-Type']).toMatch(/^text\/html/);
    expect(response.body).not.toContain('secret');
    expect(written.join('')).toContain('secret table name in a stack');
  });

  it('gives the problem+json to a program that asks for JSON only; a browser gets the page', async () => {
    const handler = failingWith(new NotFoundError('No such link.')).use(htmlErrors(() => '<p>page</p>'));
    const program = await handler(
      apiEvent({ headers: { accept: 'application/problem+json' } }),
      lambdaContext(),
    );
    expect(program.headers['Content-Type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(program.body)).toMatchObject({ type: problemTypeUri('not-found'), status: 404 });
    const browser = await handler(
      apiEvent({ headers: { accept: 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8' } }),
      lambdaContext(),
    );
    expect(browser.body).toBe('<p>page</p>');
  });
});

describe('asksForJsonOnly', () => {
  it('is true for JSON media types without text/html, false without an Accept header', () => {
    const accepting = (accept?: string) => asksForJsonOnly({ headers: accept ? { accept } : {} });
    expect(accepting('application/json')).toBe(true);
    expect(accepting('Application/Problem+JSON')).toBe(true);
    expect(accepting('text/html, application/json')).toBe(false);
    expect(accepting('*/*')).toBe(false);
    expect(accepting()).toBe(false);
  });
});
