import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FORM_BYTES, MAX_SOAP_BYTES, parseConnectorRequest } from '../../lambdas/connector/request';
import { ROUTES } from '../../lambdas/functions';
import {
  integerGreaterThanPattern,
  MAX_BODY_BYTES_BY_BUDGET,
  METHOD_THROTTLES,
  perIpLimitFor,
  routeBudget,
  STAGE_THROTTLE,
} from '../../lib/edge-limits';
import { PerIpLimiter } from '../../local/edge-limiter';

describe('edge limit values (lib/edge-limits.ts)', () => {
  it('matches exactly the Content-Length values above the limit (WAF compares text, not numbers)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), fc.nat({ max: 10 ** 10 }), (limit, length) => {
        const pattern = new RegExp(integerGreaterThanPattern(limit));
        expect(pattern.test(String(length))).toBe(length > limit);
      }),
      { numRuns: 2000 },
    );
    expect(new RegExp(integerGreaterThanPattern(262144)).test('262145')).toBe(true);
    expect(new RegExp(integerGreaterThanPattern(262144)).test('262144')).toBe(false);
  });

  it('gives every route a budget; the department API the largest share, none above the stage', () => {
    const budgets = new Set(ROUTES.map(routeBudget));
    expect(budgets).toEqual(new Set(['departmentApi', 'approvals', 'connector', 'public', 'admin']));
    for (const budget of budgets) {
      expect(METHOD_THROTTLES[budget].rateLimit).toBeLessThanOrEqual(STAGE_THROTTLE.rateLimit);
      expect(METHOD_THROTTLES[budget].rateLimit).toBeLessThanOrEqual(
        METHOD_THROTTLES.departmentApi.rateLimit,
      );
    }
    expect(perIpLimitFor('connector').limit).toBeLessThan(perIpLimitFor('approvals').limit);
  });

  it('the local limiter counts per address and rule, and opens a new window after it', () => {
    let now = 0;
    const limiter = new PerIpLimiter(() => now);
    const connector = { path: '/etaal/e-transaction-count', auth: 'none' } as const;
    const limit = perIpLimitFor('connector').limit;
    for (let i = 0; i < limit; i++) expect(limiter.take('10.0.0.1', connector)).toBeNull();
    expect(limiter.take('10.0.0.1', connector)).toEqual({ retryAfterSeconds: 60 });
    expect(limiter.take('10.0.0.2', connector)).toBeNull();
    expect(limiter.take('10.0.0.1', { path: '/health', auth: 'none' })).toBeNull();
    now = 59_500;
    expect(limiter.take('10.0.0.1', connector)).toEqual({ retryAfterSeconds: 1 });
    now = 60_000;
    expect(limiter.take('10.0.0.1', connector)).toBeNull();
  });
});

describe("the edge's body limits follow the handlers'", () => {
  const refusedAtEdge = (bytes: number) =>
    new RegExp(integerGreaterThanPattern(MAX_BODY_BYTES_BY_BUDGET.connector)).test(String(bytes));
  const handlerAnswer = (contentType: string, bytes: number) =>
    parseConnectorRequest(
      {
        httpMethod: 'POST',
        headers: { 'content-type': contentType },
        queryStringParameters: null,
        body: 'x'.repeat(bytes),
        isBase64Encoded: false,
      } as never,
      { urlCredentials: false },
    );

  it.each([
    ['a SOAP envelope', 'text/xml; charset=utf-8', MAX_SOAP_BYTES],
    ['a form', 'application/x-www-form-urlencoded', MAX_FORM_BYTES],
  ])("lets through %s as large as the connector's handler takes (%s, %i bytes)", (_, type, limit) => {
    expect(handlerAnswer(type, limit)).not.toMatchObject({ kind: 'refused', status: 413 });
    expect(refusedAtEdge(limit)).toBe(false);
    expect(handlerAnswer(type, limit + 1)).toMatchObject({ kind: 'refused', status: 413 });
  });
});
