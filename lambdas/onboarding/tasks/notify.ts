import { loadWorkingCalendar } from '../../config/repository';
import { stepDeadline } from '../../core/deadline';
import { type StepNumber, sopStep } from '../../core/sop';
import type { Onboarding } from '../../core/workflow';
import * as z from '../../core/zod';
import { preloadSes } from '../../shared/ses';
import { readSetting } from '../../shared/settings';
import { appendAudit } from '../audit';
import { recipientsFor, sendEmail } from '../mailer';
import { getOnboarding } from '../repository';
import { STEP_EFFECTS } from '../step-effects';
import { recordAutomaticStep } from '../step-state';
import { NOTIFY_STEPS, stepModule } from '../steps';
import { onboardingIdSchema, workflowTask } from './task';

/**
 * The automatic SoP steps: each is one email (its step module's `notify`: recipient and text), after
 * which the step is complete. A step already complete (a retry after success) sends nothing again.
 */
const inputSchema = z.object({
  onboardingId: onboardingIdSchema,
  step: z.number().check(z.refine((n) => NOTIFY_STEPS.includes(n as StepNumber), 'an automatic SoP step')),
});

/** When the step after `step` will be due if it starts now: the date the email asks for. */
async function nextStepDueAfter(step: StepNumber, now: Date): Promise<string> {
  const next = sopStep(sopStep(step).next ?? step);
  return stepDeadline({
    startedAt: now,
    workingDays: next.workingDays,
    calendar: await loadWorkingCalendar(),
  }).dueAt;
}

async function message(step: StepNumber, onboarding: Onboarding, now: Date) {
  const notify = stepModule(step).notify;
  if (!notify) throw new TypeError(`SoP step ${step} sends no automatic email`);
  const nextStepDueAt = notify.needsNextStepDueAt ? await nextStepDueAfter(step, now) : '';
  return {
    to: await recipientsFor(notify.recipient, onboarding),
    email: await notify.compose(onboarding, {
      baseUrl: readSetting('publicBaseUrl'),
      nextStepDueAt,
      effects: STEP_EFFECTS,
    }),
  };
}

// Every invocation sends mail: SES is loaded in the cold start, not by the first invocation.
await preloadSes();

export const handler = workflowTask(inputSchema, async ({ onboardingId, step }): Promise<void> => {
  const onboarding = await getOnboarding(onboardingId);
  if (!onboarding) throw new Error(`No onboarding ${onboardingId}`);
  if (onboarding.steps[String(step)]?.completedAt) return;
  const now = new Date();
  const { to, email } = await message(step as StepNumber, onboarding, now);
  await sendEmail(to, email);
  if (await recordAutomaticStep(onboardingId, step as StepNumber, now.toISOString())) {
    await appendAudit(onboardingId, {
      type: 'step.completed',
      step,
      role: 'system',
      detail: { emailed: to.length },
    });
  }
});
