import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { NotFoundError } from '../errors';
import { type HttpResult, html } from '../http-responses';
import { headWithoutBody } from './head-without-body';
import { problemErrors } from './problem-errors';

describe('headWithoutBody', () => {
  const page = middy(async () => html(200, '<p>page</p>', { 'X-Page': '1' })).use(headWithoutBody());

  it('answers HEAD like GET, minus the body', async () => {
    const get = await page(apiEvent({ method: 'GET' }), lambdaContext());
    const head = await page(apiEvent({ method: 'HEAD' }), lambdaContext());
    expect(get.body).toBe('<p>page</p>');
    expect(head).toEqual({ ...get, body: '' });
  });

  it('strips the body of an error answer to HEAD', async () => {
    const missing = middy(async (): Promise<HttpResult> => {
      throw new NotFoundError('gone');
    })
      .use(headWithoutBody())
      .use(problemErrors());
    const head = await missing(apiEvent({ method: 'HEAD' }), lambdaContext());
    expect(head.statusCode).toBe(404);
    expect(head.body).toBe('');
  });
});
