import middy from '@middy/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { ConflictError, ValidationError } from '../errors';
import { type HttpResult, xml } from '../http-responses';
import { problemTypeUri } from '../problem-types';
import { problemErrors } from './problem-errors';

const failingWith = (error: unknown) =>
  middy(async (): Promise<HttpResult> => {
    throw error;
  });

describe('problemErrors', () => {
  beforeAll(() => {
    for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockReturnValue(true);
  });
  afterAll(() => vi.restoreAllMocks());

  it('answers an HttpError as its RFC 9457 problem, with the request path as instance', async () => {
    const handler = failingWith(ValidationError.forField('limit', 'Too big')).use(problemErrors());
    const response = await handler(apiEvent({ path: '/v1/things' }), lambdaContext());
    expect(response.statusCode).toBe(422);
    expect(response.headers['Content-Type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual({
      type: problemTypeUri('validation-error'),
      title: 'Invalid request content',
      status: 422,
      detail: 'limit: Too big',
      instance: '/v1/things',
      errors: [{ field: 'limit', message: 'Too big' }],
    });
  });

  it('answers a failed dependency with 503 dependency-unavailable and Retry-After, never a 500', async () => {
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const response = await failingWith(timeout).use(problemErrors())(apiEvent(), lambdaContext());
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers['Retry-After'])).toBeGreaterThan(0);
    expect(JSON.parse(response.body).type).toBe(problemTypeUri('dependency-unavailable'));
  });

  it('answers a bug with a 500 that carries the request id and nothing of the error', async () => {
    const bug = new Error('secret table name in a stack');
    const response = await failingWith(bug).use(problemErrors())(
      apiEvent({ requestId: 'r-7' }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(500);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ type: problemTypeUri('internal-error'), status: 500, requestId: 'r-7' });
    expect(response.body).not.toContain('secret');
  });

  it('renders known errors with the route’s renderer (the connector answers XML)', async () => {
    const handler = failingWith(new ConflictError('no')).use(
      problemErrors((error) => xml(error.status, `<Error>${error.detail}</Error>`)),
    );
    const response = await handler(apiEvent(), lambdaContext());
    expect(response).toMatchObject({ statusCode: 409, body: '<Error>no</Error>' });
  });
});
