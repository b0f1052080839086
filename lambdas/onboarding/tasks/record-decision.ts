import * as z from 'zod';
import { ROLES, type Role, type StepNumber } from '../../core/sop';
import { DECISIONS, isStepComplete } from '../../core/workflow';
import { appendAudit } from '../audit';
import { appendDecision, claimWaitToken, completeStep } from '../repository';
import { onboardingIdSchema, phaseSchema, stepSchema, workflowTask } from './task';

/**
 * After a wait ends with a decision (approval link, or step 8's test-counts signal): the decision goes on
 * the step (shown by the status API) and in the audit trail, and the step is completed when it is
 * complete (step 10 needs both approvals) or ended by a rejection. Idempotent per decision.
 */
const inputSchema = z.object({
  onboardingId: onboardingIdSchema,
  step: stepSchema,
  phase: phaseSchema,
  decision: z.object({
    decision: z.enum(DECISIONS),
    comment: z.string().max(5000).optional(),
    role: z.enum([...(Object.keys(ROLES) as [Role, ...Role[]])]),
    approvalId: z.string().optional(),
    decidedAt: z.iso.datetime({ offset: true }),
  }),
});

export const handler = workflowTask(
  inputSchema,
  async ({ onboardingId, step, phase, decision }): Promise<void> => {
    const record = {
      role: decision.role,
      decision: decision.decision,
      decidedAt: decision.decidedAt,
      phase,
      ...(decision.comment ? { comment: decision.comment } : {}),
      ...(decision.approvalId ? { approvalId: decision.approvalId } : {}),
    };
    const { onboarding, appended } = await appendDecision(onboardingId, step as StepNumber, record);
    if (appended) {
      await appendAudit(onboardingId, {
        type: 'DECISION',
        step,
        role: decision.role,
        detail: {
          phase,
          decision: decision.decision,
          ...(decision.approvalId ? { approvalId: decision.approvalId } : {}),
          ...(decision.comment ? { comment: decision.comment } : {}),
        },
      });
    }
    const decisions = onboarding.steps[String(step)]?.decisions ?? [];
    const ends =
      decision.decision === 'reject' ||
      (decision.decision === 'approve' && isStepComplete(step as StepNumber, decisions));
    if (ends && (await completeStep(onboardingId, step as StepNumber, new Date().toISOString()))) {
      await appendAudit(onboardingId, {
        type: 'STEP_COMPLETED',
        step,
        detail: { decision: decision.decision },
      });
    }
    // Step 8 ended one way: the other way (the test-counts signal) must find nothing to resume.
    if (step === 8) await claimWaitToken(onboardingId, 'SIGNAL');
  },
);
