import { createServer, type Server } from 'node:http';
import { close, listen, urlOf } from '../../local/net';

/**
 * A stand-in for the Step Functions endpoint that records the calls the AWS SDK makes (AWS JSON 1.0:
 * `POST /`, `X-Amz-Target: AWSStepFunctions.<Action>`) and answers each with the next scripted reply.
 * The code under test uses the real SDK client; only the service behind it is fake.
 */
export interface SfnCall {
  readonly action: string;
  readonly body: Record<string, unknown>;
}

export type SfnReply =
  | { kind: 'ok' }
  /** A modelled error, e.g. TaskTimedOut (400) or ServiceUnavailable (503). */
  | { kind: 'error'; type: string; status: number };

export interface FakeSfn {
  readonly endpoint: string;
  readonly calls: SfnCall[];
  /** Replies for the next calls, in order; once used up every call succeeds. */
  script(...replies: SfnReply[]): void;
  /**
   * Holds the reply to the next call until `release()`; `arrived` resolves once that call is in, so a test
   * can act while a request is waiting on Step Functions.
   */
  holdNext(): { arrived: Promise<void>; release: () => void };
  /** Calls of one action, e.g. SendTaskSuccess. */
  callsOf(action: string): SfnCall[];
  reset(): void;
  stop(): Promise<void>;
}

export async function startFakeSfn(): Promise<FakeSfn> {
  const calls: SfnCall[] = [];
  let replies: SfnReply[] = [];
  let hold: { arrive: () => void; released: Promise<void> } | undefined;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const action = target.replace(/^AWSStepFunctions\./, '');
      calls.push({ action, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      const reply = replies.shift() ?? { kind: 'ok' };
      const held = hold;
      hold = undefined;
      held?.arrive();
      void (held?.released ?? Promise.resolve()).then(() => answer(reply));
    });
    const answer = (reply: SfnReply) => {
      response.setHeader('Content-Type', 'application/x-amz-json-1.0');
      if (reply.kind === 'ok') {
        response.statusCode = 200;
        response.end('{}');
      } else {
        response.statusCode = reply.status;
        response.end(JSON.stringify({ __type: `com.amazonaws.states#${reply.type}`, message: reply.type }));
      }
    };
  });
  const port = await listen(server, 0);
  return {
    endpoint: urlOf(port),
    calls,
    script: (...next) => {
      replies = next;
    },
    holdNext: () => {
      let arrive = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      hold = { arrive, released };
      return { arrived, release };
    },
    callsOf: (action) => calls.filter((call) => call.action === action),
    reset: () => {
      calls.length = 0;
      replies = [];
      hold = undefined;
    },
    stop: () => close(server),
  };
}
