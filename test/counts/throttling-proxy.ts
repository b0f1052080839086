import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A DynamoDB "that throttles": an HTTP proxy on 127.0.0.1 in front of dynalite that passes requests
 * through, except BatchWriteItem calls the test tells it to refuse (answered like DynamoDB answers a
 * throttled request), to leave unprocessed (all items handed back in UnprocessedItems, none written), or
 * to take in part (the first half of each table's items written, the rest handed back, as DynamoDB does
 * when some of the items' partitions are busy).
 */
export type Verdict = 'pass' | 'throttle' | 'unprocessed' | 'partial';

export interface ThrottlingProxy {
  readonly endpoint: string;
  /**
   * From now on, decides each BatchWriteItem call (numbered from 0): pass it through, refuse it with a
   * ProvisionedThroughputExceededException ('throttle'), hand every item back unprocessed, or take half.
   */
  script(decide: (call: number) => Verdict): void;
  /** Back to a healthy DynamoDB. */
  heal(): void;
  /**
   * BatchWriteItem calls seen, how many were refused, how many taken in part, and the most of them in
   * flight at once (received, not yet answered).
   */
  readonly stats: { writes: number; refused: number; partial: number; maxInFlight: number };
  stop(): Promise<void>;
}

type WriteRequests = Record<string, unknown[]>;

export async function startThrottlingProxy(target: string): Promise<ThrottlingProxy> {
  const targetUrl = new URL(target);
  const state = {
    decide: (_call: number): Verdict => 'pass',
    scriptedFrom: 0,
    inFlight: 0,
    stats: { writes: 0, refused: 0, partial: 0, maxInFlight: 0 },
  };

  /** Sends a body to dynalite with the client's headers (its length set anew); answers with dynalite's. */
  const forward = (
    headers: IncomingHttpHeaders,
    method: string | undefined,
    path: string | undefined,
    body: Buffer,
    answer: (status: number, headers: IncomingHttpHeaders, body: Buffer) => void,
  ) => {
    const upstream = request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method,
        path,
        headers: { ...headers, host: targetUrl.host, 'content-length': String(body.length) },
      },
      (upstreamRes) => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamRes.on('end', () =>
          answer(upstreamRes.statusCode ?? 500, upstreamRes.headers, Buffer.concat(chunks)),
        );
      },
    );
    upstream.on('error', () => answer(502, {}, Buffer.alloc(0)));
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isBatchWrite = String(req.headers['x-amz-target'] ?? '').endsWith('.BatchWriteItem');
      let verdict: Verdict = 'pass';
      if (isBatchWrite) {
        verdict = state.decide(state.stats.writes - state.scriptedFrom);
        state.stats.writes++;
        state.inFlight++;
        state.stats.maxInFlight = Math.max(state.stats.maxInFlight, state.inFlight);
        res.on('finish', () => state.inFlight--);
      }
      const requestItems = () =>
        (JSON.parse(body.toString('utf8')) as { RequestItems: WriteRequests }).RequestItems;
      if (verdict === 'throttle' || verdict === 'unprocessed') {
        state.stats.refused++;
        res.setHeader('Content-Type', 'application/x-amz-json-1.0');
        if (verdict === 'throttle') {
          res.statusCode = 400;
          res.end(
            JSON.stringify({
              __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
              message: 'The level of configured provisioned throughput for the table was exceeded.',
            }),
          );
        } else {
          res.statusCode = 200;
          res.end(JSON.stringify({ UnprocessedItems: requestItems() }));
        }
        return;
      }
      if (verdict === 'partial') {
        state.stats.partial++;
        const taken: WriteRequests = {};
        const left: WriteRequests = {};
        for (const [table, requests] of Object.entries(requestItems())) {
          const half = Math.ceil(requests.length / 2);
          taken[table] = requests.slice(0, half);
          if (requests.length > half) left[table] = requests.slice(half);
        }
        const partialBody = Buffer.from(JSON.stringify({ RequestItems: taken }));
        forward(req.headers, req.method, req.url, partialBody, (status, _headers, answer) => {
          const written = JSON.parse(answer.toString('utf8')) as { UnprocessedItems?: WriteRequests };
          const unprocessed = { ...written.UnprocessedItems };
          for (const [table, requests] of Object.entries(left)) {
            unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
          }
          res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ ...written, UnprocessedItems: unprocessed }));
        });
        return;
      }
      forward(req.headers, req.method, req.url, body, (status, headers, answer) => {
        res.writeHead(status, headers);
        res.end(answer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    script(decide) {
      state.decide = decide;
      state.scriptedFrom = state.stats.writes;
    },
    heal() {
      state.decide = () => 'pass';
    },
    stats: state.stats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
