import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { createClientAsync } from 'soap';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredCount } from '../../lambdas/core/counts';
import { toCountItem } from '../../lambdas/counts/repository';
import { LOCAL_CONNECTOR_CREDENTIALS } from '../../local/system';
import { withLocalSystem } from '../support/local-system';

/**
 * NIC's side, over HTTP against the local system, with the three kinds of client its poller may be: a
 * form POST, a GET with HTTP Basic, and a SOAP client generated (by the `soap` package) from the WSDL the
 * system serves. All three must read the same rows.
 */
const local = withLocalSystem();
const { username, password } = LOCAL_CONNECTOR_CREDENTIALS;
const CONNECTOR = '/etaal/e-transaction-count';

const live = (serviceCode: string, locationCode: string, count: number): StoredCount => ({
  serviceCode,
  date: '2026-11-24',
  locationCode,
  count,
  phase: 'live',
  departmentId: 'dept-1',
  updatedAt: '2026-11-25T04:00:00.000Z',
});

const EXPECTED = [
  { ServiceCode: 'DL-REV-0001', ServiceCount: '12', LocationCode: '0' },
  { ServiceCode: 'DL-REV-0001', ServiceCount: '3', LocationCode: 'SOUTH' },
  { ServiceCode: 'DL-TPT-0002', ServiceCount: '4500', LocationCode: '0' },
];

beforeAll(async () => {
  await local.dynamo().send(
    new BatchWriteCommand({
      RequestItems: {
        [local.system.tables.counts]: [
          live('DL-TPT-0002', '0', 4500),
          live('DL-REV-0001', 'SOUTH', 3),
          live('DL-REV-0001', '0', 12),
        ].map((count) => ({ PutRequest: { Item: toCountItem(count) } })),
      },
    }),
  );
});

const xmlRows = (text: string) =>
  new XMLParser({ isArray: (name) => name === 'Row', parseTagValue: false }).parse(text).ETransactionCount
    .Row ?? [];

interface SoapRow {
  ServiceCode: string;
  ServiceCount: number | string;
  LocationCode: string;
}

async function soapClient() {
  return createClientAsync(`${local.system.apiUrl}${CONNECTOR}?wsdl`);
}

async function soapCall(fields: Record<string, string>): Promise<SoapRow[]> {
  const client = await soapClient();
  const [result] = (await client.ETransactionCountAsync(fields)) as [
    { ETransactionCountResult?: { Row?: SoapRow | SoapRow[] } },
  ];
  const rows = result.ETransactionCountResult?.Row ?? [];
  return (Array.isArray(rows) ? rows : [rows]).map((row) => ({
    ...row,
    ServiceCount: String(row.ServiceCount),
  }));
}

describe('NIC clients of the e-Taal connector', () => {
  it('a form POST reads the live rows', async () => {
    const response = await local.api(CONNECTOR, {
      method: 'POST',
      body: new URLSearchParams({ TransactionDate: '24/11/2026', UserName: username, Password: password }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(xmlRows(await response.text())).toEqual(EXPECTED);
  });

  it('a GET with HTTP Basic reads the same rows', async () => {
    const response = await local.api(`${CONNECTOR}?TransactionDate=24/11/2026`, {
      headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
    expect(xmlRows(await response.text())).toEqual(EXPECTED);
  });

  it('serves a WSDL whose endpoint is the connector itself', async () => {
    const response = await local.api(`${CONNECTOR}?wsdl`);
    expect(response.status).toBe(200);
    const wsdl = await response.text();
    expect(wsdl).toContain(`<soap:address location="${local.system.apiUrl}${CONNECTOR}"/>`);
    const client = await soapClient();
    expect(Object.keys(client.describe().ETaalClientConnector.ETaalClientConnectorSoap)).toEqual([
      'ETransactionCount',
    ]);
  });

  it('a SOAP client generated from the WSDL reads the same rows', async () => {
    expect(await soapCall({ TransactionDate: '24/11/2026', UserName: username, Password: password })).toEqual(
      EXPECTED,
    );
  });

  it('the SOAP client gets the -2 and -1 rows in the same shape', async () => {
    expect(await soapCall({ TransactionDate: '24/11/2026', UserName: username, Password: 'wrong' })).toEqual([
      { ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' },
    ]);
    expect(await soapCall({ TransactionDate: '31/02/2026', UserName: username, Password: password })).toEqual(
      [{ ServiceCode: '-1', ServiceCount: '-1', LocationCode: '-1' }],
    );
  });
});
