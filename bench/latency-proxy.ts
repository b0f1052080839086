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
      sequentialRoundTrips: criticalPathLength(intervals, rttMs / 2),
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
 * The round trips on the critical path: the longest chain of requests each sent on the answer of the one
 * before. The proxy cannot see which answer a request waited for, so it infers it from timing: of the
 * answers that came within `window` ms before the request was sent (the client's time to handle an
 * answer and send the next request), the one of the fewest round trips; with none that recent, the last
 * answer before it. Without the first rule, a worker pool whose chunks an emulator answers one by one
 * would seem to chain rounds: a chunk sent on a first-round answer, just after another worker's
 * second-round answer came, would count as a third round.
 */
export function criticalPathLength(
  intervals: ReadonlyArray<{ start: number; end: number }>,
  window: number,
): number {
  const bySend = [...intervals].sort((a, b) => a.start - b.start);
  const answered: Array<{ end: number; depth: number }> = [];
  let longest = 0;
  for (const request of bySend) {
    const before = answered.filter((answer) => answer.end <= request.start);
    const recent = before.filter((answer) => answer.end >= request.start - window);
    const waitedFor =
      recent.length > 0
        ? Math.min(...recent.map((answer) => answer.depth))
        : before.reduce((last, answer) => (answer.end > last.end ? answer : last), {
            end: -Infinity,
            depth: 0,
          }).depth;
    const depth = waitedFor + 1;
    answered.push({ end: request.end, depth });
    longest = Math.max(longest, depth);
  }
  return longest;
}
