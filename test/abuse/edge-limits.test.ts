import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { perIpLimitFor } from '../../lib/edge-limits';
import { istDay } from '../counts/support';
import { withLocalSystem } from '../support/local-system';
import { flood, requestFrom } from './support';

/**
 * Issue 11, limits at the edge: local mode's API server applies the WAF's per-IP rules (one definition,
 * lib/edge-limits.ts), so one address using up its budget is refused with 429 while a department calling
 * from another address goes on pushing counts.
 */
const local = withLocalSystem();

const DEPARTMENT_IP = '127.0.0.1';
const ATTACKER_IP = '127.0.0.2';
const OTHER_ATTACKER_IP = '127.0.0.3';

async function departmentWithService(code: string): Promise<{ apiKey: string; serviceCode: string }> {
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const { department, apiKey } = await createDepartment({ code, name: `Department ${code}` });
  const serviceCode = `DL-${code}-0001`;
  await local.dynamo().send(
    new PutCommand({
      TableName: local.system.tables.serviceCodes,
      Item: {
        pk: `CODE#${serviceCode}`,
        sk: 'SERVICE',
        serviceCode,
        departmentId: department.departmentId,
        onboardingId: 'onb-edge',
        serviceName: 'Edge service',
        category: 'G2C',
        status: 'live',
        gsi1pk: `DEPT#${department.departmentId}`,
        gsi1sk: `CODE#${serviceCode}`,
      },
    }),
  );
  return { apiKey, serviceCode };
}

function push(from: string, apiKey: string, serviceCode: string, count: number) {
  return requestFrom(from, `${local.system.apiUrl}/v1/counts`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ counts: [{ serviceCode, date: istDay(1), count }] }),
  });
}

describe('per-IP limits at the edge (local mode applies the WAF rules)', () => {
  it('refuses a flood of the public routes from one address with 429, Retry-After and a problem', async () => {
    const { apiKey, serviceCode } = await departmentWithService('EDGE');
    const limit = perIpLimitFor('public').limit;
    const statuses = await flood(limit + 20, () => requestFrom(ATTACKER_IP, `${local.system.apiUrl}/health`));
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);

    // The approval pages share the unauthenticated budget: still refused from that address.
    const guess = await requestFrom(ATTACKER_IP, `${local.system.apiUrl}/approvals/anything`);
    expect(guess.status).toBe(429);
    expect(Number(guess.headers['retry-after'])).toBeGreaterThan(0);
    expect(guess.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(guess.body)).toMatchObject({ status: 429, title: 'Too many requests' });

    // The department, from its own address, is not affected.
    const pushed = await push(DEPARTMENT_IP, apiKey, serviceCode, 7);
    expect(pushed.status, pushed.body).toBe(200);
  });

  it("a flood of bad API keys from one address does not use up a department's push budget", async () => {
    const { apiKey, serviceCode } = await departmentWithService('FLOOD');
    const limit = perIpLimitFor('departmentApi').limit;
    const statuses = await flood(
      limit + 5,
      () => push(OTHER_ATTACKER_IP, `etd_${'x'.repeat(43)}`, serviceCode, 1),
      50,
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);

    const pushed = await push(DEPARTMENT_IP, apiKey, serviceCode, 8);
    expect(pushed.status, pushed.body).toBe(200);
  });
});
