import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadWorkingCalendar } from '../../config/repository';
import { stepDeadline } from '../../core/deadline';
import { nextEscalationDeadline } from '../../core/escalation';
import type { StepNumber } from '../../core/sop';
import { stepNumberSchema } from '../../core/vocabulary';
import { isStalled, secondsUntil } from '../../core/workflow';
import * as z from '../../core/zod';
import { metrics, signalOperator } from '../../shared/observability';
import { preloadSes } from '../../shared/ses';
import { readSetting } from '../../shared/settings';
import { appendAudit } from '../audit';
import { underDailyCap } from '../email-cap';
import { sendOrReport } from '../email-delivery';
import { recipientsFor, sendEmail } from '../mailer';
import { getOnboardingMeta, setStatus } from '../repository';
import { recordEscalation } from '../step-state';
import { escalationEmail } from '../wait-emails';
import { WAITS } from '../workflow/waits';
import type { WaitDeadline } from './set-deadline';
import { onboardingIdSchema, phaseSchema, workflowTask } from './task';

/**
 * A wait timed out (States.Timeout): record the breach (audit + StepDeadlineBreached metric), give the
 * wait a new deadline of its working days from now, and email the escalation contact. The state machine
 * then enters the wait again, which sends the actor a reminder with a fresh link. From the
 * ESCALATION_LIMIT-th escalation of a wait the onboarding is flagged STALLED (the OnboardingStalled signal
 * tells the admin) and escalations come at most weekly; it keeps waiting and never fails on its own.
 */
const inputSchema = z.object({
  onboardingId: onboardingIdSchema,
  step: stepNumberSchema,
  phase: phaseSchema,
  escalations: z.int().check(z.minimum(0)),
});

// Every invocation sends mail: SES is loaded in the cold start, not by the first invocation.
await preloadSes();

export const handler = workflowTask(
  inputSchema,
  async ({ onboardingId, step, phase, escalations }): Promise<WaitDeadline> => {
    const spec = WAITS[phase];
    const now = new Date();
    const before = await getOnboardingMeta(onboardingId);
    if (!before) throw new Error(`No onboarding ${onboardingId}`);
    const previousDueAt = before.steps[String(step)]?.dueAt;
    const count = escalations + 1;
    const limit = readSetting('escalationLimit');
    // From the escalation limit on, at most one reminder a week (lambdas/core/escalation.ts).
    const deadline = nextEscalationDeadline({
      deadline: stepDeadline({
        startedAt: now,
        workingDays: spec.workingDays,
        calendar: await loadWorkingCalendar(),
        timeScale: readSetting('timeScale'),
      }),
      now,
      escalations: count,
      limit,
      timeScale: readSetting('timeScale'),
    });
    const timeoutAt = new Date(now.getTime() + deadline.timeoutSeconds * 1000).toISOString();
    const updated = await recordEscalation(onboardingId, step as StepNumber, phase, escalations, {
      dueAt: deadline.dueAt,
      timeoutAt,
    });

    if (!updated) {
      // A retry of an escalation that was recorded already: answer with what it recorded, send nothing.
      const state = before.steps[String(step)] ?? {};
      return {
        dueAt: state.dueAt ?? deadline.dueAt,
        timeoutSeconds: state.timeoutAt ? secondsUntil(state.timeoutAt, now, 1) : deadline.timeoutSeconds,
        escalations: state.escalationsByPhase?.[phase] ?? escalations + 1,
      };
    }

    const stalled = isStalled(count, limit);
    await appendAudit(onboardingId, {
      type: 'step.deadline-breached',
      step,
      role: spec.role,
      detail: { phase, previousDueAt, dueAt: deadline.dueAt, escalations: count },
    });
    metrics.addDimension('step', String(step));
    metrics.addMetric('StepDeadlineBreached', MetricUnit.Count, 1);
    if (stalled && (await setStatus(onboardingId, 'STALLED', ['IN_PROGRESS']))) {
      await appendAudit(onboardingId, {
        type: 'onboarding.stalled',
        step,
        role: spec.role,
        detail: { phase, escalations: count },
      });
      signalOperator('OnboardingStalled', { onboardingId, step: String(step) });
    }
    const to = await underDailyCap(await recipientsFor('escalation', updated));
    const email = escalationEmail({
      onboarding: updated,
      phase,
      previousDueAt,
      dueAt: deadline.dueAt,
      escalations: count,
      limit,
      stalled,
    });
    await sendOrReport(() => sendEmail(to, email), {
      onboardingId,
      step,
      role: 'escalation',
      purpose: `${phase} escalation`,
    });
    return { dueAt: deadline.dueAt, timeoutSeconds: deadline.timeoutSeconds, escalations: count };
  },
);
