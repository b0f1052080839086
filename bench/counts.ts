/**
 * `npm run bench -- counts [--rtt=<ms>]`: the count push path against a local DynamoDB (dynalite, in
 * memory, on 127.0.0.1), measured twice in one run and printed side by side: as it is on the loopback,
 * and through a MODEL of the network round trip every DynamoDB request costs in AWS.
 *
 * Side by side, for 1,000 daily totals:
 *   - real:   one `PUT /v1/counts` request through the real handler (auth, rate limit, validation, one
 *             BatchGetItem of the codes, BatchWriteItem chunks of 25; no read of the stored values);
 *   - corrections log: what the Counts stream consumer then does for those 1,000 corrections
 *             (lambdas/counts/corrections-log.ts: one small revision item per changed value, no index
 *             entry), fed the stream records AWS would deliver; new daily totals cost nothing here;
 *   - floor:  the store's floor: the same 1,000 items pre-built (as the real path stores them), written
 *             with raw BatchWriteItem chunks (the product's batch writer, at its concurrency): no
 *             validation, no reads;
 *   - naive:  the same items written the way a first version would: one PutItem per count, in order;
 *   - resend: the real request sent again unchanged (what a client retry costs: the same writes again;
 *             the stream consumer keeps no revision for them).
 * Every path writes new values for the same 1,000 keys each run, so every `real` count is a correction.
 * It prints counts/s, the ratios, DynamoDB requests per count, and the AWS cost per million counts with
 * the prices below, from the capacity units DynamoDB reports for each request (ReturnConsumedCapacity),
 * with and without the byDate index entry each count write also makes. dynalite is not DynamoDB: the
 * absolute speeds are local, the request counts, units and ratios are what carry over.
 *
 * The loopback flatters whatever makes many requests: dynalite answers in-process with no network, so its
 * per-item work dominates and a request is nearly free. In AWS every DynamoDB request is a network round
 * trip (AWS promises single-digit milliseconds; a Lambda function in the same region commonly sees about
 * 3-8 ms a call), so the number of requests made one after another decides the time. The second
 * measurement models that: dynalite in its own process behind ./latency-proxy.ts, which delays every
 * request of every path by a fixed round trip (`--rtt=<ms>`, default 5 ms, the middle of that range;
 * plus the TCP and TLS handshakes on a new connection), with each path's client, connection pool and
 * concurrency exactly as the product's. It also prints the round trips on each path's critical path (the
 * requests each sent on the previous one's answer, inferred from the proxy's timing: on a loaded machine
 * it may count one or two more than the code makes). It is a model, not a measurement
 * of DynamoDB: the server time is still dynalite's (one JavaScript thread for every table, where DynamoDB
 * spreads items over partitions), the client time is this machine's (a 512 MB Lambda has about a third of
 * a vCPU), and DynamoDB's throttling, jitter and slow tail are not in it. docs/counts-api.md#benchmark
 * gives its numbers.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { PathName, PathRuns, Run } from './counts-paths';

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
const DEFAULT_RTT_MS = 5;

const rttArgument = process.argv.find((arg) => arg.startsWith('--rtt='));
const rttMs = rttArgument === undefined ? DEFAULT_RTT_MS : Number(rttArgument.slice('--rtt='.length));
if (!Number.isFinite(rttMs) || rttMs < 0) {
  console.error(`--rtt takes a round trip in milliseconds (0 or more), got ${rttArgument}`);
  process.exit(2);
}

/** One setting's runs, measured in a fresh process (./counts-paths.ts) so neither warms the other. */
async function measurePaths(modeledRttMs?: number): Promise<PathRuns> {
  const child = fork(
    fileURLToPath(new URL('./counts-paths.ts', import.meta.url)),
    modeledRttMs === undefined ? [] : [`--rtt=${modeledRttMs}`],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let answer: PathRuns | undefined;
  child.on('message', (message) => {
    answer = message as PathRuns;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0 || !answer) throw new Error(`bench/counts-paths.ts failed (exit code ${code})`);
  return answer;
}

async function main(): Promise<void> {
  const local = await measurePaths();
  const modeled = await measurePaths(rttMs);

  const localRows = summarizeAll(local);
  console.log(
    `\nCount push benchmark: ${local.items} counts per request, median of ${local.results.real.length} runs, local dynalite (measured)`,
  );
  console.table(
    Object.values(localRows).map((row) => ({
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

  const modelRows = summarizeAll(modeled);
  const modelLabel = `MODEL, ${rttMs} ms per DynamoDB round trip`;
  console.log(
    `\n${modelLabel}: the same paths with dynalite behind a fixed ${rttMs} ms round trip per request` +
      ` (median of ${modeled.results.real.length} runs, naive ${modeled.results.naive.length}).` +
      ' A model of the network, not a measurement of DynamoDB (limits: bench/counts.ts header).',
  );
  console.table(
    Object.values(modelRows).map((row) => ({
      path: row.name,
      'counts/s (model)': Math.round(row.countsPerSecond),
      'ms/request (model)': Math.round(row.seconds * 1000),
      'round trips in a row (inferred)': row.network?.sequentialRoundTrips,
      'DynamoDB requests': row.network?.requests,
      'connections opened': row.network?.connectionsOpened,
      'USD/M counts (model)': row.costPerMillion.total.toFixed(4),
    })),
  );

  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const ratios = (rows: Record<PathName, Summary>) => ({
    'real / floor throughput (goal ≥ 0.8×)': ratio(rows.real.countsPerSecond, rows.floor.countsPerSecond),
    'real / naive throughput (goal ≥ 10×)': ratio(rows.real.countsPerSecond, rows.naive.countsPerSecond),
    'real / floor cost per count (goal ≤ 1.1×)': ratio(
      rows.real.costPerMillion.total,
      rows.floor.costPerMillion.total,
    ),
    'the same without the index': ratio(
      rows.real.costPerMillion.totalWithoutIndex,
      rows.floor.costPerMillion.totalWithoutIndex,
    ),
    'with the corrections log, every count a correction': ratio(
      rows.real.costPerMillion.total + rows['corrections log'].costPerMillion.total,
      rows.floor.costPerMillion.total,
    ),
  });
  const localRatios = ratios(localRows);
  const modelRatios = ratios(modelRows);
  console.log('\nGoals, side by side:');
  console.table(
    Object.keys(localRatios).map((name) => ({
      ratio: name,
      'local dynalite (measured)': localRatios[name as keyof typeof localRatios],
      [modelLabel]: modelRatios[name as keyof typeof modelRatios],
    })),
  );
  console.log(
    `Prices: ${PRICES.region}, ${PRICES.date}; Lambda arm64 at ${LAMBDA_MEMORY_GB * 1024} MB billed for the local` +
      ' (or modeled) duration (one request carries 1,000 counts); DynamoDB on-demand, units as reported per' +
      ' request; floor and naive are bare writes (no API Gateway or Lambda), so real / floor compares the whole' +
      ' path with the store alone.',
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
  network: Run['network'];
}

function summarizeAll({ items, results }: PathRuns): Record<PathName, Summary> {
  return Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [name, summarize(name, runs, items)]),
  ) as Record<PathName, Summary>;
}

function summarize(name: string, runs: readonly Run[], items: number): Summary {
  const run = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as Run;
  const requestsPerMillion = 1e6 / items;
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
    countsPerSecond: items / run.seconds,
    requestsPerCount: run.dynamoRequests / items,
    writeUnitsPerCount: (run.writeUnits + run.indexWriteUnits) / items,
    readUnitsPerCount: run.readUnits / items,
    costPerMillion: {
      apiGateway,
      lambda,
      dynamo,
      total: apiGateway + lambda + dynamo,
      totalWithoutIndex: apiGateway + lambda + reads + tableWrites,
    },
    network: run.network,
  };
}

await main();
