/**
 * The paths bench/counts.ts compares (read its header), measured in this process, against dynalite in
 * this process or, with `--rtt=<ms>`, in its own process behind a modeled network round trip
 * (./latency-proxy.ts). Sends each path's runs to the parent (bench/counts.ts), which prints them.
 */
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { RoundTripTrace } from './latency-proxy';
import { startBenchDynamo } from './local-dynamo';

const ITEMS = 1000;
/** `--rtt=<ms>`: the modeled round trip; without it, dynalite answers on the loopback in this process. */
const rtt = process.argv.find((arg) => arg.startsWith('--rtt='));
const rttMs = rtt === undefined ? undefined : Number(rtt.slice('--rtt='.length));
/**
 * Runs per path, the median printed. Modeled, the naive path's 1,000 sequential round trips take seconds
 * a run and vary little (the round trip is fixed), so it runs fewer times.
 */
const RUNS = rttMs === undefined ? 9 : 5;
const NAIVE_RUNS = rttMs === undefined ? RUNS : 3;
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

export interface Run extends Units {
  seconds: number;
  dynamoRequests: number;
  /** Whether the path goes through API Gateway and the push Lambda (the others are bare writes). */
  viaApi: boolean;
  /** Modeled only: the requests as the network saw them (round trips in sequence, connections opened). */
  network?: RoundTripTrace;
}

export const PATHS = ['real', 'corrections log', 'floor', 'naive', 'resend'] as const;
export type PathName = (typeof PATHS)[number];
/** What this process sends its parent. */
export interface PathRuns {
  readonly rttMs: number | undefined;
  /** Counts per request (and per run of every path). */
  readonly items: number;
  readonly results: Record<PathName, Run[]>;
}

async function main(): Promise<void> {
  const { db, tables, network } = await startBenchDynamo(
    // Modeled, dynalite's one thread makes calls "slow": the slow-call warnings would bury the tables.
    { COUNTS_REQUESTS_PER_MINUTE: '1000000', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    rttMs === undefined ? {} : { rttMs },
  );

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
    await network?.mark();
    const before = { total: requests.total, ...requests.units };
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds,
      dynamoRequests: requests.total - before.total,
      writeUnits: requests.units.writeUnits - before.writeUnits,
      indexWriteUnits: requests.units.indexWriteUnits - before.indexWriteUnits,
      readUnits: requests.units.readUnits - before.readUnits,
      viaApi,
      ...(network ? { network: await network.trace() } : {}),
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

  const naive = (run: number, items = ITEMS) =>
    measure(false, async () => {
      for (const Item of countItems(run).slice(0, items)) {
        await dynamo.send(new PutCommand({ TableName: tables.counts, Item }));
      }
    });

  // Warm-up (module init, connection pool, JIT), not measured; modeled, a short naive run opens its one
  // connection as well as a long one would.
  await realWithLog(0);
  await floor(50);
  await naive(0, rttMs === undefined ? ITEMS : 100);

  const results = Object.fromEntries(PATHS.map((path) => [path, [] as Run[]])) as Record<PathName, Run[]>;
  for (let run = 1; run <= RUNS; run++) {
    const { push, log } = await realWithLog(run);
    results.real.push(push);
    results['corrections log'].push(log);
    results.resend.push(await real(run));
    results.floor.push(await floor(run + 50));
    if (run <= NAIVE_RUNS) results.naive.push(await naive(run + 100));
  }
  await db.stop();
  const answer: PathRuns = { rttMs, items: ITEMS, results };
  // The open channel to the parent would keep this process alive.
  process.send?.(answer, () => process.disconnect());
}

await main();
