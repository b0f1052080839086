import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Handler, istDay, pushHandler, putEvent, putServiceCode } from '../counts/support';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/**
 * The whole aggregate path on the local emulators: pushes through the real handler, the Counts stream fed
 * by the local stream proxy to the real aggregator, and the reports reading the aggregates.
 */
let db: TestDynamo;
let push: Handler;
let apiKey: string;
let departmentId: string;
let reports: typeof import('../../lambdas/reports/reports');
const tablesRead: string[] = [];

beforeAll(async () => {
  db = await startDynalite({ streams: true });
  db.applyEnv();
  process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  push = await pushHandler();
  reports = await import('../../lambdas/reports/reports');
  const { dynamo } = await import('../../lambdas/shared/aws');
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown> };
      tablesRead.push(...(input.TableName ? [input.TableName] : Object.keys(input.RequestItems ?? {})));
      return next(args);
    },
    { step: 'initialize', name: 'recordTables' },
  );
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const created = await createDepartment({ code: 'AGG', name: 'Aggregation' });
  apiKey = created.apiKey;
  departmentId = created.department.departmentId;
  for (const [serviceCode, status, category] of [
    ['DL-AGG-0001', 'live', 'G2C'],
    ['DL-AGG-0002', 'live', 'G2B'],
    ['DL-AGG-0003', 'testing', 'G2G'],
  ] as const) {
    await putServiceCode(db, {
      serviceCode,
      departmentId: created.department.departmentId,
      onboardingId: 'o1',
      status,
      category,
    });
  }
});

afterAll(async () => {
  delete process.env.COUNTS_REQUESTS_PER_MINUTE;
  await db?.stop();
});

const pushed = async (
  counts: { serviceCode: string; date: string; count: number; locationCode?: string }[],
) => {
  const answer = await call(push, putEvent(apiKey, { counts }));
  expect(answer.status).toBe(200);
};

