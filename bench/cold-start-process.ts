/**
 * What the cold-start benches share: a fresh `node` process that looks like a Lambda execution
 * environment to the code it loads, and the median they report.
 */
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { settingEnvironment } from '../lambdas/shared/settings';
import { TABLES } from '../lambdas/shared/tables';
import { FUNCTION_HANDLER, FUNCTION_NODE_OPTIONS, FUNCTION_RUNTIME } from '../lib/function-bundle';

/** Lambda's Node runtime defines `awslambda` before it loads a handler (a streamed one calls it at import). */
export const RUNTIME_GLOBAL =
  'globalThis.awslambda ??= { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } };';

/** CPU milliseconds (user + system, all threads) the process has spent so far, as a script expression. */
export const CPU_MS = '((u) => (u.user + u.system) / 1000)(process.cpuUsage())';

/**
 * The environment of a function in Lambda, as far as the code it loads looks at it: its NODE_OPTIONS
 * (with source maps on, Node reads a module's map as it loads it), Powertools and the
 * X-Ray SDK decide from AWS_EXECUTION_ENV and LAMBDA_TASK_ROOT whether they run in Lambda (and do more
 * work when they do), the AWS SDK reads its region and credentials; AWS resources point nowhere.
 */
export function lambdaEnvironment(bundleFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_EXECUTION_ENV: `AWS_Lambda_${FUNCTION_RUNTIME.name}`,
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    LAMBDA_TASK_ROOT: dirname(bundleFile),
    _HANDLER: FUNCTION_HANDLER,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    AWS_REGION: 'ap-south-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_SERVICE_NAME: 'etaal-delhi',
    POWERTOOLS_METRICS_NAMESPACE: 'ETaalDelhi',
    NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
    // Set on every function once the API exists (lib/etaal-stack.ts); a module may read it at import.
    ...settingEnvironment({ publicBaseUrl: 'https://bench.invalid' }),
    ...Object.fromEntries(Object.values(TABLES).map((t) => [t.envVar, `bench-${t.id}`])),
    ...extra,
  };
}

/** Runs an ES module script in a fresh `node` process; it prints one JSON value, which is returned. */
export async function inFreshProcess<T>(script: string, env: NodeJS.ProcessEnv): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as T;
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
