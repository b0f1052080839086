import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { credentialsMatch } from '../../lambdas/connector/credentials';
import {
  type ConnectorRow,
  compareRows,
  formatTransactionDate,
  inConnectorOrder,
  parseBasicAuthorization,
  parseTransactionDate,
  renderError,
  renderRows,
} from '../../lambdas/connector/protocol';

const parse = (text: string) =>
  new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'Row', parseTagValue: false }).parse(
    text,
  );

describe('connector protocol', () => {
  it('reads DD/MM/YYYY dates and refuses impossible or missing ones', () => {
    expect(parseTransactionDate('24/11/2026')).toBe('2026-11-24');
    expect(parseTransactionDate(' 01/01/2026 ')).toBe('2026-01-01');
    for (const bad of [undefined, '', '30/02/2026', '2026-11-24', '24/11/26', '24-11-2026', '32/01/2026']) {
      expect(parseTransactionDate(bad)).toBeUndefined();
    }
    expect(formatTransactionDate('2026-11-24')).toBe('24/11/2026');
  });

  it('renders rows of ServiceCode, ServiceCount and LocationCode under one root', () => {
    const doc = parse(
      renderRows('24/11/2026', [
        { serviceCode: 'DL-REV-0001', serviceCount: 42, locationCode: '0' },
        { serviceCode: 'DL-REV-0002', serviceCount: 0, locationCode: 'A&B' },
      ]),
    );
    expect(doc.ETransactionCount['@_TransactionDate']).toBe('24/11/2026');
    expect(doc.ETransactionCount.Row).toEqual([
      { ServiceCode: 'DL-REV-0001', ServiceCount: '42', LocationCode: '0' },
      { ServiceCode: 'DL-REV-0002', ServiceCount: '0', LocationCode: 'A&B' },
    ]);
  });

  it('answers errors in the same row shape', () => {
    expect(parse(renderError(-2)).ETransactionCount.Row).toEqual([
      { ServiceCode: '-2', ServiceCount: '-2', LocationCode: '-2' },
    ]);
  });

  it('reads HTTP Basic credentials, a colon in the password included', () => {
    const header = `Basic ${Buffer.from('nic:pa:ss').toString('base64')}`;
    expect(parseBasicAuthorization(header)).toEqual({ username: 'nic', password: 'pa:ss' });
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
  });

  it('matches credentials only when both fields match and credentials are configured', () => {
    const expected = { username: 'nic', password: 's3cret' };
    expect(credentialsMatch(expected, { username: 'nic', password: 's3cret' })).toBe(true);
    expect(credentialsMatch(expected, { username: 'nic', password: 's3cret ' })).toBe(false);
    expect(credentialsMatch(expected, { username: 'NIC', password: 's3cret' })).toBe(false);
    expect(credentialsMatch(expected, {})).toBe(false);
    expect(credentialsMatch(undefined, { username: '', password: '' })).toBe(false);
  });
});

describe('rows in answer order from index-ordered pages', () => {
  const serviceCode = fc
    .tuple(fc.stringMatching(/^[A-Z0-9]{2,10}$/), fc.integer({ min: 1, max: 20_000 }))
    .map(([department, n]) => `DL-${department}-${String(n).padStart(4, '0')}`);
  const locationCode = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,5}$/);
  /** The byDate index's sort key order: `…#CODE#<serviceCode>#LOC#<locationCode>`, by code unit. */
  const indexKey = (row: ConnectorRow) => `${row.serviceCode}#LOC#${row.locationCode}`;

  it('equals the whole day sorted by compareRows, however the pages split it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ serviceCode, locationCode, serviceCount: fc.nat() }), {
          selector: (row) => `${row.serviceCode}#${row.locationCode}`,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 7 }),
        async (rows, pageSize) => {
          const indexOrder = [...rows].sort((a, b) => (indexKey(a) < indexKey(b) ? -1 : 1));
          async function* pages() {
            for (let i = 0; i < indexOrder.length; i += pageSize) yield indexOrder.slice(i, i + pageSize);
          }
          const answered: ConnectorRow[] = [];
          for await (const batch of inConnectorOrder(pages())) answered.push(...batch);
          expect(answered).toEqual([...rows].sort(compareRows));
        },
      ),
    );
  });
});
