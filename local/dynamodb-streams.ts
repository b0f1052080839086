import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { FunctionSpec } from '../lambdas/functions';
import { TABLES, type TableName } from '../lambdas/shared/tables';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './aws';
import { close, listen, urlOf } from './net';

/**
 * DynamoDB Streams for local mode. dynalite has none, so the local DynamoDB endpoint handlers talk to is
 * this proxy in front of it: every write to a table with a stream (PutItem, UpdateItem, DeleteItem,
 * BatchWriteItem) is applied after the earlier writes of its keys, with the items read before and after,
 * and turned into stream records of the same shape AWS delivers (NEW_AND_OLD_IMAGES, SequenceNumber
 * increasing per item as in a shard, no record when nothing changed). The records are handed, in order and in batches, to the table's consumer — the same
 * handler Lambda runs in AWS — asynchronously, as AWS does; a batch item failure redelivers from the
 * failed record on. Reads and writes of other tables pass straight through.
 */

export interface StreamTap {
  readonly tableName: string;
  /** The table's key attributes (partition, then sort). */
  readonly keyAttributes: readonly string[];
  /** Calls the consumer with a batch; resolves with its partial batch response. */
  readonly deliver: (records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse | undefined>;
}

export interface LocalStreams {
  readonly endpoint: string;
  readonly port: number;
  /** Resolves once every record so far has been delivered (or given up on). */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

type AttributeMap = Record<string, unknown>;

const BATCH_SIZE = 100;

/** A tap per function that consumes a table's stream (FunctionSpec.consumesStreamOf). */
export function streamTapsFor(
  specs: readonly FunctionSpec[],
  tables: Readonly<Record<TableName, string>>,
  invoke: (functionId: string, event: { Records: DynamoDBRecord[] }) => Promise<unknown>,
): StreamTap[] {
  return specs.flatMap((spec) => {
    const table = spec.consumesStreamOf;
    if (!table) return [];
    const { partitionKey, sortKey } = TABLES[table] as { partitionKey: string; sortKey?: string };
    return [
      {
        tableName: tables[table],
        keyAttributes: sortKey ? [partitionKey, sortKey] : [partitionKey],
        deliver: async (records) =>
          (await invoke(spec.id, { Records: records })) as DynamoDBBatchResponse | undefined,
      },
    ];
  });
}
const MAX_DELIVERY_ATTEMPTS = 10;
const STREAMED_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export async function startStreamProxy(
  dynamoEndpoint: string,
  taps: () => readonly StreamTap[],
  port = 0,
): Promise<LocalStreams> {
  let sequence = 0n;
  /** Per written key, the last streamed write of it: writes of a key run one at a time, in arrival order. */
  const lastWriteOf = new Map<string, Promise<unknown>>();
  const queues = new Map<string, DynamoDBRecord[]>();
  const pumping = new Map<string, Promise<void>>();

  const send = async (target: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(dynamoEndpoint, {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': `DynamoDB_20120810.${target}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  const pump = (tap: StreamTap): Promise<void> => {
    const running = pumping.get(tap.tableName);
    if (running) return running;
    const run = (async () => {
      const queue = queues.get(tap.tableName) ?? [];
      let attempts = 0;
      while (queue.length > 0) {
        const batch = queue.slice(0, BATCH_SIZE);
        let failedFrom: number | undefined;
        try {
          const answer = await tap.deliver(batch);
          const first = answer?.batchItemFailures?.[0]?.itemIdentifier;
          if (first !== undefined)
            failedFrom = Math.max(
              0,
              batch.findIndex((r) => r.dynamodb?.SequenceNumber === first),
            );
        } catch (error) {
          console.warn(`[local] stream consumer of ${tap.tableName} failed; redelivering`, error);
          failedFrom = 0;
        }
        if (failedFrom === undefined) {
          queue.splice(0, batch.length);
          attempts = 0;
          continue;
        }
        queue.splice(0, failedFrom);
        if (++attempts >= MAX_DELIVERY_ATTEMPTS) {
          console.error(`[local] dropping a stream record of ${tap.tableName} after ${attempts} attempts`);
          queue.shift();
          attempts = 0;
        }
        await new Promise((resolve) => setTimeout(resolve, 20 * attempts));
      }
    })().finally(() => {
      pumping.delete(tap.tableName);
      // Records that arrived while this pump was finishing get a pump of their own.
      if ((queues.get(tap.tableName)?.length ?? 0) > 0) void pump(tap);
    });
    pumping.set(tap.tableName, run);
    return run;
  };

  const streamedWrite = async (
    tap: StreamTap,
    target: string,
    request: Record<string, unknown>,
    headers: Record<string, string>,
  ) => {
    const keyOf = (item: AttributeMap) => keyAttributesOf(tap, item);
    const keys = writtenKeys(target, request, tap.tableName).map(keyOf);
    // One BatchGetItem for the written keys (a BatchWriteItem has at most 25), before and after the write.
    const read = async (): Promise<(AttributeMap | undefined)[]> => {
      const found = new Map<string, AttributeMap>();
      // Distinct keys: BatchGetItem refuses duplicates (a BatchWriteItem with them fails on its own).
      let pending = [...new Map(keys.map((key) => [keyText(key), key])).values()];
      while (pending.length > 0) {
        const answer = await send(
          'BatchGetItem',
          { RequestItems: { [tap.tableName]: { Keys: pending, ConsistentRead: true } } },
          headers,
        );
        const body = JSON.parse(answer.text) as {
          Responses?: Record<string, AttributeMap[]>;
          UnprocessedKeys?: Record<string, { Keys: AttributeMap[] }>;
        };
        if (answer.status !== 200) throw new Error(`stream proxy read failed: ${answer.text}`);
        for (const item of body.Responses?.[tap.tableName] ?? []) found.set(keyText(keyOf(item)), item);
        pending = body.UnprocessedKeys?.[tap.tableName]?.Keys ?? [];
      }
      return keys.map((key) => found.get(keyText(key)));
    };
    const keyText = (key: AttributeMap) => keyTextOf(tap, key);
    const before = keys.length > 0 ? await read() : [];
    const answer = await send(target, request, headers);
    if (answer.status === 200) {
      const after = keys.length > 0 ? await read() : [];
      const records: DynamoDBRecord[] = [];
      keys.forEach((key, i) => {
        const [oldImage, newImage] = [before[i], after[i]];
        if (isDeepStrictEqual(oldImage, newImage)) return;
        sequence += 1n;
        records.push({
          eventID: randomUUID(),
          eventName: !oldImage ? 'INSERT' : newImage ? 'MODIFY' : 'REMOVE',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: LOCAL_REGION,
          eventSourceARN: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${tap.tableName}/stream/local`,
          dynamodb: {
            ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
            Keys: key as never,
            ...(newImage ? { NewImage: newImage as never } : {}),
            ...(oldImage ? { OldImage: oldImage as never } : {}),
            SequenceNumber: sequence.toString().padStart(21, '0'),
            SizeBytes: JSON.stringify(newImage ?? oldImage).length,
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          },
        });
      });
      if (records.length > 0) {
        // Appended in place: a pump running now delivers them too.
        const queue = queues.get(tap.tableName) ?? [];
        queue.push(...records);
        queues.set(tap.tableName, queue);
        void pump(tap);
      }
    }
    return answer;
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const headers = forwardedHeaders(req);
      const request = body.length > 0 ? (JSON.parse(body) as Record<string, unknown>) : {};
      const tap = STREAMED_WRITES.has(target)
        ? taps().find((t) => writtenKeys(target, request, t.tableName).length > 0)
        : undefined;
      let answer: Awaited<ReturnType<typeof send>>;
      if (tap) {
        // Writes of the same key one at a time, so each record's old image is the previous record's new
        // image; writes of other keys go on meanwhile.
        const keyTexts = [
          ...new Set(writtenKeys(target, request, tap.tableName).map((item) => keyTextOf(tap, item))),
        ];
        const previous = keyTexts.flatMap((key) => lastWriteOf.get(key) ?? []);
        const write = Promise.all(previous).then(() => streamedWrite(tap, target, request, headers));
        const settled = write.catch(() => undefined);
        for (const key of keyTexts) lastWriteOf.set(key, settled);
        void settled.then(() => {
          for (const key of keyTexts) if (lastWriteOf.get(key) === settled) lastWriteOf.delete(key);
        });
        answer = await write;
      } else {
        answer = await send(target, request, headers);
      }
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.0',
        'x-amzn-requestid': answer.headers.get('x-amzn-requestid') ?? randomUUID(),
      });
      res.end(answer.text);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: String(error),
        }),
      );
    }
  });
  const boundPort = await listen(server, port);
  return {
    endpoint: urlOf(boundPort),
    port: boundPort,
    async drained() {
      while (lastWriteOf.size > 0) await Promise.all(lastWriteOf.values());
      for (;;) {
        const running = [...pumping.values()];
        if (running.length === 0) return;
        await Promise.all(running);
      }
    },
    async stop() {
      await close(server);
      await Promise.all([...pumping.values()]);
    },
  };
}

function keyAttributesOf(tap: StreamTap, item: AttributeMap): AttributeMap {
  return Object.fromEntries(tap.keyAttributes.map((name) => [name, item[name]])) as AttributeMap;
}

function keyTextOf(tap: StreamTap, item: AttributeMap): string {
  return JSON.stringify(tap.keyAttributes.map((name) => item[name]));
}

/** The items (or keys) a write request changes in `table`. */
function writtenKeys(target: string, request: Record<string, unknown>, table: string): AttributeMap[] {
  if (target === 'BatchWriteItem') {
    const requests =
      (
        request.RequestItems as Record<
          string,
          { PutRequest?: { Item: AttributeMap }; DeleteRequest?: { Key: AttributeMap } }[]
        >
      )?.[table] ?? [];
    return requests.map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {});
  }
  if (request.TableName !== table) return [];
  return [(target === 'PutItem' ? request.Item : request.Key) as AttributeMap];
}

function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'authorization', 'x-amz-date', 'x-amz-security-token']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
