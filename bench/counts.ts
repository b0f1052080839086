/**
 * `npm run bench`: the count push path against a local DynamoDB (dynalite, in memory, on 127.0.0.1).
 *
 * Side by side, for 1,000 daily totals:
 *   - real:   one `PUT /v1/counts` request through the real handler (auth, rate limit, validation, one
 *             BatchGetItem of the codes, BatchWriteItem chunks of 25; no read of the stored values);
 *   - corrections log: what the Counts stream consumer then does for those 1,000 corrections
 *             (lambdas/counts/corrections-log.ts: one small revision item per changed value, no index
 *             entry), fed the stream records AWS would deliver; new daily totals cost nothing here;
 *   - floor:  the store's floor: the same 1,000 items pre-built (as the real path stores them), written
 *             with raw BatchWriteItem chunks: no validation, no reads;
 *   - naive:  the same items written the way a first version would: one PutItem per count, in order;
 *   - resend: the real request sent again unchanged (what a client retry costs: the same writes again;
 *             the stream consumer keeps no revision for them).
 * Every path writes new values for the same 1,000 keys each run, so every `real` count is a correction.
 * It prints counts/s, the ratios, DynamoDB requests per count, and the AWS cost per million counts with
 * the prices below, from the capacity units DynamoDB reports for each request (ReturnConsumedCapacity),
 * with and without the byDate index entry each count write also makes. dynalite is not DynamoDB: the
 * absolute speeds are local, the request counts, units and ratios are what carry over.
 */
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { startBenchDynamo } from './local-dynamo';

/**
 * AWS list prices, ap-south-1 (Mumbai), USD, as of 2026-11. Re-check them on the AWS pricing pages
 * before quoting a figure: they change, and this file is not updated by AWS.
 */
const PRICES = {
  date: '2026-11',
  region: 'ap-south-1',
  /** API Gateway REST API, per request (first 333 million a month). */
  apiGatewayRestPerRequest: 3.5 / 1e6,
  /** Lambda, per request. */
  lambdaPerRequest: 0.2 / 1e6,
  /** Lambda arm64, per GB-second (first 6 billion GB-s a month). */
  lambdaArmPerGbSecond: 0.0000133334,
  /** DynamoDB on-demand, Standard table class, per write request unit (1 KB). */
  dynamoPerWriteUnit: 0.7116 / 1e6,
  /** DynamoDB on-demand, per read request unit (a strongly consistent read of up to 4 KB). */
  dynamoPerReadUnit: 0.1423 / 1e6,
} as const;

/** PushCounts' memory in lambdas/counts/functions.ts. */
const LAMBDA_MEMORY_GB = 0.5;
const ITEMS = 1000;
const RUNS = 9;
const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
]);

interface Capacity {
  TableName?: string;
  CapacityUnits?: number;
}

interface Units {
  /** Write units of the base tables, as DynamoDB reports them. */
  writeUnits: number;
  /** Write units of the byDate index: one entry per count item written, as big as the item (ALL projection). */
  indexWriteUnits: number;
  readUnits: number;
}

interface Run extends Units {
  seconds: number;
  dynamoRequests: number;
  /** Whether the path goes through API Gateway and the push Lambda (the others are bare writes). */
  viaApi: boolean;
}

