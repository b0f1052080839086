import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCount } from '../../lambdas/core/counts';
import { toCountItem } from '../../lambdas/counts/repository';
import { call, type Handler, putServiceCode } from '../counts/support';
import { type AdminCliResult, runAdminCli } from '../support/admin-cli';
import { apiEvent } from '../support/api-event';
import { startDynalite, type TestDynamo } from '../support/dynamo';

let db: TestDynamo;
let reports: Handler;
let cli: typeof import('../../lambdas/reports/cli');

beforeAll(async () => {
  // Reports read the aggregates the Counts stream keeps, so the raw rows go through the local stream.
  db = await startDynalite({ streams: true });
  db.applyEnv();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  ({ handler: reports } = (await import('../../lambdas/reports/handler')) as { handler: Handler });
  cli = await import('../../lambdas/reports/cli');
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const rev = (await createDepartment({ code: 'REV', name: 'Revenue' })).department.departmentId;
  const tpt = (await createDepartment({ code: 'TPT', name: 'Transport' })).department.departmentId;
  await putServiceCode(db, {
    serviceCode: 'DL-REV-0001',
    departmentId: rev,
    onboardingId: 'o1',
    status: 'live',
    category: 'G2C',
  });
  await putServiceCode(db, {
    serviceCode: 'DL-REV-0002',
    departmentId: rev,
    onboardingId: 'o1',
    status: 'live',
    category: 'G2B',
  });
  await putServiceCode(db, {
    serviceCode: 'DL-REV-0003',
    departmentId: rev,
    onboardingId: 'o2',
    status: 'testing',
    category: 'G2C',
  });
  await putServiceCode(db, {
    serviceCode: 'DL-TPT-0001',
    departmentId: tpt,
    onboardingId: 'o3',
    status: 'live',
    category: 'G2C',
  });
  await putServiceCode(db, {
    serviceCode: 'DL-TPT-0002',
    departmentId: tpt,
    onboardingId: 'o3',
    status: 'issued',
    category: 'G2G',
  });
  const count = (
    departmentId: string,
    serviceCode: string,
    date: string,
    locationCode: string,
    n: number,
    phase: 'test' | 'live',
  ): StoredCount => ({
    departmentId,
    serviceCode,
    date,
    locationCode,
    count: n,
    phase,
    updatedAt: `${date}T12:00:00.000Z`,
  });
  const counts = [
    count(rev, 'DL-REV-0001', '2026-11-20', '0', 10, 'live'),
    count(rev, 'DL-REV-0001', '2026-11-20', 'NORTH', 5, 'live'),
    count(rev, 'DL-REV-0001', '2026-11-21', '0', 7, 'live'),
    count(rev, 'DL-REV-0002', '2026-11-21', '0', 0, 'live'),
    count(rev, 'DL-REV-0003', '2026-11-21', '0', 4, 'test'),
    count(tpt, 'DL-TPT-0001', '2026-11-20', '0', 100, 'live'),
    // Outside the range asked for below.
    count(tpt, 'DL-TPT-0001', '2026-11-22', '0', 1000, 'live'),
  ];
  await db.client.send(
    new BatchWriteCommand({
      RequestItems: { [db.tables.counts]: counts.map((c) => ({ PutRequest: { Item: toCountItem(c) } })) },
    }),
  );
  await db.streamsDrained();
});

