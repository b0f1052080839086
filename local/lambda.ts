import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../lambdas/functions';
import { localLambdaArn } from './aws';
import { installAwsLambdaGlobal, isStreamingHandler, LambdaResponseStream } from './response-streaming';

export type LambdaHandler = (event: unknown, context: Context) => unknown;

/** Lambda's limits on a synchronous invocation's event and result, as serialised JSON. */
export const MAX_EVENT_BYTES = 6_291_456;
export const MAX_RESULT_BYTES = 6_291_556;

/** The defaults lib/lambda-functions.ts deploys with. */
const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MEMORY_MB = 512;

interface LoadedFunction {
  readonly id: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly handler?: LambdaHandler;
  readonly loadError?: unknown;
}

/**
 * An error a function invocation ended with, shaped like Lambda reports it: `errorType` is the thrown
 * error's `name` (what Step Functions matches in Retry/Catch), `errorMessage` its message.
 */
export class FunctionError extends Error {
  constructor(
    readonly functionId: string,
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: readonly string[],
  ) {
    super(`${functionId} failed with ${errorType}: ${errorMessage}`);
    this.name = 'FunctionError';
  }

  /** The JSON Lambda returns for a failed invocation, which Step Functions puts in `Cause`. */
  get payload(): { errorType: string; errorMessage: string; trace: readonly string[] } {
    return { errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace };
  }
}

/** Lambda refused the invocation: the event is over its payload limit (the function never ran). */
export class EventTooLargeError extends Error {
  constructor(readonly functionId: string) {
    super(`The event for ${functionId} is larger than ${MAX_EVENT_BYTES} bytes`);
    this.name = 'RequestEntityTooLargeException';
  }
}

/**
 * The Lambda functions of local mode: each FunctionSpec's `entry` module, imported in-process and called
 * the way the Lambda Node.js runtime calls it (JSON-serialised event and result, a context object with a
 * deadline). Import the registry only after the environment for handlers is set: handlers create their
 * AWS clients and read configuration at module scope.
 */
export class FunctionRegistry {
  private readonly functions: ReadonlyMap<string, LoadedFunction>;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(functions: readonly LoadedFunction[]) {
    this.functions = new Map(functions.map((f) => [f.id, f]));
  }

  /**
   * Imports every function's entry module. A module that fails to import does not stop the others (the
   * system is developed in parallel); invoking that function rethrows its import error.
   */
  static async load(specs: readonly FunctionSpec[], rootDir: string): Promise<FunctionRegistry> {
    // Streaming handlers wrap themselves with the runtime's `awslambda` global when their module loads.
    installAwsLambdaGlobal();
    const loaded = await Promise.all(
      specs.map(async (spec): Promise<LoadedFunction> => {
        const base = {
          id: spec.id,
          timeoutSeconds: spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
          memorySize: spec.memorySize ?? DEFAULT_MEMORY_MB,
        };
        try {
          const module = (await import(pathToFileURL(resolve(rootDir, spec.entry)).href)) as {
            handler?: unknown;
          };
          if (typeof module.handler !== 'function') {
            throw new TypeError(`${spec.entry} does not export a function named handler`);
          }
          return { ...base, handler: module.handler as LambdaHandler };
        } catch (loadError) {
          return { ...base, loadError };
        }
      }),
    );
    return new FunctionRegistry(loaded);
  }

  /** A registry of handlers given directly (tests of the local runtime itself). */
  static fromHandlers(
    handlers: Record<string, LambdaHandler>,
    timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
  ): FunctionRegistry {
    installAwsLambdaGlobal();
    return new FunctionRegistry(
      Object.entries(handlers).map(([id, handler]) => ({
        id,
        handler,
        timeoutSeconds,
        memorySize: DEFAULT_MEMORY_MB,
      })),
    );
  }

  get ids(): string[] {
    return [...this.functions.keys()];
  }

  has(id: string): boolean {
    return this.functions.has(id);
  }

  /** Functions whose module could not be imported, with the reason. */
  get loadErrors(): { id: string; error: unknown }[] {
    return [...this.functions.values()]
      .filter((f) => f.loadError !== undefined)
      .map((f) => ({ id: f.id, error: f.loadError }));
  }

