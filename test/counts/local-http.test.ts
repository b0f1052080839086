import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { signLocalRequest } from '../../local/sigv4';
import { LOCAL_CONNECTOR_CREDENTIALS } from '../../local/system';
import { withLocalSystem } from '../support/local-system';
import { istDay } from './support';

/**
 * The count API, the connector and the reports over real HTTP in local mode (`npm start`'s system):
 * routes as registered in lambdas/functions.ts, the API Gateway emulation, the real handlers. The service
 * codes are written the way the onboarding workflow writes them, so no onboarding has to be walked.
 */
const local = withLocalSystem();

const dept = { departmentId: '', apiKey: '' };

async function arrange(): Promise<void> {
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const created = await createDepartment({ code: 'HLTH', name: 'Health' });
  dept.departmentId = created.department.departmentId;
  dept.apiKey = created.apiKey;
  for (const [serviceCode, status] of [
    ['DL-HLTH-0001', 'live'],
    ['DL-HLTH-0002', 'testing'],
  ] as const) {
    await local.dynamo().send(
      new PutCommand({
        TableName: local.system.tables.serviceCodes,
        Item: {
          pk: `CODE#${serviceCode}`,
          sk: 'SERVICE',
          serviceCode,
          departmentId: dept.departmentId,
          onboardingId: `onb-${serviceCode}`,
          serviceName: `Service ${serviceCode}`,
          category: 'G2C',
          status,
          gsi1pk: `DEPT#${dept.departmentId}`,
          gsi1sk: `CODE#${serviceCode}`,
        },
      }),
    );
  }
}

const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

describe('counts in local mode, over HTTP', () => {
  it('takes a push, shows it back, hands only live counts to NIC and reports them', async () => {
    await arrange();
    const day = istDay(1);
    const pushed = await local.api('/v1/counts', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': dept.apiKey },
      body: JSON.stringify({
        counts: [
          { serviceCode: 'DL-HLTH-0001', date: day, count: 250 },
          { serviceCode: 'DL-HLTH-0001', date: day, count: 12, locationCode: 'EAST' },
          { serviceCode: 'DL-HLTH-0002', date: day, count: 3 },
        ],
      }),
    });
    expect(pushed.status).toBe(200);
    expect(await pushed.json()).toMatchObject({ accepted: 3, written: 3, live: 2, test: 1 });

    const correction = await local.api('/v1/counts', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': dept.apiKey },
      body: JSON.stringify({ counts: [{ serviceCode: 'DL-HLTH-0001', date: day, count: 251 }] }),
    });
    expect(correction.status).toBe(200);
    // The replaced value reaches the history from the Counts stream, a moment after the push.
    await local.system.streamsDrained();

    const read = await local.api(`/v1/counts?serviceCode=DL-HLTH-0001&from=${day}&to=${day}`, {
      headers: { 'x-api-key': dept.apiKey },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { counts: unknown }).counts).toEqual([
      expect.objectContaining({ locationCode: '0', count: 251, previousCount: 250, phase: 'live' }),
      expect.objectContaining({ locationCode: 'EAST', count: 12, previousCount: null, phase: 'live' }),
    ]);

    const { username, password } = LOCAL_CONNECTOR_CREDENTIALS;
    const form = new URLSearchParams({
      TransactionDate: ddmmyyyy(day),
      UserName: username,
      Password: password,
    });
    const pulled = await local.api('/etaal/e-transaction-count', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(pulled.status).toBe(200);
    const xml = new XMLParser({ isArray: (name) => name === 'Row', parseTagValue: false }).parse(
      await pulled.text(),
    );
    expect(xml.ETransactionCount.Row).toEqual([
      { ServiceCode: 'DL-HLTH-0001', ServiceCount: '251', LocationCode: '0' },
      { ServiceCode: 'DL-HLTH-0001', ServiceCount: '12', LocationCode: 'EAST' },
    ]);

    const basic = Buffer.from(`${username}:wrong`).toString('base64');
    const refused = await local.api(`/etaal/e-transaction-count?TransactionDate=${ddmmyyyy(day)}`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(await refused.text()).toContain('<ServiceCount>-2</ServiceCount>');

    const unsigned = await local.api(`/admin/reports/totals?from=${day}&to=${day}`);
    expect(unsigned.status).toBe(403);
    const reportUrl = new URL(
      `${local.system.apiUrl}/admin/reports/totals?from=${day}&to=${day}&groupBy=phase&department=HLTH`,
    );
    const report = await fetch(reportUrl, {
      headers: await signLocalRequest(reportUrl, { method: 'GET' }),
    });
    expect(report.status).toBe(200);
    expect(((await report.json()) as { rows: unknown }).rows).toEqual([
      { phase: 'live', total: 263, entries: 2 },
      { phase: 'test', total: 3, entries: 1 },
    ]);
  });
});
