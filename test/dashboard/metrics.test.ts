import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DASHBOARD_METRICS } from '../../lambdas/dashboard/dashboard-metrics';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/** The hourly publisher writes the dashboard's figures as CloudWatch embedded-metric-format lines. */

let db: TestDynamo;
const emitted: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  const write = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array) => boolean;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) if (line.includes('"_aws"')) emitted.push(JSON.parse(line));
    return write(chunk);
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await db?.stop();
});

describe('dashboard metrics publisher', () => {
  it('publishes every figure, and the 30-day split by category, for yesterday', async () => {
    const { handler } = await import('../../lambdas/dashboard/publish-metrics');
    const { asOf } = await handler();
    const figures = emitted.find((m) => 'ETransactionsYesterday' in m);
    expect(figures).toMatchObject({ service: 'etaal-delhi', asOf });
    for (const name of Object.keys(DASHBOARD_METRICS)) expect(figures?.[name]).toBe(0);
    const categories = emitted.filter((m) => 'ETransactionsLast30DaysByCategory' in m).map((m) => m.category);
    expect(categories).toEqual(['G2C', 'G2B', 'B2C', 'G2G']);
  });
});
