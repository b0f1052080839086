import { describe, expect, it } from 'vitest';
import { handler } from '../../lambdas/health/handler';
import { apiEvent, lambdaContext } from '../support/api-event';

describe('GET /health', () => {
  it('answers 200 ok with the service name, without any AWS dependency', async () => {
    const response = await handler(apiEvent({ path: '/health' }), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok', service: expect.any(String) });
    expect(response.headers['Cache-Control']).toBe('no-store');
  });
});
