import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { UnauthorizedError } from '../errors';
import { json } from '../http-responses';
import { type Authenticator, authentication } from './authentication';
import { problemErrors } from './problem-errors';
import { parsedRequest } from './request-state';

const byHeader: Authenticator<{ who: string }> = {
  authenticate: async (event) => {
    const who = event.headers['x-who'];
    if (!who) throw new UnauthorizedError('Say who you are.', { problemType: 'missing-api-key' });
    return { who };
  },
};

const handler = middy(async (event: APIGatewayProxyEvent) => json(200, parsedRequest(event).caller))
  .use(problemErrors())
  .use(authentication(byHeader));

describe('authentication', () => {
  it("hands the authenticator's answer to the handler as the caller", async () => {
    const response = await handler(apiEvent({ headers: { 'x-who': 'revenue' } }), lambdaContext());
    expect(JSON.parse(response.body)).toEqual({ who: 'revenue' });
  });

  it('refuses the request with the problem the authenticator throws, before the handler runs', async () => {
    const response = await handler(apiEvent(), lambdaContext());
    expect(response.statusCode).toBe(401);
    expect(response.headers['WWW-Authenticate']).toBe('ApiKey header="x-api-key"');
    expect(JSON.parse(response.body).type).toMatch(/\/docs\/problems\/missing-api-key$/);
  });
});
