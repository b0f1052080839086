/**
 * `npm run bench`: the count push path against a local DynamoDB (dynalite, in memory, on 127.0.0.1).
 *
 * Side by side, for 1,000 daily totals:
 *   - real:   one `PUT /v1/counts` request through the real handler (auth, rate limit, validation, one
 *             BatchGetItem of the codes, consistent BatchGetItems of the stored values for the history,
 *             BatchWriteItem chunks of 25);
 *   - naive:  the same items written the way a first version would: one PutItem per count, in order;
 *   - resend: the real request sent again unchanged (what a client retry costs: reads, no writes).
 * It prints counts/s, their ratio, DynamoDB requests per count, and the estimated AWS cost per million
 * counts with the prices below. dynalite is not DynamoDB: the absolute speeds are local, the request
 * counts and the ratios are what carry over.
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
const RUNS = 5;

interface Run {
  seconds: number;
  dynamoRequests: number;
  /** Write units: one per item written to the table plus one for its byDate index entry (items < 1 KB). */
  writeUnits: number;
  /** Read units: strongly consistent reads of small items, one each. */
  readUnits: number;
}

async function main(): Promise<void> {
  const { db, tables } = await startBenchDynamo({ COUNTS_REQUESTS_PER_MINUTE: '1000000' });

  // Imported after the environment is set: the modules create their clients from it.
  const { dynamo } = await import('../lambdas/shared/aws');
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const { createDepartment } = await import('../lambdas/departments/repository');
  const { handler } = (await import('../lambdas/counts/push')) as {
    handler: (event: APIGatewayProxyEvent, context: Context) => Promise<{ statusCode: number; body: string }>;
  };
  const { toCountItem } = await import('../lambdas/counts/repository');
  const { apiEvent, lambdaContext } = await import('../test/support/api-event');
  const { istDateOf } = await import('../lambdas/core/calendar');
  const { formatDayNumber, requireIsoDate } = await import('../lambdas/core/iso-date');

  const requests = { total: 0, byCommand: new Map<string, number>() };
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      requests.total++;
      const name = String(context.commandName);
      requests.byCommand.set(name, (requests.byCommand.get(name) ?? 0) + 1);
      return next(args);
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

  const measure = async (work: () => Promise<{ writeUnits: number; readUnits: number }>): Promise<Run> => {
    const before = requests.total;
    const started = performance.now();
    const units = await work();
    return {
      seconds: (performance.now() - started) / 1000,
      dynamoRequests: requests.total - before,
      ...units,
    };
  };

  const real = (run: number, expectWrites: boolean) =>
    measure(async () => {
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
      if (expectWrites !== (written === ITEMS)) throw new Error(`unexpected writes: ${written}`);
      // 1 auth read + 1 rate-limit update + 1 read per code + 1 consistent read per count; writes as stored.
      return { writeUnits: 1 + written * 2, readUnits: 1 + serviceCodes.length + ITEMS };
    });

  const naive = (run: number) =>
    measure(async () => {
      const updatedAt = new Date().toISOString();
      for (const count of counts(run)) {
        await dynamo.send(
          new PutCommand({
            TableName: tables.counts,
            Item: toCountItem({
              ...count,
              departmentId: department.departmentId,
              phase: 'live',
              updatedAt,
              history: [],
            }),
          }),
        );
      }
      return { writeUnits: ITEMS * 2, readUnits: 0 };
    });

  // Warm-up (module init, connection pool, JIT), not measured.
  await real(0, true);
  await naive(0);

  const results = { real: [] as Run[], naive: [] as Run[], resend: [] as Run[] };
  for (let run = 1; run <= RUNS; run++) {
    results.real.push(await real(run, true));
    results.resend.push(await real(run, false));
    results.naive.push(await naive(run + 100));
  }
  await db.stop();

  const rows = Object.entries(results).map(([name, runs]) => summarize(name, runs));
  const realRow = rows[0] as Summary;
  const naiveRow = rows[1] as Summary;
  console.log(`\nCount push benchmark: ${ITEMS} counts per request, median of ${RUNS} runs, local dynalite`);
  console.table(
    rows.map((row) => ({
      path: row.name,
      'counts/s': Math.round(row.countsPerSecond),
      'ms/request': Math.round(row.seconds * 1000),
      'DynamoDB requests/count': row.requestsPerCount.toFixed(3),
      'USD per million counts': row.costPerMillion.total.toFixed(4),
      'API GW': row.costPerMillion.apiGateway.toFixed(4),
      Lambda: row.costPerMillion.lambda.toFixed(4),
      DynamoDB: row.costPerMillion.dynamo.toFixed(4),
    })),
  );
  console.log(`real / naive speed: ${(realRow.countsPerSecond / naiveRow.countsPerSecond).toFixed(1)}×`);
  console.log(
    `Prices: ${PRICES.region}, ${PRICES.date}; Lambda arm64 at ${LAMBDA_MEMORY_GB * 1024} MB billed for the local duration` +
      ' (one request carries 1,000 counts); DynamoDB on-demand with each write also written to the byDate index.',
  );
}

interface Summary {
  name: string;
  seconds: number;
  countsPerSecond: number;
  requestsPerCount: number;
  costPerMillion: { apiGateway: number; lambda: number; dynamo: number; total: number };
}

function summarize(name: string, runs: readonly Run[]): Summary {
  const run = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as Run;
  const requestsPerMillion = 1e6 / ITEMS;
  const apiGateway = requestsPerMillion * PRICES.apiGatewayRestPerRequest;
  const lambda =
    requestsPerMillion *
    (PRICES.lambdaPerRequest + run.seconds * LAMBDA_MEMORY_GB * PRICES.lambdaArmPerGbSecond);
  const dynamo =
    requestsPerMillion *
    (run.writeUnits * PRICES.dynamoPerWriteUnit + run.readUnits * PRICES.dynamoPerReadUnit);
  return {
    name,
    seconds: run.seconds,
    countsPerSecond: ITEMS / run.seconds,
    requestsPerCount: run.dynamoRequests / ITEMS,
    costPerMillion: { apiGateway, lambda, dynamo, total: apiGateway + lambda + dynamo },
  };
}

await main();
