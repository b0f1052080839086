import { userInfo } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect, it } from 'vitest';
import { admin, adminRun, adminText as adminTextOn, withSystemOnDisk } from './onboarding-support';

const adminText = (args: string[]) => adminTextOn(runtimeFile, args);

/**
 * `departments list`, `departments keys rotate|revoke` and `departments deactivate` through the admin CLI
 * against the running local system: a rotated key keeps working for its grace period, then answers 401
 * (a later rotation shortens a grace still running);
 * a revoked or deactivated department's key answers 401 at once; every change is audited with who did it.
 */
const { dataDir, local } = withSystemOnDisk('etaal-admin-departments-');
const runtimeFile = join(dataDir, 'runtime.json');

const statusWith = async (apiKey: string) =>
  (await local.api('/v1/onboardings', { headers: { 'x-api-key': apiKey } })).status;

it('rotates a key with a grace period, then revokes and deactivates, each audited', async () => {
  const { departmentId, apiKey: first } = (await admin(runtimeFile, [
    'department',
    'add',
    '--code',
    'KEYS',
    '--name',
    'Key Rotation Department',
  ])) as { departmentId: string; apiKey: string };
  expect(await statusWith(first)).toBe(200);

  const rotated = await adminRun(runtimeFile, [
    'departments',
    'keys',
    'rotate',
    '--code',
    'KEYS',
    '--grace',
    '30s',
  ]);
  expect(rotated.code, rotated.stderr).toBe(0);
  const second = rotated.result?.apiKey as string;
  expect(second).toMatch(/^etd_/);
  expect(second).not.toBe(first);
  expect(rotated.result?.oldKeysWorkUntil).toEqual(expect.any(String));
  // During the grace period both keys work.
  expect(await statusWith(first)).toBe(200);
  expect(await statusWith(second)).toBe(200);
  const listed = (await admin(runtimeFile, ['departments', 'list'])) as {
    departments: { code: string; status: string; keys: Record<string, number> }[];
  };
  expect(listed.departments.find((d) => d.code === 'KEYS')).toMatchObject({
    status: 'active',
    keys: { active: 1, grace: 1, expired: 0, revoked: 0 },
  });

  // A second rotation shortens every grace still running (a key never gets more time than the admin just
  // gave): the first two keys now work for 1 s, then answer 401 (problem+json); the newest still works.
  // Waiting out the 30 s grace instead would only prove the same clock comparison more slowly.
  const shortened = await adminRun(runtimeFile, [
    'departments',
    'keys',
    'rotate',
    '--code',
    'KEYS',
    '--grace',
    '1s',
  ]);
  expect(shortened.code, shortened.stderr).toBe(0);
  const third = shortened.result?.apiKey as string;
  const shortGraceEnds = Date.parse(shortened.result?.oldKeysWorkUntil as string);
  expect(shortGraceEnds).toBeLessThan(Date.parse(rotated.result?.oldKeysWorkUntil as string));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, shortGraceEnds - Date.now()) + 100));
  const table = await adminText(['departments', 'list', '--format', 'table']);
  expect(table.stdout).toMatch(/KEYS +.*1 active, 2 expired/);
  for (const old of [first, second]) {
    const refused = await local.api('/v1/onboardings', { headers: { 'x-api-key': old } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { type: string }).type).toMatch(/invalid-api-key$/);
  }
  expect(await statusWith(third)).toBe(200);

  // Revoke: at once.
  const revoked = await adminRun(runtimeFile, [
    'departments',
    'keys',
    'revoke',
    '--code',
    'KEYS',
    '--reason',
    'Leaked',
  ]);
  expect(revoked.code, revoked.stderr).toBe(0);
  expect(await statusWith(third)).toBe(401);

  // A new key after the revocation, then deactivation: 401, and no new key.
  const fourth = (
    (await admin(runtimeFile, ['departments', 'keys', 'rotate', '--code', 'KEYS'])) as { apiKey: string }
  ).apiKey;
  expect(await statusWith(fourth)).toBe(200);
  const deactivated = await adminRun(runtimeFile, [
    'departments',
    'deactivate',
    '--code',
    'KEYS',
    '--reason',
    'Merged',
  ]);
  expect(deactivated.code, deactivated.stderr).toBe(0);
  expect(await statusWith(fourth)).toBe(401);
  const noKey = await adminRun(runtimeFile, ['departments', 'keys', 'rotate', '--code', 'KEYS']);
  expect(noKey.code).toBe(2);
  expect(noKey.stderr).toContain('deactivated');

  const { Items = [] } = await local.dynamo().send(
    new QueryCommand({
      TableName: local.system.tables.departments,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': `DEPT#${departmentId}`, ':audit': 'AUDIT#' },
    }),
  );
  expect(Items.map((i) => i.type)).toEqual([
    'api-key.rotated',
    'api-key.rotated',
    'api-keys.revoked',
    'api-key.rotated',
    'department.deactivated',
  ]);
  for (const item of Items) expect(item.by.name).toContain(userInfo().username);
}, 120_000);

it('prints each command’s own help, and refuses an unknown --format', async () => {
  const help = await adminText(['onboardings', 'cancel', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: npm run --silent admin -- onboardings cancel <onboardingId> --reason/);
  expect(help.stdout).not.toContain('holidays set');
  const rotateHelp = await adminText(['departments', 'keys', 'rotate', '--help']);
  expect(rotateHelp.stdout).toContain('--grace');
  const general = await adminText(['--help']);
  expect(general.stdout).toContain('services retire --code');
  const bad = await adminRun(runtimeFile, ['departments', 'list', '--format', 'yaml']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--format must be json or table');
}, 60_000);
