import type { StepNumber } from '../../core/sop';
import { decisionSchema, roleSchema, stepNumberSchema } from '../../core/vocabulary';
import { type Decision, type DecisionRecord, isStepComplete } from '../../core/workflow';
import * as z from '../../core/zod';
import { appendAudit } from '../audit';
import { moveServiceCodes } from '../code-phase';
import { getOnboardingMeta } from '../repository';
import { STEP_EFFECTS } from '../step-effects';
import { appendDecision, completeStep } from '../step-state';
import { stepModule } from '../steps';
import { WAITS } from '../workflow/waits';
import { onboardingIdSchema, phaseSchema, workflowTask } from './task';

/**
 * After a wait ends with a decision (approval link, or step 8's test-counts signal): the decision goes on
 * the step (shown by the status API) and in the audit trail, and the step is completed when it is
 * complete (step 10 needs both approvals) or ended by a rejection. Idempotent per decision.
 */
const personSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(254)),
  email: z.string().check(z.minLength(3), z.maxLength(254)),
});

const inputSchema = z.object({
  onboardingId: onboardingIdSchema,
  step: stepNumberSchema,
  phase: phaseSchema,
  decision: z.object({
    decision: decisionSchema,
    comment: z.optional(z.string().check(z.maxLength(5000))),
    role: roleSchema,
    approvalId: z.optional(z.string()),
    decidedAt: z.iso.datetime({ offset: true }),
    by: z.optional(z.extend(personSchema, { onBehalfOf: z.optional(personSchema) })),
  }),
});

export const handler = workflowTask(
  inputSchema,
  async ({ onboardingId, step, phase, decision }): Promise<void> => {
    const before = await getOnboardingMeta(onboardingId);
    if (!before) throw new Error(`No onboarding ${onboardingId}`);
    // Nobody can submit templates while such a wait's decision is recorded (the wait has ended and the
    // next has not begun), so the current version is the one the approver saw.
    const seen =
      WAITS[phase].decidesOnTemplates && before.templatesSubmissionId
        ? { templates: { version: before.templatesVersion, submissionId: before.templatesSubmissionId } }
        : {};
    const record = {
      role: decision.role,
      decision: decision.decision,
      decidedAt: decision.decidedAt,
      phase,
      ...(decision.comment ? { comment: decision.comment } : {}),
      ...(decision.approvalId ? { approvalId: decision.approvalId } : {}),
      ...seen,
      ...(decision.by ? { by: decision.by } : {}),
    };
    // What the decision sets off is written before the decision itself (a rejection: codes rejected; an
    // approval completing the step: its onApproved hook), so the status API is never ahead (issue 14).
    const now = new Date();
    if (decision.decision === 'reject') await moveServiceCodes(before, 'rejected', now);
    else if (
      endsStep(step as StepNumber, decision.decision, [
        ...(before.steps[String(step)]?.decisions ?? []),
        record,
      ])
    )
      await stepModule(step).onApproved?.(before, now, STEP_EFFECTS);

    const { onboarding, appended } = await appendDecision(onboardingId, step as StepNumber, record);
    if (appended) {
      await appendAudit(onboardingId, {
        type: 'decision.recorded',
        step,
        role: decision.role,
        detail: {
          phase,
          decision: decision.decision,
          ...(decision.by ? { by: decision.by } : {}),
          ...(decision.approvalId ? { approvalId: decision.approvalId } : {}),
          ...(decision.comment ? { comment: decision.comment } : {}),
        },
      });
    }
    const decisions = onboarding.steps[String(step)]?.decisions ?? [];
    if (
      endsStep(step as StepNumber, decision.decision, decisions) &&
      (await completeStep(onboardingId, step as StepNumber, new Date().toISOString()))
    ) {
      await appendAudit(onboardingId, {
        type: 'step.completed',
        step,
        detail: { decision: decision.decision },
      });
    }
    await stepModule(step).afterDecision?.(onboardingId, STEP_EFFECTS);
  },
);

function endsStep(step: StepNumber, decision: Decision, decisions: readonly DecisionRecord[]): boolean {
  return decision === 'reject' || (decision === 'approve' && isStepComplete(step, decisions));
}
