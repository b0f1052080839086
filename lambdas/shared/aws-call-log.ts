import { logger } from './observability';

/**
 * What X-Ray's SDK subsegments used to show, at no cold-start cost: an AWS call that was slow or needed
 * a retry is logged (WARN, `Slow AWS call`) with the service, the operation, how long it took, its
 * attempts and AWS's request id. Powertools adds the invocation's X-Ray trace id to the line
 * (`xray_trace_id`), so it leads to the trace of the invocation it slowed (docs/dashboard.md, Tracing).
 */
export const SLOW_AWS_CALL_MS = 500;

interface CallMetadata {
  readonly attempts?: number;
  readonly requestId?: string;
  readonly httpStatusCode?: number;
}

/** The SDK's call metadata: on the output of a call that succeeded, on the error of one that failed. */
const metadataOf = (value: unknown): CallMetadata => (value as { $metadata?: CallMetadata })?.$metadata ?? {};

/** SDK client middleware (step `initialize`: around the retries) that logs slow or retried calls. */
export function slowCallLogMiddleware() {
  return <T>(next: (args: T) => Promise<unknown>, context: { clientName?: string; commandName?: string }) =>
    async (args: T) => {
      const started = performance.now();
      let metadata: CallMetadata = {};
      let failed = false;
      try {
        const result = await next(args);
        metadata = metadataOf((result as { output?: unknown }).output);
        return result;
      } catch (error) {
        metadata = metadataOf(error);
        failed = true;
        throw error;
      } finally {
        const durationMs = Math.round(performance.now() - started);
        const { attempts = 1, requestId, httpStatusCode } = metadata;
        if (durationMs >= SLOW_AWS_CALL_MS || attempts > 1) {
          logger.warn('Slow AWS call', {
            client: context.clientName,
            operation: context.commandName,
            durationMs,
            attempts,
            failed,
            ...(httpStatusCode === undefined ? {} : { httpStatusCode }),
            ...(requestId === undefined ? {} : { awsRequestId: requestId }),
          });
        }
      }
    };
}
