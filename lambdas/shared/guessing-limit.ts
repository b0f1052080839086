import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { dependencyUnavailable, isDependencyFailure } from './dependency-failure';
import { HttpError, TooManyRequestsError } from './errors';
import type { HttpResult } from './http-responses';
import { logger, metrics, signalOperator } from './observability';
import { tableName } from './tables';
import { add, read, type WindowedCounter } from './windowed-counter';

/**
 * No unlimited guessing: a source address whose requests keep failing authentication (401 for API keys,
 * 404 for approval links) is refused for the rest of the window with 429 and Retry-After, whatever it
 * sends, so a correct guess is not distinguishable during the block. Failures are counted per source and
 * kind in the Limits table (../shared/windowed-counter); each one is a metric, and a source reaching the
 * limit raises the GuessingSourceBlocked operator signal (one alarm). Other addresses are not affected.
 * The refusal is thrown, so the route answers it as it answers every error (a page on approval links).
 */
export const GUESSING_LIMIT = {
  /** Failures one address may have in a window before it is refused. */
  failures: 20,
  windowSeconds: 10 * 60,
} as const;

export type GuessingKind = 'api-key' | 'approval-link';

export interface GuessingLimitOptions {
  readonly kind: GuessingKind;
  /** The status that counts as a failed guess. */
  readonly failureStatus: number;
}

function counterFor(kind: GuessingKind, sourceIp: string): WindowedCounter {
  return {
    table: tableName('limits'),
    key: { pk: `GUESS#${kind}#${sourceIp}`, sk: 'FAILURES' },
    windowSeconds: GUESSING_LIMIT.windowSeconds,
    limit: GUESSING_LIMIT.failures,
  };
}

const sourceIpOf = (event: APIGatewayProxyEvent): string | undefined =>
  event.requestContext?.identity?.sourceIp || undefined;

async function recordFailure(kind: GuessingKind, sourceIp: string): Promise<void> {
  const failures = await add(counterFor(kind, sourceIp), new Date());
  const metric = metrics.singleMetric();
  metric.addDimension('kind', kind);
  metric.addMetric('GuessingFailures', MetricUnit.Count, 1);
  if (failures === GUESSING_LIMIT.failures) {
    logger.warn('Source blocked after repeated failed guesses', { kind, sourceIp, failures });
    signalOperator('GuessingSourceBlocked', { kind, sourceIp });
  }
}

export const guessingLimit = (
  options: GuessingLimitOptions,
): MiddlewareObj<APIGatewayProxyEvent, HttpResult, Error, Context> => {
  const failed = async (event: APIGatewayProxyEvent, status: number | undefined) => {
    const sourceIp = sourceIpOf(event);
    if (!sourceIp || status !== options.failureStatus) return;
    // Best effort: the answer to the request does not depend on the count being stored.
    await recordFailure(options.kind, sourceIp).catch((error: unknown) =>
      logger.warn('Could not count a failed guess', { kind: options.kind, error }),
    );
  };
  return {
    before: async ({ event }) => {
      const sourceIp = sourceIpOf(event);
      if (!sourceIp) return;
      let state: { count: number; retryAfterSeconds: number };
      try {
        state = await read(counterFor(options.kind, sourceIp), new Date());
      } catch (error) {
        // The route's error answer renders it (a problem, or a page for people).
        if (!isDependencyFailure(error)) throw error;
        throw dependencyUnavailable(error);
      }
      const { count, retryAfterSeconds } = state;
      if (count < GUESSING_LIMIT.failures) return;
      throw new TooManyRequestsError(
        `Too many failed attempts from your address; wait ${retryAfterSeconds} seconds and send again.`,
        retryAfterSeconds,
        { problemType: 'too-many-failed-attempts' },
      );
    },
    after: async ({ event, response }) => failed(event, response?.statusCode),
    onError: async ({ event, error }) => failed(event, error instanceof HttpError ? error.status : undefined),
  };
};
