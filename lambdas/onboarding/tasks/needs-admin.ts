import { sanitizeCause, type TaskFailure } from '../../core/resume';
import { stepNumberSchema } from '../../core/vocabulary';
import * as z from '../../core/zod';
import { logger, signalOperator } from '../../shared/observability';
import { appendAudit } from '../audit';
import { recordAttention } from '../recovery/store';
import { onboardingIdSchema, workflowTask } from './task';

/**
 * The "needs an admin" wait (lambdas/core/workflow-recovery.ts): a task failed after its retries. The
 * failure (step, task, error name and a cause without secrets or stack) goes on the onboarding, whose
 * status becomes ATTENTION (the status API explains it in a sentence), and in the audit trail; the
 * OnboardingNeedsAdmin operator signal raises the alarm. The execution then waits here until an admin
 * resumes the onboarding (`npm run admin -- onboardings resume <id>`). Idempotent: a retry records the
 * same failure again, harmlessly.
 */
const inputSchema = z.object({
  taskToken: z.string().check(z.minLength(1)),
  onboardingId: onboardingIdSchema,
  step: z.optional(stepNumberSchema),
  task: z.string().check(z.minLength(1), z.maxLength(80)),
  failure: z.looseObject({ Error: z.optional(z.string()), Cause: z.optional(z.string()) }),
});

export const handler = workflowTask(inputSchema, async (input): Promise<void> => {
  const { onboardingId, task, failure } = input;
  const recorded = await recordAttention(onboardingId, (onboarding) => {
    const value: TaskFailure = {
      step: input.step ?? onboarding.currentStep,
      task,
      error: (failure.Error ?? 'Unknown').slice(0, 120),
      cause: sanitizeCause(failure.Cause),
      at: new Date().toISOString(),
    };
    return value;
  });
  if (!recorded) {
    logger.warn('A task failed for an onboarding that is finished or gone', { onboardingId, task });
    return;
  }
  await appendAudit(onboardingId, {
    type: 'onboarding.needs-admin',
    step: recorded.step,
    role: 'system',
    detail: { task: recorded.task, error: recorded.error, cause: recorded.cause },
  });
  logger.error('An onboarding needs an admin: npm run admin -- onboardings resume <onboardingId>', {
    onboardingId,
    failure: recorded,
  });
  signalOperator('OnboardingNeedsAdmin', {
    onboardingId,
    step: String(recorded.step),
    task: recorded.task,
    error: recorded.error,
  });
});