describe('count aggregates on the local stream', () => {
  it('follow pushes, corrections and resends, and reconcile finds no drift', async () => {
    const day = istDay(3);
    await pushed([
      { serviceCode: 'DL-AGG-0001', date: day, count: 10 },
      { serviceCode: 'DL-AGG-0001', date: day, count: 5, locationCode: 'N' },
      { serviceCode: 'DL-AGG-0002', date: day, count: 0 },
      { serviceCode: 'DL-AGG-0003', date: day, count: 4 },
    ]);
    // A correction, a resend of the same batch, and racing corrections of one total.
    await pushed([{ serviceCode: 'DL-AGG-0001', date: day, count: 12 }]);
    await pushed([{ serviceCode: 'DL-AGG-0001', date: day, count: 12 }]);
    await Promise.all(
      [20, 30, 40].map((count) => pushed([{ serviceCode: 'DL-AGG-0002', date: day, count }])),
    );
    await db.streamsDrained();

    const report = await reports.totalsReport({ from: day, to: day, groupBy: ['service', 'phase'] });
    const byService = Object.fromEntries(report.rows.map((row) => [row.serviceCode, row]));
    expect(byService['DL-AGG-0001']).toMatchObject({ phase: 'live', total: 17, entries: 2 });
    expect([20, 30, 40]).toContain(byService['DL-AGG-0002']?.total);
    expect(byService['DL-AGG-0003']).toMatchObject({ phase: 'test', total: 4, entries: 1 });

    const top = await reports.topServices(day, day, 1);
    expect(top).toEqual([expect.objectContaining({ departmentCode: 'AGG', category: expect.any(String) })]);
    expect(top[0]?.total).toBe(Math.max(17, byService['DL-AGG-0002']?.total ?? 0));
    expect(reports.monthsBetween('2025-11-15', '2026-02-01')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);

    const reconciled = await reports.reconcileDay(day);
    expect(reconciled).toMatchObject({
      rawRows: 4,
      services: 3,
      dayDrift: [],
      monthDrift: [],
      rollupDrift: [],
      dayRollupDrift: [],
      departmentDayDrift: [],
    });
  });

  it('answer a 366-day report from the aggregates without reading a raw row, page by page', async () => {
    await pushed([
      { serviceCode: 'DL-AGG-0001', date: istDay(80), count: 100 },
      { serviceCode: 'DL-AGG-0002', date: istDay(40), count: 7 },
    ]);
    await db.streamsDrained();
    const query = { from: istDay(365), to: istDay(0), groupBy: ['date', 'service'] as const };

    tablesRead.length = 0;
    const first = await reports.totalsReport({ ...query, groupBy: [...query.groupBy] }, { limit: 2 });
    expect(tablesRead.length).toBeGreaterThan(0);
    expect(tablesRead).not.toContain(db.tables.counts);
    expect(tablesRead).toContain(db.tables.aggregates);

    const rows = [...first.rows];
    let page = first;
    while (page.nextCursor) {
      page = await reports.totalsReport(
        { ...query, groupBy: [...query.groupBy] },
        { limit: 2, cursor: page.nextCursor },
      );
      expect(page.rows.length).toBeLessThanOrEqual(2);
      rows.push(...page.rows);
    }
    expect(rows).toEqual(await reports.totalRows({ ...query, groupBy: [...query.groupBy] }));
    expect(rows.reduce((sum, row) => sum + row.total, 0)).toBe(first.total);
    expect(rows.find((row) => row.date === istDay(80))).toMatchObject({
      serviceCode: 'DL-AGG-0001',
      total: 100,
    });
    expect(tablesRead).not.toContain(db.tables.counts);
  });

  it('answer groupings without services from the day rollups: a 366-day report by date reads no raw row and equals the services summed', async () => {
    await pushed([
      { serviceCode: 'DL-AGG-0001', date: istDay(70), count: 11 },
      { serviceCode: 'DL-AGG-0002', date: istDay(70), count: 6, locationCode: 'S' },
      { serviceCode: 'DL-AGG-0003', date: istDay(60), count: 5 },
    ]);
    await db.streamsDrained();
    const range = { from: istDay(365), to: istDay(0) };
    expect(reports.sourceFor({ ...range, groupBy: ['date', 'department'] }, istDay(0).slice(0, 7))).toBe(
      'dayRollups',
    );

    tablesRead.length = 0;
    const byDepartment = await reports.totalRows({
      ...range,
      groupBy: ['date', 'department', 'category', 'phase'],
    });
    expect(tablesRead).not.toContain(db.tables.counts);
    const byService = await reports.totalRows({
      ...range,
      groupBy: ['date', 'department', 'service', 'category', 'phase'],
    });
    const summed = new Map<string, { total: number; entries: number }>();
    for (const row of byService) {
      const key = [row.date, row.departmentCode, row.category, row.phase].join('/');
      const sum = summed.get(key) ?? { total: 0, entries: 0 };
      summed.set(key, { total: sum.total + row.total, entries: sum.entries + row.entries });
    }
    expect(
      new Map(
        byDepartment.map((row) => [
          [row.date, row.departmentCode, row.category, row.phase].join('/'),
          { total: row.total, entries: row.entries },
        ]),
      ),
    ).toEqual(summed);
    expect(byDepartment.find((row) => row.date === istDay(70) && row.phase === 'live')).toBeDefined();
    expect(
      byDepartment.filter((row) => row.date === istDay(70)).reduce((sum, row) => sum + row.total, 0),
    ).toBe(17);
  });

  it('reconcile reports a day rollup that drifted from the raw rows', async () => {
    const day = istDay(50);
    await pushed([{ serviceCode: 'DL-AGG-0001', date: day, count: 8 }]);
    await db.streamsDrained();
    const { dayRollupItems } = await import('../../lambdas/reports/aggregates-repository');
    const stored = await dayRollupItems.get({ date: day, departmentId });
    expect(stored?.services['DL-AGG-0001']).toMatchObject({ live: 8, liveEntries: 1 });
    if (!stored) throw new Error('no day rollup');
    // A lost update: the rollup's totals say 3 where the raw rows say 8, and the service is missing.
    const live = { live: 3, test: 0, liveEntries: 1, testEntries: 0 };
    expect(
      await dayRollupItems.put(
        { ...stored, services: {}, totals: { G2C: live }, version: stored.version + 1 },
        stored.version,
      ),
    ).toBe(true);
    const reconciled = await reports.reconcileDay(day);
    expect(reconciled.dayDrift).toEqual([]);
    expect(reconciled.dayRollupDrift).toEqual([
      expect.objectContaining({
        serviceCode: 'DL-AGG-0001',
        aggregated: expect.objectContaining({ live: 0 }),
      }),
    ]);
    expect(reconciled.departmentDayDrift).toEqual([
      { departmentId, expected: expect.objectContaining({ live: 8 }), aggregated: live },
    ]);
    expect(reports.driftCount(reconciled)).toBe(2);
    // The next change of the day brings the service's totals back into the rollup.
    await pushed([{ serviceCode: 'DL-AGG-0001', date: day, count: 9 }]);
    await db.streamsDrained();
    expect(reports.driftCount(await reports.reconcileDay(day))).toBe(0);
  });

  it('backfill builds the day rollups of days aggregated before they existed', async () => {
    const day = istDay(45);
    await pushed([
      { serviceCode: 'DL-AGG-0001', date: day, count: 4 },
      { serviceCode: 'DL-AGG-0003', date: day, count: 1, locationCode: 'E' },
    ]);
    await db.streamsDrained();
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { dynamo } = await import('../../lambdas/shared/aws');
    // As before the upgrade: the day and month aggregates, no day rollup.
    await dynamo.send(
      new DeleteCommand({
        TableName: db.tables.aggregates,
        Key: { pk: `DAYROLLUP#${day.slice(0, 7)}`, sk: `${day.slice(8, 10)}#DEPT#${departmentId}` },
      }),
    );
    const before = await reports.reconcileDay(day);
    expect(before.dayRollupDrift.map((drift) => drift.serviceCode)).toEqual(['DL-AGG-0001', 'DL-AGG-0003']);
    expect(before.departmentDayDrift).toHaveLength(1);

    const { reportBackfillCommand } = await import('../../lambdas/reports/cli');
    const range = { from: istDay(46), to: day };
    expect(await reportBackfillCommand(range)).toEqual({ ...range, days: 2, dayRollups: 1 });
    expect(reports.driftCount(await reports.reconcileDay(day))).toBe(0);
    // Again: nothing changes.
    expect(await reportBackfillCommand(range)).toMatchObject({ dayRollups: 1 });
    expect(reports.driftCount(await reports.reconcileDay(day))).toBe(0);
    await expect(reportBackfillCommand({ from: day, to: istDay(46) })).rejects.toThrow(/to/);
  });

  it('refuses a cursor of another report', async () => {
    const page = await reports.totalsReport(
      { from: istDay(365), to: istDay(0), groupBy: ['date', 'service'] },
      { limit: 1 },
    );
    expect(page.nextCursor).toBeDefined();
    await expect(
      reports.totalsReport(
        { from: istDay(30), to: istDay(0), groupBy: ['service'] },
        { cursor: page.nextCursor as string },
      ),
    ).rejects.toThrow(/cursor|invalid/i);
  });
  it('answer whole months from the department rollups, equal to the same months read day by day', async () => {
    // Last month in IST: every day of it is past and inside the back-fill window, on any day.
    const today = new Date(`${istDay(0)}T00:00:00Z`);
    const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
    const last = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0));
    const iso = (date: Date, plusDays = 0) =>
      new Date(date.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
    await pushed([
      { serviceCode: 'DL-AGG-0001', date: iso(first), count: 3 },
      { serviceCode: 'DL-AGG-0001', date: iso(first, 5), count: 4, locationCode: 'N' },
      { serviceCode: 'DL-AGG-0002', date: iso(last), count: 9 },
      { serviceCode: 'DL-AGG-0003', date: iso(first, 9), count: 2 },
    ]);
    // A correction and a resend: the rollup follows the month aggregates' newest versions only.
    await pushed([{ serviceCode: 'DL-AGG-0001', date: iso(first), count: 30 }]);
    await pushed([{ serviceCode: 'DL-AGG-0001', date: iso(first), count: 30 }]);
    await db.streamsDrained();

    const range = { from: iso(first), to: iso(last) };
    const whole = await reports.totalsReport({ ...range, groupBy: ['service', 'phase'] });
    const daily = await reports.totalsReport({ ...range, groupBy: ['date', 'service', 'phase'] });
    const sums = new Map<string, { total: number; entries: number }>();
    for (const row of daily.rows) {
      const key = `${row.serviceCode}/${row.phase}`;
      const sum = sums.get(key) ?? { total: 0, entries: 0 };
      sums.set(key, { total: sum.total + row.total, entries: sum.entries + row.entries });
    }
    expect(
      new Map(
        whole.rows.map((row) => [
          `${row.serviceCode}/${row.phase}`,
          { total: row.total, entries: row.entries },
        ]),
      ),
    ).toEqual(sums);
    // At least these pushes (the other tests' days may fall into last month too).
    expect(sums.get('DL-AGG-0001/live')?.total).toBeGreaterThanOrEqual(34);
    expect(sums.get('DL-AGG-0002/live')?.total).toBeGreaterThanOrEqual(9);
    expect(sums.get('DL-AGG-0003/test')?.total).toBeGreaterThanOrEqual(2);

    expect(await reports.reconcileDay(iso(first))).toMatchObject({
      dayDrift: [],
      monthDrift: [],
      rollupDrift: [],
      dayRollupDrift: [],
      departmentDayDrift: [],
    });
  });
});
