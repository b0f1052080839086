import { loadWorkingCalendar } from '../../config/repository';
import { stepDeadline } from '../../core/deadline';
import type { StepNumber } from '../../core/sop';
import { stepNumberSchema } from '../../core/vocabulary';
import { secondsUntil } from '../../core/workflow';
import * as z from '../../core/zod';
import { readSetting } from '../../shared/settings';
import { appendAudit } from '../audit';
import { getOnboardingMeta, setStatus } from '../repository';
import { STEP_EFFECTS } from '../step-effects';
import { enterPhase, startStep } from '../step-state';
import { stepModule } from '../steps';
import { WAITS } from '../workflow/waits';
import { onboardingIdSchema, phaseSchema, workflowTask } from './task';

/**
 * "Set deadline for …", before each wait: starts the step (first wait) or the wait, records it on the onboarding and in the
 * audit trail, and returns the deadline the callback task times out on. A wait with its own clock (step
 * 4's review and resubmission) gets a fresh deadline each time it is entered; the others share the step's.
 * Retries find the step already started / the wait already entered and return the same deadline.
 */
const inputSchema = z.object({
  onboardingId: onboardingIdSchema,
  step: stepNumberSchema,
  phase: phaseSchema,
});

export interface WaitDeadline {
  readonly dueAt: string;
  readonly timeoutSeconds: number;
  /** Escalations of this wait so far; the escalation task increments it. */
  readonly escalations: number;
}

export const handler = workflowTask(
  inputSchema,
  async ({ onboardingId, step, phase }): Promise<WaitDeadline> => {
    const spec = WAITS[phase];
    if (spec.step !== step) throw new TypeError(`Wait ${phase} belongs to step ${spec.step}, not ${step}`);
    const before = await getOnboardingMeta(onboardingId);
    if (!before) throw new Error(`No onboarding ${onboardingId}`);
    const now = new Date();
    const state = before.steps[String(step)] ?? {};

    const freshDeadline = async () => {
      const deadline = stepDeadline({
        startedAt: now,
        workingDays: spec.workingDays,
        calendar: await loadWorkingCalendar(),
        timeScale: readSetting('timeScale'),
      });
      return {
        dueAt: deadline.dueAt,
        timeoutAt: new Date(now.getTime() + deadline.timeoutSeconds * 1000).toISOString(),
      };
    };

    if (!state.startedAt) {
      // Before the start is recorded: what the status API then shows must already hold (issue 14).
      await stepModule(step).onStart?.(before, now, STEP_EFFECTS);
      const deadline = await freshDeadline();
      const started = await startStep(onboardingId, step as StepNumber, {
        startedAt: now.toISOString(),
        ...deadline,
        ...(spec.concurrent ? {} : { phase }),
      });
      if (started) {
        await appendAudit(onboardingId, {
          type: 'step.started',
          step,
          role: spec.role,
          detail: { phase, dueAt: deadline.dueAt },
        });
        // A new step is progress: a STALLED flag from an earlier step no longer applies.
        await setStatus(onboardingId, 'IN_PROGRESS', ['STALLED']);
      }
    } else if (!spec.concurrent && state.phase !== phase) {
      const deadline = spec.clock === 'phase' ? await freshDeadline() : undefined;
      if (await enterPhase(onboardingId, step as StepNumber, phase, deadline)) {
        await appendAudit(onboardingId, {
          type: 'wait.started',
          step,
          role: spec.role,
          detail: { phase, ...(deadline ? { dueAt: deadline.dueAt } : {}) },
        });
      }
    }

    const after = (await getOnboardingMeta(onboardingId))?.steps[String(step)] ?? {};
    if (!after.dueAt || !after.timeoutAt) throw new Error(`Step ${step} of ${onboardingId} has no deadline`);
    return {
      dueAt: after.dueAt,
      timeoutSeconds: secondsUntil(after.timeoutAt, now, 1),
      escalations: after.escalationsByPhase?.[phase] ?? 0,
    };
  },
);
