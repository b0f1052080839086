import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FREE_FAILURES } from '../../lambdas/connector/lockout';
import { renderRows } from '../../lambdas/connector/protocol';
import { URL_CREDENTIALS_ENV } from '../../lambdas/connector/settings';
import type { StoredCount } from '../../lambdas/core/counts';
import { toCountItem } from '../../lambdas/counts/repository';
import { metrics } from '../../lambdas/shared/observability';
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
  // A correction: the item holds the latest value, the replaced one only in the corrections log.
  const corrected = stored('DL-TPT-0001', '2026-11-24', '0', 31, 'live');
  await seed([...counts, corrected]);
});

/** `padding`: an attribute of that many bytes on every item, which the answer must never read. */
async function seed(counts: readonly StoredCount[], padding = 0): Promise<void> {
  const batches: StoredCount[][] = [];
  for (let i = 0; i < counts.length; i += 25) batches.push(counts.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(
      batches.slice(i, i + 16).map((batch) =>
        db.client.send(
          new BatchWriteCommand({
            RequestItems: {
              [db.tables.counts]: batch.map((c) => ({
                PutRequest: {
                  Item: { ...toCountItem(c), ...(padding > 0 ? { padding: 'x'.repeat(padding) } : {}) },
                },
              })),
            },
          }),
        ),
      ),
    );
  }
}