async function main(): Promise<void> {
  const { db, tables } = await startBenchDynamo({ COUNTS_REQUESTS_PER_MINUTE: '1000000' });

  // Imported after the environment is set: the modules create their clients from it.
  const { dynamo } = await import('../lambdas/shared/aws');
  const { PutCommand, ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const { createDepartment } = await import('../lambdas/departments/repository');
  const { handler } = (await import('../lambdas/entries/push-counts')) as {
    handler: (event: APIGatewayProxyEvent, context: Context) => Promise<{ statusCode: number; body: string }>;
  };
  const { toCountItem } = await import('../lambdas/counts/repository');
  const { recordCorrections } = await import('../lambdas/counts/corrections-log');
  const { marshall } = await import('@aws-sdk/util-dynamodb');
  const { batchPut } = await import('../lambdas/counts/batch');
  const { apiEvent, lambdaContext } = await import('../test/support/api-event');
  const { istDateOf } = await import('../lambdas/core/calendar');
  const { formatDayNumber, requireIsoDate } = await import('../lambdas/core/iso-date');

  /** Revision items carry no byDate key: their writes make no index entry. */
  let revisionWrites = false;
  const requests = { total: 0, units: { writeUnits: 0, indexWriteUnits: 0, readUnits: 0 } as Units };
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      requests.total++;
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      const write = WRITE_COMMANDS.has(String(context.commandName));
      const indexed = !revisionWrites;
      for (const capacity of [consumed ?? []].flat()) {
        const units = capacity.CapacityUnits ?? 0;
        if (!write) requests.units.readUnits += units;
        else {
          requests.units.writeUnits += units;
          if (capacity.TableName === tables.counts && indexed) requests.units.indexWriteUnits += units;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );

  const { department, apiKey } = await createDepartment({ code: 'BENCH', name: 'Benchmark department' });
  const serviceCodes = ['DL-BENCH-0001', 'DL-BENCH-0002', 'DL-BENCH-0003', 'DL-BENCH-0004'];
  for (const serviceCode of serviceCodes) {
    await dynamo.send(
      new PutCommand({
        TableName: tables.serviceCodes,
        Item: {
          pk: `CODE#${serviceCode}`,
          sk: 'SERVICE',
          serviceCode,
          departmentId: department.departmentId,
          onboardingId: 'bench',
          status: 'live',
          category: 'G2C',
        },
      }),
    );
  }

  const today = requireIsoDate(istDateOf(new Date()));
  /** 1,000 distinct daily totals: 4 services × 25 days × 10 locations; `run` makes every value new. */
  const counts = (run: number) =>
    Array.from({ length: ITEMS }, (_, i) => ({
      serviceCode: serviceCodes[i % 4] as string,
      date: formatDayNumber(today - 1 - (Math.floor(i / 4) % 25)),
      locationCode: `LOC${Math.floor(i / 100)}`,
      count: run * 10_000 + i,
    }));

  const measure = async (viaApi: boolean, work: () => Promise<void>): Promise<Run> => {
    const before = { total: requests.total, ...requests.units };
    const started = performance.now();
    await work();
    return {
      seconds: (performance.now() - started) / 1000,
      dynamoRequests: requests.total - before.total,
      writeUnits: requests.units.writeUnits - before.writeUnits,
      indexWriteUnits: requests.units.indexWriteUnits - before.indexWriteUnits,
      readUnits: requests.units.readUnits - before.readUnits,
      viaApi,
    };
  };

  const real = (run: number) =>
    measure(true, async () => {
      const result = await handler(
        apiEvent({
          method: 'PUT',
          path: '/v1/counts',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: JSON.stringify({ counts: counts(run) }),
        }),
        lambdaContext('PushCounts'),
      );
      if (result.statusCode !== 200)
        throw new Error(`real handler answered ${result.statusCode}: ${result.body}`);
      const { written } = JSON.parse(result.body) as { written: number };
      if (written !== ITEMS) throw new Error(`unexpected writes: ${written}`);
    });

  const countItems = (run: number) => {
    const updatedAt = new Date().toISOString();
    return counts(run).map((count) =>
      toCountItem({ ...count, departmentId: department.departmentId, phase: 'live', updatedAt }),
    );
  };

  /** The floor writes the items the real path stores, with a new value, pre-built before the clock starts. */
  const floor = (run: number) => {
    const items = countItems(run);
    return measure(false, () => batchPut(tables.counts, items));
  };

  const countItemsByKey = async () =>
    new Map(
      (await allItems(tables.counts))
        .filter((item) => String(item.sk).startsWith('DAY#'))
        .map((item) => [`${item.pk}|${item.sk}`, item] as const),
    );

  /** The stream records of the changes between two snapshots, as DynamoDB Streams delivers them. */
  let sequence = 0;
  const streamRecords = (before: Map<string, Record<string, unknown>>, after: typeof before) =>
    [...after].map(([key, newImage]) => {
      const oldImage = before.get(key);
      return {
        eventName: oldImage ? ('MODIFY' as const) : ('INSERT' as const),
        dynamodb: {
          Keys: marshall({ pk: newImage.pk, sk: newImage.sk }),
          NewImage: marshall(newImage),
          ...(oldImage ? { OldImage: marshall(oldImage) } : {}),
          SequenceNumber: String(++sequence).padStart(21, '0'),
          StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
        },
      };
    });

  /** A real push, then the corrections log of the stream records it caused (measured apart). */
  const realWithLog = async (run: number) => {
    const before = await countItemsByKey();
    const push = await real(run);
    const records = streamRecords(before, await countItemsByKey());
    revisionWrites = true;
    const log = await measure(false, () => recordCorrections(records as never));
    revisionWrites = false;
    return { push, log };
  };

  const allItems = async (table: string) => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  const naive = (run: number) =>
    measure(false, async () => {
      for (const Item of countItems(run)) {
        await dynamo.send(new PutCommand({ TableName: tables.counts, Item }));
      }
    });

  // Warm-up (module init, connection pool, JIT), not measured.
  await realWithLog(0);
  await floor(50);
  await naive(0);

  const results = {
    real: [] as Run[],
    'corrections log': [] as Run[],
    floor: [] as Run[],
    naive: [] as Run[],
    resend: [] as Run[],
  };
  for (let run = 1; run <= RUNS; run++) {
    const { push, log } = await realWithLog(run);
    results.real.push(push);
    results['corrections log'].push(log);
    results.resend.push(await real(run));
    results.floor.push(await floor(run + 50));
    results.naive.push(await naive(run + 100));
  }
  await db.stop();

  const rows = Object.entries(results).map(([name, runs]) => summarize(name, runs));
  const [realRow, logRow, floorRow, naiveRow] = rows as [Summary, Summary, Summary, Summary];
  console.log(`\nCount push benchmark: ${ITEMS} counts per request, median of ${RUNS} runs, local dynalite`);
  console.table(
    rows.map((row) => ({
      path: row.name,
      'counts/s': Math.round(row.countsPerSecond),
      'ms/request': Math.round(row.seconds * 1000),
      'DynamoDB requests/count': row.requestsPerCount.toFixed(3),
      'WCU/count': row.writeUnitsPerCount.toFixed(3),
      'RCU/count': row.readUnitsPerCount.toFixed(3),
      'USD/M counts': row.costPerMillion.total.toFixed(4),
      'USD/M without index': row.costPerMillion.totalWithoutIndex.toFixed(4),
      'API GW': row.costPerMillion.apiGateway.toFixed(4),
      Lambda: row.costPerMillion.lambda.toFixed(4),
      DynamoDB: row.costPerMillion.dynamo.toFixed(4),
    })),
  );
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(
    `real / floor throughput: ${ratio(realRow.countsPerSecond, floorRow.countsPerSecond)} (goal ≥ 0.8×);` +
      ` real / naive throughput: ${ratio(realRow.countsPerSecond, naiveRow.countsPerSecond)} (goal ≥ 10×)`,
  );
  console.log(
    `real / floor cost per count: ${ratio(realRow.costPerMillion.total, floorRow.costPerMillion.total)} with the index,` +
      ` ${ratio(realRow.costPerMillion.totalWithoutIndex, floorRow.costPerMillion.totalWithoutIndex)} without (goal ≤ 1.1×);` +
      ` when every count is a correction, with its corrections log:` +
      ` ${ratio(realRow.costPerMillion.total + logRow.costPerMillion.total, floorRow.costPerMillion.total)} with the index`,
  );
  console.log(
    `Prices: ${PRICES.region}, ${PRICES.date}; Lambda arm64 at ${LAMBDA_MEMORY_GB * 1024} MB billed for the local duration` +
      ' (one request carries 1,000 counts); DynamoDB on-demand, units as reported per request; floor and naive' +
      ' are bare writes (no API Gateway or Lambda), so real / floor compares the whole path with the store alone.',
  );
}

interface Summary {
  name: string;
  seconds: number;
  countsPerSecond: number;
  requestsPerCount: number;
  writeUnitsPerCount: number;
  readUnitsPerCount: number;
  costPerMillion: {
    apiGateway: number;
    lambda: number;
    dynamo: number;
    total: number;
    totalWithoutIndex: number;
  };
}

function summarize(name: string, runs: readonly Run[]): Summary {
  const run = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as Run;
  const requestsPerMillion = 1e6 / ITEMS;
  const apiGateway = run.viaApi ? requestsPerMillion * PRICES.apiGatewayRestPerRequest : 0;
  const lambda = run.viaApi
    ? requestsPerMillion *
      (PRICES.lambdaPerRequest + run.seconds * LAMBDA_MEMORY_GB * PRICES.lambdaArmPerGbSecond)
    : 0;
  const reads = requestsPerMillion * run.readUnits * PRICES.dynamoPerReadUnit;
  const tableWrites = requestsPerMillion * run.writeUnits * PRICES.dynamoPerWriteUnit;
  const indexWrites = requestsPerMillion * run.indexWriteUnits * PRICES.dynamoPerWriteUnit;
  const dynamo = reads + tableWrites + indexWrites;
  return {
    name,
    seconds: run.seconds,
    countsPerSecond: ITEMS / run.seconds,
    requestsPerCount: run.dynamoRequests / ITEMS,
    writeUnitsPerCount: (run.writeUnits + run.indexWriteUnits) / ITEMS,
    readUnitsPerCount: run.readUnits / ITEMS,
    costPerMillion: {
      apiGateway,
      lambda,
      dynamo,
      total: apiGateway + lambda + dynamo,
      totalWithoutIndex: apiGateway + lambda + reads + tableWrites,
    },
  };
}

await main();
