import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A modeled network between a client and a local DynamoDB emulator: an HTTP proxy on 127.0.0.1 that
 * holds every request for half a round trip before passing it on and every answer for the other half
 * before handing it back, so each DynamoDB call costs `rttMs` more than on the loopback, whatever it is.
 * The client's own HTTP handler and connection pool are untouched (keep-alive, the SDK's socket limit and
 * queueing behave as they would towards DynamoDB). The first request on a new connection also waits for
 * the handshakes a client makes to DynamoDB's HTTPS endpoint (TCP, then TLS 1.3: one round trip each).
 *
 * It keeps the interval of each request it answers (arrival, answer), from which `trace()` tells how
 * many round trips ran one after another on the critical path (`criticalPathLength`).
 */
export interface LatencyProxy {
  readonly endpoint: string;
  /** Forgets the requests seen so far: `trace()` then covers what follows. */
  mark(): void;
  /** Since the last mark: requests answered, the round trips in sequence, and connections opened. */
  trace(): RoundTripTrace;
  stop(): Promise<void>;
}

export interface RoundTripTrace {
  readonly requests: number;
  readonly sequentialRoundTrips: number;
  readonly connectionsOpened: number;
}

/** Handshakes before a new connection's first request: TCP, then TLS 1.3 (a TLS 1.2 one would take two). */
const HANDSHAKE_ROUND_TRIPS = 2;
/**
 * Idle keep-alive connections stay open this long, as a warm Lambda container's to DynamoDB do (Node's
 * server default, 5 s, would close them during the naive path's long run and bill the next path reconnects).
 */
const IDLE_CONNECTION_MS = 10 * 60_000;

export async function startLatencyProxy(target: string, rttMs: number): Promise<LatencyProxy> {
  const targetUrl = new URL(target);
  const upstreamAgent = new Agent({ keepAlive: true });
  const newSockets = new WeakSet<Socket>();
  let intervals: Array<{ start: number; end: number }> = [];
  let connectionsOpened = 0;

  const server: Server = createServer((req, res) => {
    const start = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const handshakes = newSockets.delete(req.socket) ? HANDSHAKE_ROUND_TRIPS * rttMs : 0;
      await sleep(handshakes + rttMs / 2);
      const upstream = request(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: targetUrl.host },
          agent: upstreamAgent,
        },
        (upstreamRes) => {
          const answer: Buffer[] = [];
          upstreamRes.on('data', (chunk: Buffer) => answer.push(chunk));
          upstreamRes.on('end', async () => {
            await sleep(rttMs / 2);
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            res.end(Buffer.concat(answer));
            intervals.push({ start, end: performance.now() });
          });
        },
      );
      upstream.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.on('connection', (socket: Socket) => {
    connectionsOpened++;
    newSockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    mark() {
      intervals = [];
      connectionsOpened = 0;
    },
    trace: () => ({
      requests: intervals.length,
      sequentialRoundTrips: criticalPathLength(intervals),
      connectionsOpened,
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        upstreamAgent.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The round trips on the critical path: from the request answered last, back through the request whose
 * answer came last before it was sent (the answer it waited for), to one sent after no other answer.
 * Requests in flight together count once; a request sent on another's answer counts again. Worker-pool
 * concurrency makes chains across workers that no request waited for, so this follows the answers the
 * last request actually waited for, not the longest chain of disjoint intervals.
 */
export function criticalPathLength(intervals: ReadonlyArray<{ start: number; end: number }>): number {
  const byEnd = [...intervals].sort((a, b) => a.end - b.end);
  let current = byEnd.at(-1);
  let length = 0;
  while (current) {
    length++;
    const sentAt: number = current.start;
    current = byEnd.findLast((interval) => interval.end <= sentAt);
  }
  return length;
}
