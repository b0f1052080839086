import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expect, it } from 'vitest';
import { LOCAL_CONNECTOR_CREDENTIALS } from '../../local/system';
import { istDay, putServiceCode } from '../counts/support';
import { admin, adminRun, withSystemOnDisk } from './onboarding-support';

/**
 * `services list` and `services retire` through the admin CLI against the running local system: a
 * retired service takes no more counts (409 service-retired), leaves the connector's answer from the next
 * IST day, and keeps its history (earlier days are still answered).
 */
const { dataDir, local } = withSystemOnDisk('etaal-admin-services-');
const runtimeFile = join(dataDir, 'runtime.json');

const putLiveCode = (serviceCode: string, departmentId: string) =>
  putServiceCode(
    { client: local.dynamo(), tables: local.system.tables },
    { serviceCode, departmentId, onboardingId: 'onb-retire', status: 'live' },
  );

const push = (apiKey: string, counts: { serviceCode: string; date: string; count: number }[]) =>
  local.api('/v1/counts', {
    method: 'PUT',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ counts: counts.map((c) => ({ ...c, locationCode: '0' })) }),
  });

/** The connector's answer for an ISO date: the service codes it lists. */
async function connectorCodes(isoDate: string): Promise<string[]> {
  const [y, m, d] = isoDate.split('-');
  const { username, password } = LOCAL_CONNECTOR_CREDENTIALS;
  const response = await local.api(`/etaal/e-transaction-count?TransactionDate=${d}/${m}/${y}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  });
  expect(response.status).toBe(200);
  const rows: { ServiceCode: string }[] =
    new XMLParser({ isArray: (name) => name === 'Row', parseTagValue: false }).parse(await response.text())
      .ETransactionCount.Row ?? [];
  return rows.map((r) => r.ServiceCode).sort();
}

it('lists services, retires one (409 on push, gone from the next day on, history kept)', async () => {
  const { departmentId, apiKey } = (await admin(runtimeFile, [
    'department',
    'add',
    '--code',
    'RET',
    '--name',
    'Retirements',
  ])) as { departmentId: string; apiKey: string };
  await putLiveCode('DL-RET-0001', departmentId);
  await putLiveCode('DL-RET-0002', departmentId);
  const days = [istDay(2), istDay(1), istDay(0)];
  const before = await push(
    apiKey,
    days.flatMap((date) =>
      ['DL-RET-0001', 'DL-RET-0002'].map((serviceCode) => ({ serviceCode, date, count: 5 })),
    ),
  );
  expect(before.status, await before.text()).toBe(200);

  const listed = (await admin(runtimeFile, ['services', 'list', '--department', 'RET'])) as {
    services: { serviceCode: string; status: string }[];
  };
  expect(listed.services.map((s) => [s.serviceCode, s.status])).toEqual([
    ['DL-RET-0001', 'live'],
    ['DL-RET-0002', 'live'],
  ]);

  // Retired now: counts refused at once; today's answer still has it, from tomorrow (IST) it is gone.
  const retired = await adminRun(runtimeFile, [
    'services',
    'retire',
    '--code',
    'DL-RET-0001',
    '--reason',
    'Service discontinued',
  ]);
  expect(retired.code, retired.stderr).toBe(0);
  expect(retired.result).toMatchObject({
    service: { serviceCode: 'DL-RET-0001', status: 'retired', leavesConnectorOn: istDay(-1) },
  });
  const refused = await push(apiKey, [{ serviceCode: 'DL-RET-0001', date: istDay(0), count: 9 }]);
  expect(refused.status).toBe(409);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await refused.json()) as { type: string; errors: { field: string }[] };
  expect(problem.type).toMatch(/service-retired$/);
  expect(problem.errors).toEqual([expect.objectContaining({ field: 'counts[0].serviceCode' })]);
  expect((await push(apiKey, [{ serviceCode: 'DL-RET-0002', date: istDay(0), count: 9 }])).status).toBe(200);
  expect(await connectorCodes(istDay(0))).toEqual(['DL-RET-0001', 'DL-RET-0002']);
  const again = await adminRun(runtimeFile, [
    'services',
    'retire',
    '--code',
    'DL-RET-0001',
    '--reason',
    'Twice',
  ]);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('retired');

  // A service retired two days ago: absent from the connector from yesterday on, still there before.
  const { retireService } = await import('../../lambdas/counts/retirement');
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  await retireService('DL-RET-0002', { reason: 'Merged', by: { name: 'test', email: '' } }, twoDaysAgo);
  expect(await connectorCodes(istDay(1))).toEqual(['DL-RET-0001']);
  expect(await connectorCodes(istDay(2))).toEqual(['DL-RET-0001', 'DL-RET-0002']);

  const retiredList = (await admin(runtimeFile, ['services', 'list', '--status', 'retired'])) as {
    services: { serviceCode: string; retirementReason: string }[];
  };
  expect(retiredList.services.map((s) => s.serviceCode)).toEqual(['DL-RET-0001', 'DL-RET-0002']);
  expect(retiredList.services[0]?.retirementReason).toBe('Service discontinued');
}, 120_000);
