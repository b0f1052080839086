import {
  BatchGetCommand,
  BatchWriteCommand,
  type NativeAttributeValue,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { MAX_ITEMS_PER_REQUEST } from '../core/counts';
import { dynamo } from '../shared/aws';
import { ServiceUnavailableError } from '../shared/errors';

/**
 * DynamoDB batch calls done to completion: chunked to the service limits (25 writes, 100 keys), run a few
 * chunks at a time, with `UnprocessedItems`/`UnprocessedKeys` retried under exponential backoff with full
 * jitter. When DynamoDB keeps throttling (or fails) past the retry budget the caller gets a
 * ServiceUnavailableError (503 + Retry-After): with replace semantics, resending the same request is safe.
 */

export const WRITE_CHUNK = 25;
export const READ_CHUNK = 100;
/** Chunks in flight at once: enough to hide round trips, few enough not to self-throttle a partition. */
const PARALLEL_CHUNKS = 8;
/**
 * Write chunks in flight at once: a push of the largest size (1,000 counts, 40 chunks) waits for two
 * BatchWriteItem round trips instead of five in a row (bench/counts.ts, modeled network). A partition
 * receives the same items either way, only over fewer milliseconds; what it refuses comes back as
 * UnprocessedItems and is retried below. Not all 40 at once: that saves one round trip more, but on an
 * emulator that answers one request at a time (local mode's dynalite) the last chunk then waits behind
 * 39 others, on a loaded machine close to the SDK's request timeout (../shared/sdk-timeouts.ts).
 */
const PARALLEL_WRITE_CHUNKS = Math.ceil(MAX_ITEMS_PER_REQUEST / WRITE_CHUNK / 2);
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 1000;
/** What a client is told to wait before resending after DynamoDB gave up on us. */
export const RETRY_AFTER_SECONDS = 2;

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;
type WriteRequest = { PutRequest: { Item: Item } };

export async function batchPut(table: string, items: readonly Item[]): Promise<void> {
  const chunks = chunk(
    items.map((Item): WriteRequest => ({ PutRequest: { Item } })),
    WRITE_CHUNK,
  );
  await inParallel(
    chunks,
    async (requests) => {
      let pending: WriteRequest[] = requests;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await backoff(attempt, 'writes');
        const result = await unavailableOnFailure(() =>
          dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: pending } })),
        );
        pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      }
    },
    PARALLEL_WRITE_CHUNKS,
  );
}

export async function batchGet(
  table: string,
  keys: readonly Key[],
  consistentRead: boolean,
): Promise<Item[]> {
  const found: Item[] = [];
  await inParallel(chunk(keys, READ_CHUNK), async (chunkKeys) => {
    let pending: Key[] = chunkKeys;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await backoff(attempt, 'reads');
      const result = await unavailableOnFailure(() =>
        dynamo.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: pending, ConsistentRead: consistentRead } },
          }),
        ),
      );
      found.push(...((result.Responses?.[table] ?? []) as Item[]));
      pending = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
    }
  });
  return found;
}

/** Exponential backoff with full jitter; gives up with a 503 once the attempts are spent. */
async function backoff(attempt: number, what: string): Promise<void> {
  if (attempt >= MAX_ATTEMPTS) {
    throw new ServiceUnavailableError(
      `The count store is busy and did not take all ${what}; send the same request again.`,
      RETRY_AFTER_SECONDS,
    );
  }
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * The items of a Query a page at a time (one page in memory; lib-dynamodb's paginator follows
 * LastEvaluatedKey), each page read under `unavailableOnFailure`.
 */
export async function* queryPages(
  input: QueryCommandInput,
): AsyncGenerator<Record<string, NativeAttributeValue>[]> {
  // A copy: the paginator writes each page's start key into the input it is given.
  const pages = paginateQuery({ client: dynamo }, { ...input });
  for (;;) {
    const page = await unavailableOnFailure(() => pages.next());
    if (page.done) return;
    yield page.value.Items ?? [];
  }
}

/**
 * The SDK has already retried throttling and 5xx answers by the time one reaches us; such an error means
 * "not now", so the client hears 503 + Retry-After instead of a 500. Anything else is a bug and propagates.
 */
export async function unavailableOnFailure<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (isTransient(error)) {
      throw new ServiceUnavailableError(
        'The count store is unavailable; send the same request again.',
        RETRY_AFTER_SECONDS,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

const TRANSIENT_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  return (
    TRANSIENT_ERRORS.has(error.name) ||
    (status !== undefined && status >= 500) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET'
  );
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}

/**
 * Runs tasks at most `limit` at a time. After a failure no new task starts, and the error is thrown only
 * once the tasks in flight have settled, so nothing is still writing when the client hears the answer.
 */
export async function inParallel<T>(
  tasks: readonly T[],
  run: (task: T) => Promise<void>,
  limit = PARALLEL_CHUNKS,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      const task = tasks[next++] as T;
      try {
        await run(task);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw failure.error;
}
