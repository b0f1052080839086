import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { json } from '../http-responses';
import { freshRequestState, parsedRequest } from './request-state';

describe('request state', () => {
  it('is per event, and starts empty on every invocation even for the same event object', async () => {
    const seen: unknown[] = [];
    const handler = middy(async (event: Parameters<typeof parsedRequest>[0]) => {
      seen.push({ ...parsedRequest(event) });
      parsedRequest(event).body = 'left over';
      return json(200, {});
    }).use(freshRequestState());
    const event = apiEvent();
    await handler(event, lambdaContext());
    await handler(event, lambdaContext());
    expect(seen).toEqual([{}, {}]);
    expect(parsedRequest(apiEvent())).toEqual({});
  });
});
