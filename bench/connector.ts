/**
 * `npm run bench` (connector part): the e-Taal connector answering a whole day, against a local DynamoDB
 * (dynalite, in memory, in a process of its own so this process's heap is the connector's), for a realistic full day (26k live rows: 2,000 services × 13
 * locations) and ten times that (260k).
 *
 * Side by side, per day size:
 *   - bare:      a paged Query of the byDate index with the same projection, rows only counted (the
 *                floor: what reading the day costs at all);
 *   - connector: the real handler, called as Lambda calls a streaming function, its XML read to the end
 *                and its rows counted (every row must arrive).
 * It prints rows/s of each, connector/bare time (goal ≤ 2×), and the heap the connector grew by while
 * answering (bounded: it holds one page, not the day). dynalite is not DynamoDB: absolute speeds are
 * local; the ratio is what carries over. Rows are seeded with raw BatchWriteItem calls.
 */
import { performance } from 'node:perf_hooks';
import { BatchWriteItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { LOCAL_REGION } from '../local/aws';
import {
  installAwsLambdaGlobal,
  LambdaResponseStream,
  readHttpIntegrationResponse,
} from '../local/response-streaming';
import { startBenchDynamo } from './local-dynamo';

const DAYS = [
  { date: '2026-11-24', rows: 26_000 },
  { date: '2026-11-25', rows: 260_000 },
] as const;
const LOCATIONS = 13;
const USER = 'bench-nic';
const PASSWORD = 'bench-password';

async function main(): Promise<void> {
  const { db, tables } = await startBenchDynamo(
    { ETAAL_CONNECTOR_USERNAME: USER, ETAAL_CONNECTOR_PASSWORD: PASSWORD },
    { ownProcess: true },
  );
  const client = new DynamoDBClient({ endpoint: db.endpoint, region: LOCAL_REGION });

  installAwsLambdaGlobal();
  const { handler } = await import('../lambdas/connector/handler');
  const { toCountItem, byDateQuery } = await import('../lambdas/counts/repository');
  const { apiEvent, lambdaContext } = await import('../test/support/api-event');

  const results: { rows: number; bare: number; connector: number; liveHeapMb: number; bytes: number }[] = [];
  for (const day of DAYS) {
    const seedStart = performance.now();
    await seed(client, tables.counts, day.date, day.rows, toCountItem);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    console.log(`seeded ${day.rows} rows in ${seedSeconds.toFixed(1)} s (raw BatchWriteItem)`);

    // Bare: the same index, the same projection, nothing else.
    const bareStart = performance.now();
    let bareRows = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const query = byDateQuery(day.date, 'live');
      const page = await client.send(
        new QueryCommand({
          TableName: query.TableName,
          IndexName: query.IndexName,
          KeyConditionExpression: query.KeyConditionExpression,
          ExpressionAttributeValues: marshall(query.ExpressionAttributeValues),
          ProjectionExpression: 'serviceCode, #count, locationCode',
          ExpressionAttributeNames: { '#count': 'count' },
          ...(startKey ? { ExclusiveStartKey: startKey as never } : {}),
        }),
      );
      bareRows += page.Items?.length ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const bare = (performance.now() - bareStart) / 1000;
    if (bareRows !== day.rows) throw new Error(`bare read found ${bareRows} rows, expected ${day.rows}`);

    // Connector: timed, then once more untimed for memory (live heap after a GC every few chunks).
    const timed = await answerDay(day.date, day.rows);
    const measured = await answerDay(day.date, day.rows, { gcEvery: 16 });
    const connector = timed.seconds;
    const bytes = timed.bytes;
    results.push({ rows: day.rows, bare, connector, liveHeapMb: measured.liveHeapGrowth / 2 ** 20, bytes });
    console.log(
      `${day.rows} rows: bare ${bare.toFixed(2)} s, connector ${connector.toFixed(2)} s (${(connector / bare).toFixed(2)}×)`,
    );
  }
  await db.stop();

  console.log(
    '\nConnector benchmark: one day of live rows, streamed XML vs a bare paged read, local dynalite',
  );
  console.table(
    results.map((r) => ({
      'live rows': r.rows,
      'bare read rows/s': Math.round(r.rows / r.bare),
      'connector rows/s': Math.round(r.rows / r.connector),
      'connector / bare time': `${(r.connector / r.bare).toFixed(2)}×`,
      'XML MB': (r.bytes / 2 ** 20).toFixed(1),
      'connector live heap growth MB': r.liveHeapMb.toFixed(1),
    })),
  );
  console.log(
    'Goal: connector / bare time ≤ 2×. Live heap growth: the most the heap held above its start, measured after a GC every 16 chunks of a second, untimed answer (bounded: a page or two, whatever the day).',
  );

  /** One answer of the connector, called as Lambda calls a streaming function, its body read to the end. */
  async function answerDay(
    date: string,
    expectedRows: number,
    options: { gcEvery?: number } = {},
  ): Promise<{ seconds: number; bytes: number; liveHeapGrowth: number }> {
    const gc = options.gcEvery ? global.gc : undefined;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let liveHeapPeak = heapBefore;
    const started = performance.now();
    const stream = new LambdaResponseStream();
    const [yyyy, mm, dd] = date.split('-');
    const event = apiEvent({
      method: 'POST',
      path: '/etaal/e-transaction-count',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        TransactionDate: `${dd}/${mm}/${yyyy}`,
        UserName: USER,
        Password: PASSWORD,
      }).toString(),
    });
    const run = (handler as unknown as (e: unknown, s: LambdaResponseStream, c: unknown) => Promise<void>)(
      event,
      stream,
      lambdaContext('ETaalConnector'),
    ).then(() => stream.end());
    const response = await readHttpIntegrationResponse(stream);
    let rows = 0;
    let bytes = 0;
    let chunks = 0;
    let carry = '';
    for await (const chunk of response.body) {
      bytes += chunk.length;
      const text = carry + chunk.toString('utf8');
      rows += text.split('<Row>').length - 1;
      carry = text.slice(-4);
      if (gc && ++chunks % (options.gcEvery ?? 1) === 0) {
        gc();
        liveHeapPeak = Math.max(liveHeapPeak, process.memoryUsage().heapUsed);
      }
    }
    await run;
    const seconds = (performance.now() - started) / 1000;
    if (response.statusCode !== 200 || rows !== expectedRows) {
      throw new Error(
        `connector answered ${response.statusCode} with ${rows} rows, expected ${expectedRows}`,
      );
    }
    return { seconds, bytes, liveHeapGrowth: liveHeapPeak - heapBefore };
  }
}

/** Raw BatchWriteItem, pre-marshalled, 16 batches in flight: seeding is not what is measured. */
async function seed(
  client: DynamoDBClient,
  table: string,
  date: string,
  rows: number,
  toCountItem: (count: import('../lambdas/core/counts').StoredCount) => Record<string, unknown>,
): Promise<void> {
  const items = Array.from({ length: rows }, (_, i) =>
    marshall(
      toCountItem({
        serviceCode: `DL-D${String(Math.floor(i / LOCATIONS / 1000)).padStart(2, '0')}-${String((Math.floor(i / LOCATIONS) % 1000) + 1).padStart(4, '0')}`,
        date,
        locationCode: i % LOCATIONS === 0 ? '0' : `DIST-${String(i % LOCATIONS).padStart(2, '0')}`,
        count: (i * 37) % 5000,
        phase: 'live',
        departmentId: 'bench',
        updatedAt: '2026-11-25T04:00:00.000Z',
      }),
      { removeUndefinedValues: true },
    ),
  );
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < batches.length) {
        let pending = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }
    }),
  );
}

await main();