afterAll(async () => {
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let dir: string | undefined;

/** `npm run admin -- ...` as a child process, finding the tables through a runtime file like `npm start`'s. */
function admin(args: string[]): Promise<AdminCliResult> {
  dir ??= mkdtempSync(join(tmpdir(), 'etaal-report-'));
  const runtimeFile = join(dir, 'runtime.json');
  writeFileSync(
    runtimeFile,
    JSON.stringify({ region: 'ap-south-1', endpoints: { dynamodb: db.endpoint }, tables: db.tables }),
  );
  const env: Record<string, string | undefined> = { ...process.env, ETAAL_RUNTIME_FILE: runtimeFile };
  for (const name of Object.keys(db.env)) delete env[name];
  return runAdminCli(args, { env });
}

const get = (resource: string, query: Record<string, string>) =>
  call(reports, apiEvent({ method: 'GET', path: resource, resource, query }));

describe('GET /admin/reports/totals', () => {
  it('totals a date range by department, service, category and phase', async () => {
    const answer = await get('/admin/reports/totals', { from: '2026-11-20', to: '2026-11-21' });
    expect(answer.status).toBe(200);
    expect(answer.json.total).toBe(126);
    expect(answer.json.rows).toEqual([
      expect.objectContaining({
        departmentCode: 'REV',
        serviceCode: 'DL-REV-0001',
        category: 'G2C',
        phase: 'live',
        total: 22,
        entries: 3,
      }),
      expect.objectContaining({
        departmentCode: 'REV',
        serviceCode: 'DL-REV-0002',
        category: 'G2B',
        phase: 'live',
        total: 0,
        entries: 1,
      }),
      expect.objectContaining({
        departmentCode: 'REV',
        serviceCode: 'DL-REV-0003',
        category: 'G2C',
        phase: 'test',
        total: 4,
        entries: 1,
      }),
      expect.objectContaining({
        departmentCode: 'TPT',
        serviceCode: 'DL-TPT-0001',
        category: 'G2C',
        phase: 'live',
        total: 100,
        entries: 1,
      }),
    ]);
  });

  it('groups by what is asked and filters one department', async () => {
    const answer = await get('/admin/reports/totals', {
      from: '2026-11-20',
      to: '2026-11-22',
      groupBy: 'date,phase',
      department: 'tpt',
    });
    expect(answer.json.rows).toEqual([
      { date: '2026-11-20', phase: 'live', total: 100, entries: 1 },
      { date: '2026-11-22', phase: 'live', total: 1000, entries: 1 },
    ]);
  });

  it('refuses bad ranges and dimensions with 422 naming the parameter', async () => {
    const inverted = await get('/admin/reports/totals', { from: '2026-11-21', to: '2026-11-20' });
    expect(inverted.status).toBe(422);
    expect(inverted.json.errors).toEqual([expect.objectContaining({ field: 'to' })]);
    const colour = await get('/admin/reports/totals', {
      from: '2026-11-20',
      to: '2026-11-20',
      groupBy: 'colour',
    });
    expect(colour.status).toBe(422);
    expect(colour.json.errors).toEqual([expect.objectContaining({ field: 'groupBy' })]);
    const notADate = await get('/admin/reports/totals', { from: '2026-11-31', to: '2026-11-20' });
    expect(notADate.status).toBe(422);
    expect(notADate.json.errors).toEqual([expect.objectContaining({ field: 'from' })]);
  });
});

describe('GET /admin/reports/silent-services', () => {
  it('lists the live services that sent nothing for the date', async () => {
    const answer = await get('/admin/reports/silent-services', { date: '2026-11-21' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      date: '2026-11-21',
      liveServices: 3,
      silent: [
        {
          serviceCode: 'DL-TPT-0001',
          serviceName: 'Service DL-TPT-0001',
          category: 'G2C',
          departmentCode: 'TPT',
          departmentName: 'Transport',
        },
      ],
    });
  });
});

describe('admin CLI report commands', () => {
  it('give the same totals as the route', async () => {
    const viaCli = await cli.reportTotalsCommand({
      from: '2026-11-20',
      to: '2026-11-21',
      department: 'rev',
      groupBy: 'phase',
    });
    expect(viaCli.rows).toEqual([
      { phase: 'live', total: 22, entries: 4 },
      { phase: 'test', total: 4, entries: 1 },
    ]);
  });

  it('name the bad option', async () => {
    await expect(cli.reportTotalsCommand({ from: '2026-13-01' })).rejects.toMatchObject({
      errors: [
        // A date that does not exist is not a missing one.
        { field: 'from', message: 'Must be a date YYYY-MM-DD' },
        { field: 'to', message: 'Required: a date YYYY-MM-DD' },
      ],
    });
    await expect(cli.reportSilentCommand({})).rejects.toMatchObject({ errors: [{ field: 'date' }] });
  });

  it('list silent services', async () => {
    const silent = await cli.reportSilentCommand({ date: '2026-11-20' });
    expect(silent.silent.map((s) => s.serviceCode)).toEqual(['DL-REV-0002']);
  });
});

describe('npm run admin -- report', () => {
  it('prints the totals and the silent services as JSON', async () => {
    const totals = await admin([
      'report',
      'totals',
      '--from',
      '2026-11-20',
      '--to',
      '2026-11-21',
      '--group-by',
      'category',
    ]);
    expect(totals.code).toBe(0);
    expect(JSON.parse(totals.stdout).rows).toEqual([
      { category: 'G2B', total: 0, entries: 1 },
      { category: 'G2C', total: 126, entries: 5 },
    ]);
    const silent = await admin(['report', 'silent', '--date', '2026-11-21']);
    expect(silent.code).toBe(0);
    expect(JSON.parse(silent.stdout).silent.map((s: { serviceCode: string }) => s.serviceCode)).toEqual([
      'DL-TPT-0001',
    ]);
  });

  it('exits 2 naming the bad option', async () => {
    const bad = await admin(['report', 'totals', '--from', '2026-11-20', '--to', '2026-11-19']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('to:');
    expect(bad.stdout).toBe('');
  });
});
