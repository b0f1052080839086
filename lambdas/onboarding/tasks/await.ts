import * as z from 'zod';
import type { StepNumber } from '../../core/sop';
import { choicesFor, WAITS, type WaitPhase } from '../../core/workflow';
import { appendAudit } from '../audit';
import { waitEmail } from '../emails';
import { resumeIfTestCountsArrived } from '../integration-signal';
import { recipientsFor, sendEmail, settings } from '../mailer';
import type { ApprovalLinks } from '../ports';
import { getOnboardingMeta, putWaitToken } from '../repository';
import { stepModule } from '../steps';
import { onboardingIdSchema, phaseSchema, stepSchema, workflowTask } from './task';

/**
 * The callback task of every wait. Keeps the task token server-side and tells the actor what to do:
 *   approvals - issues an approval link (bound to the token, expiring with the wait) and emails it;
 *   templates - stores the token for PUT /templates and asks the department to (re)submit;
 *   step 8    - both: the test-counts signal or the DeGS link resumes the wait, whichever comes first.
 * After an escalation the wait is entered again with a new token, so the actor gets a reminder with a
 * fresh link (the earlier one expired with the old token).
 */
const inputSchema = z.object({
  taskToken: z.string().min(1),
  onboardingId: onboardingIdSchema,
  step: stepSchema,
  phase: phaseSchema,
  timeoutSeconds: z.number().int().min(1),
  dueAt: z.iso.datetime(),
  escalations: z.number().int().min(0),
});

/** The comment of the latest return for amendments, for the department's resubmission request. */
/** The task, given the approvals domain's link issuer (wired in lambdas/entries/onboarding-await.ts). */
export const awaitTask = (approvals: ApprovalLinks) =>
  workflowTask(inputSchema, async (input): Promise<void> => {
    const { taskToken, onboardingId, step, phase, timeoutSeconds, dueAt, escalations } = input;
    const spec = WAITS[phase as WaitPhase];
    const onboarding = await getOnboardingMeta(onboardingId);
    if (!onboarding) throw new Error(`No onboarding ${onboardingId}`);
    const baseUrl = settings.publicBaseUrl();
    // The link and the stored token are good for as long as this wait runs (shorter with ETAAL_TIME_SCALE).
    const expiresAt = new Date(Date.now() + timeoutSeconds * 1000).toISOString();

    if (spec.kind === 'templates') {
      await putWaitToken(onboardingId, 'TEMPLATES', { taskToken, step: step as StepNumber, phase });
      await appendAudit(onboardingId, {
        type: 'TEMPLATES_REQUESTED',
        step,
        role: spec.role,
        detail: { phase, dueAt, escalations },
      });
      // The first request for templates is step 2's email; later ones explain an amendment or remind.
      if (phase === 'templates' && escalations === 0) return;
      const returnComment = stepModule(step).waitComment?.(onboarding, phase);
      await sendEmail(
        await recipientsFor('department', onboarding),
        waitEmail({
          onboarding,
          phase,
          dueAt,
          escalations,
          baseUrl,
          ...(returnComment ? { returnComment } : {}),
        }),
      );
      return;
    }

    if (spec.kind === 'approvalOrSignal') {
      await putWaitToken(onboardingId, 'SIGNAL', { taskToken, step: step as StepNumber, phase });
      // Test counts may have come before this wait was set up: then they end it, and no link is sent.
      if (await resumeIfTestCountsArrived(onboardingId)) return;
      const reminder = stepModule(step).departmentReminder;
      if (escalations > 0 && reminder) {
        await sendEmail(
          await recipientsFor('department', onboarding),
          reminder(onboarding, baseUrl, dueAt, escalations),
        );
      }
    }
    const { url } = await approvals.issue({
      onboardingId,
      departmentId: onboarding.departmentId,
      step: step as StepNumber,
      role: spec.role,
      taskToken,
      expiresAt,
      choices: choicesFor(phase, onboarding.amendmentRounds ?? 0),
    });
    await appendAudit(onboardingId, {
      type: 'APPROVAL_REQUESTED',
      step,
      role: spec.role,
      detail: { phase, dueAt, escalations },
    });
    await sendEmail(
      await recipientsFor(spec.role, onboarding),
      waitEmail({ onboarding, phase, dueAt, escalations, baseUrl, approvalUrl: url }),
    );
  });
