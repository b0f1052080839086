import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routeByResource } from '../../lambdas/shared/route-by-resource';

const event = (resource: string) => ({ resource }) as APIGatewayProxyEvent;
const context = {} as Context;

describe('routeByResource', () => {
  const handler = routeByResource('Reports', {
    '/admin/reports/totals': (e) => `totals for ${e.resource}`,
    '/admin/reports/silent-services': () => 'silent',
  });

  it("hands the event to its resource's handler", () => {
    expect(handler(event('/admin/reports/totals'), context)).toBe('totals for /admin/reports/totals');
    expect(handler(event('/admin/reports/silent-services'), context)).toBe('silent');
  });

  it('refuses a resource the function was not given, naming both', () => {
    expect(() => handler(event('/admin/other'), context)).toThrow('Reports serves no resource /admin/other');
  });
});
