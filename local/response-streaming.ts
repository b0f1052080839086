import { Transform, type TransformCallback } from 'node:stream';

/**
 * Lambda response streaming for local mode, as the Lambda Node.js runtime provides it: the `awslambda`
 * global (`streamifyResponse`, `HttpResponseStream.from`) that handlers (and middy's streamify execution
 * mode) use, a response stream the handler writes into, and the reading side API Gateway does for a
 * `STREAM` integration: a JSON prelude (status code and headers), eight NUL bytes, then the body.
 * Generic: nothing here knows which function streams.
 */

/** Where the runtime marks a handler that takes a response stream (the same symbol AWS's runtime uses). */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const STREAM_RESPONSE = 'response';
/** The content type that tells API Gateway a prelude comes first. */
export const HTTP_INTEGRATION_RESPONSE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
/** A prelude is a few headers; anything longer is a handler that forgot it. */
const MAX_PRELUDE_BYTES = 64 * 1024;

export type StreamingHandler = (
  event: unknown,
  responseStream: LambdaResponseStream,
  context: unknown,
) => unknown;

/** The writable a streaming handler gets: a stream, plus what the runtime adds to it. */
export class LambdaResponseStream extends Transform {
  contentType = 'application/octet-stream';
  private beforeFirstWrite: ((write: (chunk: Uint8Array | string) => void) => void) | undefined;

  setContentType(contentType: string): void {
    this.contentType = contentType;
  }

  /** What `HttpResponseStream.from` installs: the prelude goes out right before the first body byte. */
  set _onBeforeFirstWrite(hook: (write: (chunk: Uint8Array | string) => void) => void) {
    this.beforeFirstWrite = hook;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.flushPrelude();
    callback(null, chunk.length > 0 ? chunk : undefined);
  }

  override _flush(callback: TransformCallback): void {
    this.flushPrelude();
    callback();
  }

  private flushPrelude(): void {
    const hook = this.beforeFirstWrite;
    this.beforeFirstWrite = undefined;
    hook?.((chunk) => this.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)));
  }
}

const awslambda = {
  streamifyResponse(handler: StreamingHandler): StreamingHandler {
    (handler as unknown as Record<symbol, string>)[HANDLER_STREAMING] = STREAM_RESPONSE;
    return handler;
  },
  HttpResponseStream: {
    from(stream: LambdaResponseStream, prelude: Record<string, unknown>): LambdaResponseStream {
      stream.setContentType(HTTP_INTEGRATION_RESPONSE);
      const metadata = JSON.stringify(prelude);
      stream._onBeforeFirstWrite = (write) => {
        write(metadata);
        write(DELIMITER);
      };
      return stream;
    },
  },
};

/**
 * Gives the `awslambda` global the runtime's streaming API, as in Lambda; must run before handler modules
 * are imported. Adds to an existing object: the SDK's invoke store creates `awslambda` for itself.
 */
export function installAwsLambdaGlobal(): void {
  const host = globalThis as unknown as { awslambda?: Record<string, unknown> };
  host.awslambda ??= {};
  host.awslambda.streamifyResponse ??= awslambda.streamifyResponse;
  host.awslambda.HttpResponseStream ??= awslambda.HttpResponseStream;
}

export function isStreamingHandler(handler: unknown): handler is StreamingHandler {
  return (
    typeof handler === 'function' &&
    (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === STREAM_RESPONSE
  );
}

export interface HttpIntegrationResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  /** The body, starting right after the prelude. */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Reads the prelude off a streamed response, as API Gateway does: rejects (API Gateway answers 502) when
 * the stream ends or grows too long before the delimiter, or the prelude is not a JSON object.
 */
export async function readHttpIntegrationResponse(
  stream: AsyncIterable<Buffer>,
): Promise<HttpIntegrationResponse> {
  const iterator = stream[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  for (;;) {
    const delimiterAt = head.indexOf(DELIMITER);
    if (delimiterAt >= 0) {
      const prelude = JSON.parse(head.subarray(0, delimiterAt).toString('utf8')) as {
        statusCode?: unknown;
        headers?: Record<string, unknown>;
        cookies?: unknown;
      };
      const rest = head.subarray(delimiterAt + DELIMITER.length);
      return {
        statusCode: Number.isInteger(prelude.statusCode) ? (prelude.statusCode as number) : 200,
        headers: Object.fromEntries(Object.entries(prelude.headers ?? {}).map(([k, v]) => [k, String(v)])),
        cookies: Array.isArray(prelude.cookies) ? prelude.cookies.map(String) : [],
        body: (async function* () {
          if (rest.length > 0) yield rest;
          for (;;) {
            const next = await iterator.next();
            if (next.done) return;
            yield next.value;
          }
        })(),
      };
    }
    if (head.length > MAX_PRELUDE_BYTES)
      throw new Error('No response prelude in the first 64 KB of the stream');
    const next = await iterator.next();
    if (next.done) throw new Error('The response stream ended before its prelude');
    head = Buffer.concat([head, next.value]);
  }
}
