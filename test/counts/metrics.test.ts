import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent } from '../support/api-event';
import { startDynalite, type TestDynamo } from '../support/dynamo';
import { callStreaming, installAwsLambdaGlobal } from '../support/streaming';
import { call, type Handler, istDay, pushHandler, putEvent, putServiceCode } from './support';

/** The metrics the dashboard reads, as Powertools writes them (CloudWatch embedded metric format on stdout). */

let db: TestDynamo;
let push: Handler;
let connector: unknown;
let apiKey: string;
const emitted: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
  process.env.ETAAL_CONNECTOR_USERNAME = 'nic';
  process.env.ETAAL_CONNECTOR_PASSWORD = 'secret';
  const write = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array) => boolean;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) {
      if (line.includes('"_aws"')) emitted.push(JSON.parse(line));
    }
    return write(chunk);
  });
  push = await pushHandler();
  installAwsLambdaGlobal();
  ({ handler: connector } = await import('../../lambdas/connector/handler'));
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const created = await createDepartment({ code: 'MET', name: 'Metrics' });
  apiKey = created.apiKey;
  await putServiceCode(db, {
    serviceCode: 'DL-MET-0001',
    departmentId: created.department.departmentId,
    onboardingId: 'o',
    status: 'live',
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.COUNTS_REQUESTS_PER_MINUTE;
  await db?.stop();
});

const metricsNamed = (name: string) => emitted.filter((m) => name in m);

describe('count metrics', () => {
  it('counts accepted items, rejected items by reason, and connector calls by outcome', async () => {
    const good = { serviceCode: 'DL-MET-0001', date: istDay(1), count: 1 };
    expect(
      (await call(push, putEvent(apiKey, { counts: [good, { ...good, date: istDay(2) }] }))).status,
    ).toBe(200);
    const bad = [
      { ...good, count: -1 },
      { ...good, count: 2.5, date: '2026-02-30' },
      { ...good, count: 'x', date: istDay(3) },
    ];
    expect((await call(push, putEvent(apiKey, { counts: bad }))).status).toBe(422);
    await callStreaming(
      connector,
      apiEvent({
        method: 'POST',
        path: '/etaal/e-transaction-count',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'TransactionDate=01/01/2026&UserName=nic&Password=wrong',
      }),
    );

    expect(metricsNamed('CountsAccepted').map((m) => m.CountsAccepted)).toEqual([2]);
    const rejected = Object.fromEntries(
      metricsNamed('CountItemsRejected').map((m) => [m.reason, m.CountItemsRejected]),
    );
    expect(rejected).toEqual({ count: 3, date: 1 });
    expect(metricsNamed('ConnectorCalls')).toEqual([
      expect.objectContaining({ ConnectorCalls: 1, outcome: 'badCredentials' }),
    ]);
  });
});
