import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCount } from '../../lambdas/core/counts';
import { toCountItem } from '../../lambdas/counts/repository';
import { apiEvent } from '../support/api-event';
import { startDynalite, type TestDynamo } from '../support/dynamo';
import { callStreaming, installAwsLambdaGlobal } from '../support/streaming';

const USER = 'etaal-nic';
const PASSWORD = 'correct horse: battery staple';

let db: TestDynamo;
let connector: unknown;

const stored = (
  serviceCode: string,
  date: string,
  locationCode: string,
  count: number,
  phase: 'test' | 'live',
) =>
  ({
    serviceCode,
    date,
    locationCode,
    count,
    phase,
    departmentId: 'dept-1',
    updatedAt: '2026-11-25T04:00:00.000Z',
    history: [],
  }) satisfies StoredCount;

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  process.env.ETAAL_CONNECTOR_USERNAME = USER;
  process.env.ETAAL_CONNECTOR_PASSWORD = PASSWORD;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  installAwsLambdaGlobal();
  ({ handler: connector } = await import('../../lambdas/connector/handler'));
  const counts = [
    stored('DL-REV-0002', '2026-11-24', '0', 120, 'live'),
    stored('DL-REV-0001', '2026-11-24', 'NORTH', 7, 'live'),
    stored('DL-REV-0001', '2026-11-24', '0', 0, 'live'),
    // Test counts and other days never reach e-Taal.
    stored('DL-REV-0003', '2026-11-24', '0', 99, 'test'),
    stored('DL-REV-0001', '2026-11-23', '0', 55, 'live'),
  ];
  // A correction: the item holds the latest value, the replaced one only in its history.
  const corrected = {
    ...stored('DL-TPT-0001', '2026-11-24', '0', 31, 'live'),
    history: [{ count: 30, phase: 'live' as const, updatedAt: '2026-11-24T20:00:00.000Z' }],
  };
  await db.client.send(
    new BatchWriteCommand({
      RequestItems: {
        [db.tables.counts]: [...counts, corrected].map((c) => ({ PutRequest: { Item: toCountItem(c) } })),
      },
    }),
  );
});

afterAll(async () => {
  delete process.env.ETAAL_CONNECTOR_USERNAME;
  delete process.env.ETAAL_CONNECTOR_PASSWORD;
  await db?.stop();
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const viaGet = (query: Record<string, string>, authorization?: string) =>
  callStreaming(
    connector,
    apiEvent({
      method: 'GET',
      path: '/etaal/e-transaction-count',
      query,
      headers: authorization ? { Authorization: authorization } : {},
    }),
  );

const viaPost = (fields: Record<string, string>, sourceIp?: string) =>
  callStreaming(
    connector,
    apiEvent({
      method: 'POST',
      path: '/etaal/e-transaction-count',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      ...(sourceIp ? { sourceIp } : {}),
    }),
  );

const rows = (text: string) =>
  new XMLParser({ isArray: (name) => name === 'Row', parseTagValue: false }).parse(text).ETransactionCount
    .Row ?? [];

const EXPECTED_ROWS = [
  { ServiceCode: 'DL-REV-0001', ServiceCount: '0', LocationCode: '0' },
  { ServiceCode: 'DL-REV-0001', ServiceCount: '7', LocationCode: 'NORTH' },
  { ServiceCode: 'DL-REV-0002', ServiceCount: '120', LocationCode: '0' },
  { ServiceCode: 'DL-TPT-0001', ServiceCount: '31', LocationCode: '0' },
];

describe('e-Taal connector', () => {
  it('answers a GET with HTTP Basic with every live count of the date, latest values, as XML rows', async () => {
    const answer = await viaGet({ TransactionDate: '24/11/2026' }, basic(USER, PASSWORD));
    expect(answer.status).toBe(200);
    expect(answer.headers['Content-Type']).toBe('text/xml; charset=utf-8');
    expect(answer.text).toContain('<ETransactionCount TransactionDate="24/11/2026">');
    expect(rows(answer.text)).toEqual(EXPECTED_ROWS);
  });

  it('answers the guideline form POST the same way', async () => {
    const answer = await viaPost({ TransactionDate: '24/11/2026', UserName: USER, Password: PASSWORD });
    expect(answer.status).toBe(200);
    expect(rows(answer.text)).toEqual(EXPECTED_ROWS);
  });

  it('answers a date without live counts with no rows', async () => {
    const answer = await viaPost({ TransactionDate: '01/01/2026', UserName: USER, Password: PASSWORD });
    expect(rows(answer.text)).toEqual([]);
  });

  it.each([
    ['missing', {}],
    ['impossible', { TransactionDate: '30/02/2026' }],
    ['ISO-formatted', { TransactionDate: '2026-11-24' }],
    ['garbage', { TransactionDate: '<script>' }],
  ])('answers -1 for a %s date', async (_, fields) => {
    const post = await viaPost({ ...fields, UserName: USER, Password: PASSWORD });
    expect(rows(post.text)).toEqual([{ ServiceCode: '-1', ServiceCount: '-1', LocationCode: '-1' }]);
    const get = await viaGet(fields, basic(USER, PASSWORD));
    expect(rows(get.text)).toEqual([{ ServiceCode: '-1', ServiceCount: '-1', LocationCode: '-1' }]);
  });

  it.each([
    ['a wrong password', { UserName: USER, Password: `${PASSWORD}x` }],
    ['a wrong user name', { UserName: 'nic', Password: PASSWORD }],
    ['no credentials', {}],
    ['empty credentials', { UserName: '', Password: '' }],
  ])('answers -2 for %s, before looking at the date', async (_, credentials) => {
    const post = await viaPost({ TransactionDate: 'not a date', ...credentials });
    expect(post.status).toBe(200);
    expect(rows(post.text)).toEqual([{ ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' }]);
  });

  it('answers -2 to a GET without Basic credentials, or with them in the URL', async () => {
    for (const answer of [
      await viaGet({ TransactionDate: '24/11/2026' }),
      await viaGet({ TransactionDate: '24/11/2026', UserName: USER, Password: PASSWORD }),
      await viaGet({ TransactionDate: '24/11/2026' }, basic(USER, 'wrong')),
    ]) {
      expect(rows(answer.text)).toEqual([{ ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' }]);
    }
  });
});
