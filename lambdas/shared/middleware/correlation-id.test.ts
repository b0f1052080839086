import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../../../test/support/api-event';
import { empty } from '../http-responses';
import { logger } from '../observability';
import { correlationId } from './correlation-id';

describe('correlationId', () => {
  it("uses API Gateway's request id, so a client's report can be found in the logs", async () => {
    const set = vi.spyOn(logger, 'setCorrelationId');
    const handler = middy(async () => empty()).use(correlationId());
    await handler(apiEvent({ requestId: 'req-42' }), lambdaContext());
    expect(set).toHaveBeenLastCalledWith('req-42');
    set.mockRestore();
  });
});