afterAll(async () => {
  delete process.env.ETAAL_CONNECTOR_USERNAME;
  delete process.env.ETAAL_CONNECTOR_PASSWORD;
  await db?.stop();
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const viaGet = (query: Record<string, string>, authorization?: string, sourceIp?: string) =>
  callStreaming(
    connector,
    apiEvent({
      method: 'GET',
      path: '/etaal/e-transaction-count',
      query,
      headers: authorization ? { Authorization: authorization } : {},
      ...(sourceIp ? { sourceIp } : {}),
    }),
  );

/**
 * Where the tests of wrong credentials call from: their failures put that address into back-off (see
 * ./lockout.test.ts), which must not turn later tests' right credentials into -2 answers.
 */
const WRONG_CREDENTIALS_IP = '192.0.2.20';

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
    const post = await viaPost({ TransactionDate: 'not a date', ...credentials }, WRONG_CREDENTIALS_IP);
    expect(post.status).toBe(200);
    expect(rows(post.text)).toEqual([{ ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' }]);
  });

  it('answers -2 to a GET without Basic credentials, or with them in the URL', async () => {
    for (const answer of [
      await viaGet({ TransactionDate: '24/11/2026' }, undefined, WRONG_CREDENTIALS_IP),
      await viaGet(
        { TransactionDate: '24/11/2026', UserName: USER, Password: PASSWORD },
        undefined,
        WRONG_CREDENTIALS_IP,
      ),
      await viaGet({ TransactionDate: '24/11/2026' }, basic(USER, 'wrong'), WRONG_CREDENTIALS_IP),
    ]) {
      expect(rows(answer.text)).toEqual([{ ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' }]);
    }
  });
});

describe('e-Taal connector: guessing the credentials (issue 11)', () => {
  it('limits 300 wrong passwords from one address (back-off, then a block), counts them, and keeps NIC working from another address', async () => {
    const recorded: string[] = [];
    const realSingleMetric = metrics.singleMetric.bind(metrics);
    const spy = vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const metric = realSingleMetric();
      let outcome = '';
      const addDimension = metric.addDimension.bind(metric);
      const addMetric = metric.addMetric.bind(metric);
      metric.addDimension = (name, value) => {
        if (name === 'outcome') outcome = value;
        return addDimension(name, value);
      };
      metric.addMetric = (name, unit, value) => {
        recorded.push(outcome ? `${name}:${outcome}` : name);
        return addMetric(name, unit, value);
      };
      return metric;
    });
    try {
      const attacker = '203.0.113.66';
      for (let i = 0; i < 300; i++) {
        const answer = await viaPost(
          { TransactionDate: '24/11/2026', UserName: USER, Password: `guess-${i}` },
          attacker,
        );
        expect(rows(answer.text)).toEqual([{ ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' }]);
      }
      // Blocked: even the right password from that address is answered -2, without being checked.
      const fromAttacker = await viaPost(
        { TransactionDate: '24/11/2026', UserName: USER, Password: PASSWORD },
        attacker,
      );
      expect(rows(fromAttacker.text)).toEqual([
        { ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' },
      ]);
      // NIC, from its own address, meanwhile:
      const nic = await viaPost(
        { TransactionDate: '24/11/2026', UserName: USER, Password: PASSWORD },
        '198.51.100.10',
      );
      expect(rows(nic.text)).toEqual(EXPECTED_ROWS);

      const count = (name: string) => recorded.filter((r) => r === name).length;
      expect(count('ConnectorCalls:badCredentials')).toBe(FREE_FAILURES);
      expect(count('ConnectorCalls:throttled')).toBe(300 - FREE_FAILURES + 1);
      expect(count('ConnectorSourceBlocked')).toBe(1);
      expect(count('ConnectorCalls:ok')).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('e-Taal connector: a day of any size (issue 12)', () => {
  it('streams a day of several 1 MB pages byte-identical to the document built whole', async () => {
    const date = '2026-11-20';
    // Location codes that differ in case and punctuation, where index order and the answer's order differ.
    const locations = ['0', 'a', 'B', 'north', 'North', 'x-1', 'X_2', 'z.9'];
    const counts: StoredCount[] = [];
    for (let service = 1; counts.length < 3_000; service++) {
      for (const location of locations) {
        const code = `DL-${service % 3 === 0 ? 'TPT' : 'REV'}-${String(service).padStart(4, '0')}`;
        counts.push(stored(code, date, location, (service * 7) % 1000, 'live'));
      }
    }
    // Padded items make 3,000 of them span several of DynamoDB's 1 MB pages; the answer never reads it.
    await seed(counts, 1000);
    const answer = await viaGet({ TransactionDate: '20/11/2026' }, basic(USER, PASSWORD));
    expect(answer.status).toBe(200);
    const expected = renderRows(
      '20/11/2026',
      counts.map((c) => ({
        serviceCode: c.serviceCode,
        serviceCount: c.count,
        locationCode: c.locationCode,
      })),
    );
    expect(answer.text.length).toBe(expected.length);
    expect(answer.text === expected).toBe(true);
  });
});

describe('e-Taal connector: URL credentials (a deployment setting)', () => {
  it('answers a GET with UserName/Password in the query only when the setting is on', async () => {
    const query = { TransactionDate: '24/11/2026', UserName: USER, Password: PASSWORD };
    process.env[URL_CREDENTIALS_ENV] = 'true';
    try {
      expect(rows((await viaGet(query)).text)).toEqual(EXPECTED_ROWS);
    } finally {
      delete process.env[URL_CREDENTIALS_ENV];
    }
    expect(rows((await viaGet(query)).text)).toEqual([
      { ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' },
    ]);
  });
});

describe('e-Taal connector: SOAP requests that are not our operation', () => {
  const soapPost = (body: string) =>
    callStreaming(
      connector,
      apiEvent({
        method: 'POST',
        path: '/etaal/e-transaction-count',
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          SOAPAction: '"urn:etaal-delhi:connector:v1/ETransactionCount"',
        },
        body,
      }),
    );

  it.each([
    ['not XML', 'hello'],
    ['a DTD', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'],
    [
      'another operation',
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Other/></soap:Body></soap:Envelope>',
    ],
  ])('answers %s with a SOAP Client fault (status 500, as SOAP 1.1 says)', async (_, body) => {
    const answer = await soapPost(body);
    expect(answer.status).toBe(500);
    expect(answer.headers['Content-Type']).toBe('text/xml; charset=utf-8');
    expect(answer.text).toContain('<faultcode>soap:Client</faultcode>');
  });
});

describe('e-Taal connector: requests refused before any check', () => {
  const post = (contentType: string | undefined, body: string) =>
    callStreaming(
      connector,
      apiEvent({
        method: 'POST',
        path: '/etaal/e-transaction-count',
        headers: contentType ? { 'Content-Type': contentType } : {},
        body,
      }),
    );

  it.each([
    ['an empty form', 'application/x-www-form-urlencoded', '', 400],
    ['a form over 4 KB', 'application/x-www-form-urlencoded', `a=${'x'.repeat(5000)}`, 413],
    ['JSON', 'application/json', '{"TransactionDate":"24/11/2026"}', 415],
    ['no content type', undefined, 'TransactionDate=24/11/2026', 415],
  ])(
    'answers %s with its status, as XML (never a JSON problem to NIC)',
    async (_, contentType, body, status) => {
      const answer = await post(contentType, body);
      expect(answer.status).toBe(status);
      expect(answer.headers['Content-Type']).toBe('text/xml; charset=utf-8');
      expect(answer.text).toMatch(
        new RegExp(`^<\\?xml[^>]*>\\n<Error><Status>${status}</Status><Message>.+</Message></Error>\\n$`),
      );
    },
  );
});
