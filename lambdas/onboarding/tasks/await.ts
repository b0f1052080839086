import * as z from 'zod';
import type { StepNumber } from '../../core/sop';
import { choicesFor, WAITS, type WaitPhase } from '../../core/workflow';
import { readSetting } from '../../shared/settings';
import { appendAudit } from '../audit';
import { underDailyCap } from '../email-cap';
import { sendOrReport } from '../email-delivery';
import { waitEmail } from '../emails';
import { resumeIfTestCountsArrived } from '../integration-signal';
import { recipientsFor, sendEmail } from '../mailer';
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
    const baseUrl = readSetting('publicBaseUrl');
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
      // A reminder (escalations > 0) counts against the recipient's daily cap; the first request never does.
      const department = await recipientsFor('department', onboarding);
      const to = escalations > 0 ? await underDailyCap(department) : department;
      await sendOrReport(
        () =>
          sendEmail(
            to,
            waitEmail({
              onboarding,
              phase,
              dueAt,
              escalations,
              baseUrl,
              ...(returnComment ? { returnComment } : {}),
            }),
          ),
        { onboardingId, step, role: spec.role, purpose: `${phase} request` },
      );
      return;
    }

    if (spec.kind === 'approvalOrSignal') {
      await putWaitToken(onboardingId, 'SIGNAL', { taskToken, step: step as StepNumber, phase });
      // Test counts may have come before this wait was set up: then they end it, and no link is sent.
      if (await resumeIfTestCountsArrived(onboardingId)) return;
      const reminder = stepModule(step).departmentReminder;
      if (escalations > 0 && reminder) {
        const to = await underDailyCap(await recipientsFor('department', onboarding));
        await sendOrReport(() => sendEmail(to, reminder(onboarding, baseUrl, dueAt, escalations)), {
          onboardingId,
          step,
          role: 'department',
          purpose: `${phase} reminder`,
        });
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
    // A link that cannot be emailed is reported and the wait goes on (./email-delivery).
    // A reminder (escalations > 0) counts against the recipient's daily cap; the first request never does.
    const recipients = await recipientsFor(spec.role, onboarding);
    const to = escalations > 0 ? await underDailyCap(recipients) : recipients;
    await sendOrReport(
      () => sendEmail(to, waitEmail({ onboarding, phase, dueAt, escalations, baseUrl, approvalUrl: url })),
      { onboardingId, step, role: spec.role, purpose: `${phase} approval link` },
    );
  });
