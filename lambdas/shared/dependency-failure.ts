import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareObj } from '@middy/core';
import { ServiceUnavailableError } from './errors';

/**
 * A dependency (DynamoDB, Step Functions, SES…) that timed out, refused or failed on its side is a 503
 * with Retry-After, never a 500: the request was fine and may be sent again. When the request had already
 * written something before the failure, the answer says so, because a resend then meets part of its own
 * work (every write of this system is idempotent or conditional, so resending is safe).
 */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

export function isDependencyFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, code, $fault } = error as Error & { code?: string; $fault?: string };
  return (
    TRANSIENT_NAMES.has(name) || (code !== undefined && TRANSIENT_CODES.has(code)) || $fault === 'server'
  );
}

/** Per invocation (AsyncLocalStorage: local mode runs invocations concurrently in one process). */
const invocation = new AsyncLocalStorage<{ wrote: boolean }>();

/** Starts each invocation with nothing written. */
export const trackWrites = (): MiddlewareObj => ({
  before: () => {
    invocation.enterWith({ wrote: false });
  },
});

const WRITE_COMMAND =
  /^(Put|Update|Delete|BatchWrite|TransactWrite)(Item)?Command$|^(SendTask|StartExecution|SendEmail)/;

/** Records that a command which changes state succeeded (an SDK client middleware calls it). */
export function noteCommandSucceeded(commandName: string | undefined): void {
  const state = invocation.getStore();
  if (state && commandName && WRITE_COMMAND.test(commandName)) state.wrote = true;
}

/** The 503 for a failed dependency, saying whether part of the request may already be applied. */
export function dependencyUnavailable(cause: unknown): ServiceUnavailableError {
  const partial = invocation.getStore()?.wrote === true;
  return new ServiceUnavailableError(
    partial
      ? 'A service we depend on did not answer in time; some items may already be applied; resend the same request.'
      : 'A service we depend on did not answer in time; nothing was changed. Send the same request again.',
    DEPENDENCY_RETRY_AFTER_SECONDS,
    { problemType: 'dependency-unavailable', cause },
  );
}

/** SDK client middleware: notes each successful state-changing command of the current invocation. */
export function writeTrackingMiddleware() {
  return <T>(next: (args: T) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: T) => {
      const result = await next(args);
      noteCommandSucceeded(context.commandName);
      return result;
    };
}