  /**
   * Invokes a function synchronously (RequestResponse). Resolves with the JSON-round-tripped result;
   * rejects with a FunctionError when the handler throws (or its module could not be imported), after
   * logging it as the Lambda runtime would in the function's log group.
   */
  invoke(id: string, event: unknown): Promise<unknown> {
    const invocation = this.run(id, event);
    this.inFlight.add(invocation);
    const forget = () => this.inFlight.delete(invocation);
    invocation.then(forget, forget);
    return invocation;
  }

  /**
   * Invokes a function with a response stream (InvokeWithResponseStream, what an API Gateway `STREAM`
   * integration calls): returns at once the stream the handler writes into. A handler that fails, or was
   * not made with `awslambda.streamifyResponse`, destroys the stream with a FunctionError (after logging it
   * as `invoke` does); so does an event over the payload limit, with an EventTooLargeError.
   */
  invokeWithResponseStream(id: string, event: unknown): LambdaResponseStream {
    const stream = new LambdaResponseStream();
    const invocation = this.runStreaming(id, event, stream);
    this.inFlight.add(invocation);
    const forget = () => this.inFlight.delete(invocation);
    invocation.then(forget, forget);
    return stream;
  }

  /**
   * Waits for the invocations still running, so a stopping runtime does not pull DynamoDB out from under
   * a workflow task that an aborted execution started. Bounded: a hung handler does not block shutdown.
   */
  async drain(maxWaitMs = 5_000): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    clearTimeout(timer);
  }

  private async runStreaming(id: string, event: unknown, stream: LambdaResponseStream): Promise<void> {
    try {
      const { fn, handler, serialisedEvent } = this.prepare(id, event);
      try {
        if (!isStreamingHandler(handler)) {
          const message = `${id} is not a streaming handler (awslambda.streamifyResponse)`;
          throw new FunctionError(id, 'Runtime.InvalidStreamingOperation', message, []);
        }
        await handler(JSON.parse(serialisedEvent), stream, lambdaContext(fn));
        // Like Lambda: a handler that returns without ending its stream has its stream ended for it.
        if (!stream.writableEnded) stream.end();
      } catch (error) {
        throw this.logged(id, error);
      }
    } catch (error) {
      stream.destroy(error as Error);
    }
  }

  /** The function and its JSON-round-tripped event; throws what Lambda refuses before running it. */
  private prepare(
    id: string,
    event: unknown,
  ): { fn: LoadedFunction; handler: LambdaHandler; serialisedEvent: string } {
    const fn = this.functions.get(id);
    if (!fn) throw new RangeError(`No local function ${id}`);
    const serialisedEvent = JSON.stringify(event ?? null);
    if (Buffer.byteLength(serialisedEvent) > MAX_EVENT_BYTES) throw new EventTooLargeError(id);
    if (!fn.handler) {
      const reason = fn.loadError instanceof Error ? fn.loadError.message : String(fn.loadError);
      throw this.logged(id, new FunctionError(id, 'Runtime.ImportModuleError', reason, []));
    }
    return { fn, handler: fn.handler, serialisedEvent };
  }

  private logged(id: string, error: unknown): FunctionError {
    const failure = toFunctionError(id, error);
    console.error(`[local lambda] ${id} Invoke Error:`, failure.trace.join('\n') || failure.message);
    return failure;
  }

  private async run(id: string, event: unknown): Promise<unknown> {
    const { fn, handler, serialisedEvent } = this.prepare(id, event);
    try {
      const result = await handler(JSON.parse(serialisedEvent), lambdaContext(fn));
      const serialisedResult = JSON.stringify(result ?? null);
      if (Buffer.byteLength(serialisedResult) > MAX_RESULT_BYTES) {
        const message = `Response payload size exceeded maximum allowed payload size (${MAX_RESULT_BYTES} bytes).`;
        throw new FunctionError(id, 'Function.ResponseSizeTooLarge', message, []);
      }
      return JSON.parse(serialisedResult);
    } catch (error) {
      throw this.logged(id, error);
    }
  }
}

function toFunctionError(functionId: string, error: unknown): FunctionError {
  if (error instanceof FunctionError) return error;
  if (error instanceof Error) {
    return new FunctionError(functionId, error.name, error.message, (error.stack ?? '').split('\n'));
  }
  return new FunctionError(functionId, 'Error', String(error), []);
}

function lambdaContext(fn: LoadedFunction): Context {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is the deprecated callback API; return or throw from the handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.id,
    functionVersion: '$LATEST',
    invokedFunctionArn: localLambdaArn(fn.id),
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.id}`,
    logStreamName: `${today}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
