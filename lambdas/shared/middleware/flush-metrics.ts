import type { MiddlewareObj } from '@middy/core';
import { metrics } from '../observability';

const flushMetricsAfter = (): void => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
};

/**
 * Publishes the metrics an invocation recorded, after it succeeded or failed; silent when it recorded
 * none. Any handler shape (API, workflow task, connector stream): it reads neither event nor response.
 */
export const flushMetrics = <E = unknown, R = unknown>(): MiddlewareObj<E, R> => ({
  after: flushMetricsAfter,
  onError: flushMetricsAfter,
});
