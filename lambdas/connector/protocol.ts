import { parseIsoDate } from '../core/iso-date';

/**
 * The e-Taal "Client Connector" web method e-Transaction Count, as NIC's guideline defines it: a
 * Transaction Date (DD/MM/YYYY) and credentials in, rows of ServiceCode, ServiceCount and LocationCode
 * out; `-1` for a missing or bad date and `-2` for wrong credentials, answered in the same row shape so
 * NIC's poller needs one parser. Pure: no AWS, no I/O.
 *
 * The document (UTF-8):
 *   <?xml version="1.0" encoding="utf-8"?>
 *   <ETransactionCount TransactionDate="25/11/2026">
 *     <Row><ServiceCode>DL-REV-001</ServiceCode><ServiceCount>42</ServiceCount><LocationCode>0</LocationCode></Row>
 *     ...
 *   </ETransactionCount>
 * An error is a single row whose three fields all carry the code, e.g. -2.
 */

export const CONNECTOR_ERROR = { badDate: -1, badCredentials: -2 } as const;
export type ConnectorErrorCode = (typeof CONNECTOR_ERROR)[keyof typeof CONNECTOR_ERROR];

export interface ConnectorRow {
  readonly serviceCode: string;
  readonly serviceCount: number;
  readonly locationCode: string;
}

const TRANSACTION_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** `DD/MM/YYYY` → `YYYY-MM-DD`, or undefined when absent or not a real date. */
export function parseTransactionDate(value: string | undefined): string | undefined {
  const match = value === undefined ? null : TRANSACTION_DATE.exec(value.trim());
  if (!match) return undefined;
  const [, dd, mm, yyyy] = match;
  const iso = `${yyyy}-${mm}-${dd}`;
  return parseIsoDate(iso) === undefined ? undefined : iso;
}

/** `YYYY-MM-DD` → `DD/MM/YYYY`. */
export function formatTransactionDate(isoDate: string): string {
  const [yyyy, mm, dd] = isoDate.split('-');
  return `${dd}/${mm}/${yyyy}`;
}

/**
 * The document in three parts, so a day of any size can be written row by row as it is read (the handler
 * streams it); `renderRows` is the same document built whole, for small answers and as the reference.
 */
export function documentHead(transactionDate: string | undefined): string {
  const dateAttribute = transactionDate === undefined ? '' : ` TransactionDate="${xmlText(transactionDate)}"`;
  return `<?xml version="1.0" encoding="utf-8"?>\n<ETransactionCount${dateAttribute}>\n`;
}

export function renderRow(row: ConnectorRow): string {
  return `  <Row><ServiceCode>${xmlText(row.serviceCode)}</ServiceCode><ServiceCount>${row.serviceCount}</ServiceCount><LocationCode>${xmlText(row.locationCode)}</LocationCode></Row>\n`;
}

export const DOCUMENT_TAIL = '</ETransactionCount>\n';

export function renderRows(transactionDate: string | undefined, rows: readonly ConnectorRow[]): string {
  return `${documentHead(transactionDate)}${[...rows].sort(compareRows).map(renderRow).join('')}${DOCUMENT_TAIL}`;
}

/** The row the guideline answers an error with: all three fields carry the code. */
export function errorRow(code: ConnectorErrorCode): ConnectorRow {
  const text = String(code);
  return { serviceCode: text, serviceCount: code, locationCode: text };
}

export function renderError(code: ConnectorErrorCode): string {
  return renderRows(undefined, [errorRow(code)]);
}

/** The order NIC has always received: by service code, then location code. */
export function compareRows(a: ConnectorRow, b: ConnectorRow): number {
  return a.serviceCode === b.serviceCode
    ? a.locationCode.localeCompare(b.locationCode)
    : a.serviceCode.localeCompare(b.serviceCode);
}

/**
 * Pages read in index order (service code, then location code by code unit) → batches of rows in
 * `compareRows` order. Government Service Codes (DL-DEPT-NNNN) sort the same both ways, so only the rows
 * of one service are held back and re-sorted (location codes may differ in case, where the two orders
 * differ): memory is bounded by a page and the locations of one service, not by the size of the day.
 */
export async function* inConnectorOrder(
  pages: AsyncIterable<readonly ConnectorRow[]>,
): AsyncGenerator<readonly ConnectorRow[]> {
  let carried: ConnectorRow[] = [];
  for await (const page of pages) {
    const rows = carried.length > 0 ? [...carried, ...page] : [...page];
    // The last service of a page may continue on the next one: hold it back.
    let lastGroupStart = rows.length;
    while (lastGroupStart > 0 && rows[lastGroupStart - 1]?.serviceCode === rows.at(-1)?.serviceCode)
      lastGroupStart--;
    carried = rows.slice(lastGroupStart);
    if (lastGroupStart > 0) yield sortGroups(rows.slice(0, lastGroupStart));
  }
  if (carried.length > 0) yield sortGroups(carried);
}

/** Rows already grouped by service code (in order): each group sorted by location, in place. */
function sortGroups(rows: ConnectorRow[]): ConnectorRow[] {
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i]?.serviceCode !== rows[start]?.serviceCode) {
      if (i - start > 1) {
        const group = rows.slice(start, i).sort(compareRows);
        rows.splice(start, group.length, ...group);
      }
      start = i;
    }
  }
  return rows;
}

/**
 * Credentials from HTTP Basic: `Authorization: Basic base64(user:password)`. The password may itself hold a
 * colon; the user name may not (RFC 7617).
 */
export function parseBasicAuthorization(
  header: string | undefined,
): { username: string; password: string } | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const XML_ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

export function xmlText(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => XML_ENTITIES[c] as string);
}
