import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectorRow } from '../../lambdas/connector/protocol';
import {
  installAwsLambdaGlobal,
  isStreamingHandler,
  LambdaResponseStream,
  readHttpIntegrationResponse,
} from '../../local/response-streaming';
import { apiEvent, lambdaContext } from '../support/api-event';

/**
 * 260k live rows (ten times a full day of the state) through the real handler and its response stream,
 * with the store replaced by pages of 4,000 rows (the DynamoDB side is covered in connector.test.ts and
 * measured at this size by `npm run bench`): every row arrives, in order, and reading never runs more than
 * a few pages ahead of the client, whatever the size of the day (the XML is ~30 MB; the buffered handler
 * died at 6 MB).
 */
const ROWS = 260_000;
const PAGE = 4_000;
const LOCATIONS = 13;

/** Rows the store has handed out so far, to see how far reading runs ahead of the client. */
const store = vi.hoisted(() => ({ rowsRead: 0 }));

vi.mock('../../lambdas/connector/guard', () => ({ authorise: async () => 'ok' }));
vi.mock('../../lambdas/connector/live-rows', () => ({
  liveRowPages: async function* (): AsyncGenerator<ConnectorRow[]> {
    for (let start = 0; start < ROWS; start += PAGE) {
      await new Promise((resolve) => setImmediate(resolve));
      store.rowsRead += Math.min(PAGE, ROWS - start);
      yield Array.from({ length: Math.min(PAGE, ROWS - start) }, (_, k) => {
        const i = start + k;
        return {
          serviceCode: `DL-D${String(Math.floor(i / LOCATIONS / 10_000)).padStart(2, '0')}-${String(Math.floor(i / LOCATIONS) % 10_000).padStart(4, '0')}`,
          serviceCount: i,
          locationCode: i % LOCATIONS === 0 ? '0' : `DIST-${String(i % LOCATIONS).padStart(2, '0')}`,
        };
      });
    }
  },
}));

let handler: unknown;
beforeAll(async () => {
  installAwsLambdaGlobal();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  ({ handler } = await import('../../lambdas/connector/handler'));
});

describe('a day of 260k live rows', () => {
  it('is answered completely, in order, reading at most a few pages ahead of the client', async () => {
    if (!isStreamingHandler(handler)) throw new TypeError('the connector is not a streaming handler');
    const event = apiEvent({
      method: 'POST',
      path: '/etaal/e-transaction-count',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'TransactionDate=25%2F11%2F2026&UserName=u&Password=p',
    });
    let maxAhead = 0;
    const stream = new LambdaResponseStream();
    const run = Promise.resolve(handler(event, stream, lambdaContext('ETaalConnector'))).then(() =>
      stream.end(),
    );
    const response = await readHttpIntegrationResponse(stream);
    expect(response.statusCode).toBe(200);

    let rows = 0;
    let bytes = 0;
    let previous = '';
    let ordered = true;
    let tail = '';
    for await (const chunk of response.body) {
      bytes += chunk.length;
      const text = tail + chunk.toString('utf8');
      const complete = text.lastIndexOf('</Row>') + '</Row>'.length;
      for (const match of text.slice(0, complete).matchAll(/<ServiceCount>(\d+)<\/ServiceCount>/g)) {
        const key = match[1] as string;
        if (previous !== '' && Number(key) !== Number(previous) + 1) ordered = false;
        previous = key;
        rows++;
      }
      tail = text.slice(complete);
      maxAhead = Math.max(maxAhead, store.rowsRead - rows);
      // A slow client: the stream's backpressure must hold the reading back.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await run;

    expect(rows).toBe(ROWS);
    expect(ordered).toBe(true);
    expect(tail).toBe('\n</ETransactionCount>\n');
    expect(bytes).toBeGreaterThan(25 * 2 ** 20);
    // Memory is bounded by what is read ahead of the client: a page, the next one, and stream buffers.
    expect(maxAhead).toBeLessThan(4 * PAGE);
  }, 60_000);
});
