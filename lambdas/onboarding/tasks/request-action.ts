import { formatCommitteeRule } from '../../core/committee';
import type { StepNumber } from '../../core/sop';
import { stepNumberSchema } from '../../core/vocabulary';
import type { WaitPhase } from '../../core/workflow';
import * as z from '../../core/zod';
import { readSetting } from '../../shared/settings';
import { personalApprovalEmail } from '../approver-emails';
import { approversFor, recipientLabel } from '../approvers';
import { appendAudit } from '../audit';
import { dossierBlocks } from '../dossier-email';
import { loadDossier } from '../dossier-source';
import { underDailyCap } from '../email-cap';
import { sendOrReport } from '../email-delivery';
import { resumeIfTestCountsArrived } from '../integration-signal';
import { recipientsFor, sendEmail } from '../mailer';
import type { ApprovalLinks, TestCountsReader } from '../ports';
import { getOnboardingMeta } from '../repository';
import { revisionBlocks, revisionFor } from '../revision';
import { stepModule } from '../steps';
import { waitEmail } from '../wait-emails';
import { putWaitToken } from '../wait-tokens';
import { choicesFor, WAITS } from '../workflow/waits';
import { onboardingIdSchema, phaseSchema, workflowTask } from './task';

/**
 * The callback task of every wait ("Step NN: Wait for …"): requests the actor's action. Keeps the task
 * token server-side and tells the actor what to do:
 *   approvals - issues an approval link (bound to the token, expiring with the wait) and emails it;
 *   templates - stores the token for PUT /templates and asks the department to (re)submit;
 *   step 8    - both: the test-counts signal or the DeGS link resumes the wait, whichever comes first.
 * After an escalation the wait is entered again with a new token, so the actor gets a reminder with a
 * fresh link (the earlier one expired with the old token).
 */
const inputSchema = z.object({
  taskToken: z.string().check(z.minLength(1)),
  onboardingId: onboardingIdSchema,
  step: stepNumberSchema,
  phase: phaseSchema,
  timeoutSeconds: z.int().check(z.minimum(1)),
  dueAt: z.iso.datetime(),
  escalations: z.int().check(z.minimum(0)),
});

/**
 * The task, given the approvals domain's link issuer and the counts domain's test counts (wired in
 * lambdas/entries/onboarding-request-action.ts).
 */
export const requestActionTask = (approvals: ApprovalLinks, counts: TestCountsReader) =>
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
        type: 'templates.requested',
        step,
        role: spec.role,
        detail: { phase, dueAt, escalations },
      });
      const returned = stepModule(step).waitReturn?.(onboarding, phase);
      // The first request for templates is step 2's email; later ones explain a return or remind.
      if (phase === 'templates' && escalations === 0 && !returned) return;
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
              ...(returned ? { returned } : {}),
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
    // Until the HoD decides, the department may replace the templates: PUT /templates ends this wait
    // with the same token (its link is superseded when the wait is entered again for the new version).
    if (spec.replaceable) {
      await putWaitToken(onboardingId, 'TEMPLATES', { taskToken, step: step as StepNumber, phase });
    }
    const { approvers, rule } = await approversFor(spec.role, onboarding, new Date());
    const { links } = await approvals.issue({
      onboardingId,
      departmentId: onboarding.departmentId,
      step: step as StepNumber,
      role: spec.role,
      taskToken,
      expiresAt,
      choices: choicesFor(phase, onboarding),
      approvers,
      rule,
    });
    await appendAudit(onboardingId, {
      type: 'approval.requested',
      step,
      role: spec.role,
      detail: {
        phase,
        dueAt,
        escalations,
        recipients: links.map(({ recipient }) => recipientLabel(recipient)),
        rule: formatCommitteeRule(rule),
      },
    });
    // What the approvers decide on, built once for all of them: a resubmission's approver is told which
    // return it answers and what changed, and every approver gets the dossier.
    const revision = spec.decidesOnTemplates
      ? await revisionFor(onboarding, step as StepNumber, spec.role)
      : undefined;
    const dossier = dossierBlocks(await loadDossier(onboarding, step as StepNumber, spec.role, counts));
    // Each approver gets their own link. A link that cannot be emailed is reported and the wait goes on
    // (./email-delivery). A reminder (escalations > 0) counts against the recipient's daily cap; the first
    // request never does.
    for (const { recipient, url } of links) {
      const to = escalations > 0 ? await underDailyCap([recipient.email]) : [recipient.email];
      const email = waitEmail({
        onboarding,
        phase,
        dueAt,
        escalations,
        baseUrl,
        approvalUrl: url,
        dossier,
        ...(revision ? { revision: revisionBlocks(revision) } : {}),
      });
      await sendOrReport(() => sendEmail(to, personalApprovalEmail(email, recipient, url)), {
        onboardingId,
        step,
        role: spec.role,
        purpose: `${phase} approval link`,
      });
    }
  });
