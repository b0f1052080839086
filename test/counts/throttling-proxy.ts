import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A DynamoDB "that throttles": an HTTP proxy on 127.0.0.1 in front of dynalite that passes requests
 * through, except BatchWriteItem calls the test tells it to refuse (answered like DynamoDB answers a
 * throttled request) or to leave unprocessed (all items handed back in UnprocessedItems, none written).
 */
export type Verdict = 'pass' | 'throttle' | 'unprocessed';

export interface ThrottlingProxy {
  readonly endpoint: string;
  /**
   * From now on, decides each BatchWriteItem call (numbered from 0): pass it through, refuse it with a
   * ProvisionedThroughputExceededException ('throttle'), or hand every item back unprocessed.
   */
  script(decide: (call: number) => Verdict): void;
  /** Back to a healthy DynamoDB. */
  heal(): void;
  /** BatchWriteItem calls seen, and how many were refused. */
  readonly stats: { writes: number; refused: number };
  stop(): Promise<void>;
}

export async function startThrottlingProxy(target: string): Promise<ThrottlingProxy> {
  const targetUrl = new URL(target);
  const state = {
    decide: (_call: number): Verdict => 'pass',
    scriptedFrom: 0,
    stats: { writes: 0, refused: 0 },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isBatchWrite = String(req.headers['x-amz-target'] ?? '').endsWith('.BatchWriteItem');
      if (isBatchWrite) {
        const verdict = state.decide(state.stats.writes - state.scriptedFrom);
        state.stats.writes++;
        if (verdict !== 'pass') {
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
            const requestItems = (JSON.parse(body.toString('utf8')) as { RequestItems: unknown })
              .RequestItems;
            res.statusCode = 200;
            res.end(JSON.stringify({ UnprocessedItems: requestItems }));
          }
          return;
        }
      }
      const upstream = request(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: targetUrl.host },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 500, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      upstream.end(body);
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
