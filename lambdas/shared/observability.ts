import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OperatorSignal } from './operator-signals';
import { readSetting } from './settings';

/**
 * One Logger and Metrics per container. Service name and log level come from the standard Powertools
 * env vars (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL) so CDK and local mode
 * configure them without code. Tracing is Lambda's own (active tracing, lib/lambda-functions.ts): no
 * X-Ray SDK in the functions, whose import would cost every cold start (docs/dashboard.md, Cold start);
 * slow AWS calls are logged instead (./aws-call-log.ts).
 */
const serviceName = readSetting('serviceName');

/**
 * Keys whose values are credentials wherever they appear (headers, events, errors), matched on the key
 * name, case-insensitively: `x-api-key`, `apiKey`, `Authorization`, `Cookie`, and anything ending in
 * password, secret or token (`taskToken`, `approvalToken`, `clientSecret`).
 */
const SECRET_KEY = /^(x-)?api[-_]?key$|authorization$|cookie$|password$|secret$|token$/i;

export const REDACTED = '[REDACTED]';

/** An approval link's id is its credential, wherever a path or URL carrying it is logged (event, error). */
const APPROVAL_LINK_ID = /(\/approvals\/)[A-Za-z0-9_-]+/g;

/** JSON replacer that masks secret-looking keys; exported so tests and other sinks can reuse it. */
export function redactSecrets(key: string, value: unknown): unknown {
  if (key === 'approvalId' && typeof value === 'string') return REDACTED;
  if (typeof value === 'string' && value.includes('/approvals/')) {
    return value.replace(APPROVAL_LINK_ID, `$1${REDACTED}`);
  }
  return key !== '' && SECRET_KEY.test(key) && value !== undefined && value !== null ? REDACTED : value;
}

export const logger = new Logger({ serviceName, jsonReplacerFn: redactSecrets });

export const metrics = new Metrics({
  serviceName,
  namespace: readSetting('metricsNamespace'),
});

/** Publishes a situation an admin must act on (./operator-signals); details go to the metadata. */
export function signalOperator(signal: OperatorSignal, metadata: Record<string, string> = {}): void {
  const metric = metrics.singleMetric();
  for (const [key, value] of Object.entries(metadata)) metric.addMetadata(key, value);
  metric.addMetric(signal, MetricUnit.Count, 1);
}
