import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { formatFieldPath } from '../../core/problem-fields';
import { WAIT_PHASES } from '../../core/workflow';
import * as z from '../../core/zod';
import { flushMetrics } from '../../shared/middleware/flush-metrics';
import { logger } from '../../shared/observability';

/**
 * The middy chain of the Lambdas the state machine calls: structured logs keyed by onboarding,
 * metrics flushed after every invocation, and the input checked against a zod schema. Invalid input is a
 * bug in the definition, so it fails the task (Step Functions then retries or surfaces it).
 */
export function workflowTask<S extends z.core.$ZodType, R>(
  schema: S,
  fn: (input: z.infer<S>, context: Context) => Promise<R>,
) {
  return middy(async (event: unknown, context: Context): Promise<R> => {
    const parsed = z.safeParse(schema, event);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${formatFieldPath(i.path)}: ${i.message}`).join('; ');
      throw new TypeError(`Invalid workflow task input (${fields})`);
    }
    const onboardingId = (parsed.data as { onboardingId?: unknown }).onboardingId;
    if (typeof onboardingId === 'string') logger.appendKeys({ onboardingId });
    return fn(parsed.data, context);
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(flushMetrics());
}

export const onboardingIdSchema = z.string().check(z.minLength(1), z.maxLength(80));
export const phaseSchema = z.enum(WAIT_PHASES);
