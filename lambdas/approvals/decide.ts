import { zodIssuesToFieldErrors } from '../core/problem-fields';
import { appendAudit } from '../onboarding/audit';
import { logger } from '../shared/observability';
import { type ResumeOutcome, resumeTask } from '../shared/resume-task';
import {
  type ApprovalRecord,
  decisionFormSchema,
  hashApprovalId,
  isWellFormedApprovalId,
  linkState,
  nonceMatches,
  type RecordedDecision,
  taskOutput,
} from './approval';
import {
  claimSendLease,
  getApproval,
  markAudited,
  markResumed,
  markTaskClosed,
  recordDecision,
  releaseSendLease,
} from './repository';

/**
 * Deciding a link (the POST), as a sequence of single-item conditional writes around one Step Functions
 * call:
 *
 * 1. `recordDecision`: pending + unexpired -> decided, exactly once; the winner also takes a send lease.
 * 2. The decision goes into the onboarding's audit trail (once: `auditedAt` marks it done).
 * 3. `SendTaskSuccess` with the token kept on the item; then `resumedAt` is set.
 *
 * If step 2 or 3 fails transiently the lease is released and the approver is asked to submit again: a
 * retried POST with the page's nonce finds the decision recorded but not resumed, takes the lease and
 * repeats steps 2-3 with the *recorded* decision. A concurrent second POST finds the lease held (or the
 * link resumed) and is told the link was already decided, so the execution is resumed at most once per
 * link. If Step Functions says the task is closed (its deadline passed and the workflow re-issued the
 * step), the decision stays on record and the link becomes expired.
 */

export interface DecideRequest {
  readonly approvalId: string;
  readonly form: Readonly<Record<string, string | string[]>>;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly now: Date;
}

export type DecideOutcome =
  | { kind: 'notFound' }
  | { kind: 'badNonce'; record: ApprovalRecord }
  | { kind: 'invalid'; record: ApprovalRecord; errors: { field: string; message: string }[] }
  | { kind: 'expired'; record: ApprovalRecord; lateDecision?: RecordedDecision }
  | { kind: 'superseded'; record: ApprovalRecord }
  | { kind: 'alreadyDecided'; record: ApprovalRecord; decision: RecordedDecision }
  | { kind: 'decided'; record: ApprovalRecord; decision: RecordedDecision }
  /** Recorded but Step Functions does not have it yet; the same form may be submitted again. */
  | { kind: 'notPassedOn'; record: ApprovalRecord; decision: RecordedDecision };

const USER_AGENT_MAX_CHARS = 512;

export async function decide(request: DecideRequest): Promise<DecideOutcome> {
  const { approvalId, form, now } = request;
  if (!isWellFormedApprovalId(approvalId)) return { kind: 'notFound' };
  const record = await getApproval(hashApprovalId(approvalId));
  if (!record) return { kind: 'notFound' };

  const nonceOk = typeof form.nonce === 'string' && nonceMatches(approvalId, record.nonceSalt, form.nonce);
  const state = linkState(record, now);
  switch (state.kind) {
    case 'superseded':
      return { kind: 'superseded', record };
    case 'expired':
      return expired(record);
    case 'decided': {
      // Only the page's own retry may re-attempt a send; anyone else learns it was already decided.
      if (state.resumed || !nonceOk || !(await claimSendLease(record.approvalHash, now))) {
        return { kind: 'alreadyDecided', record, decision: state.decision };
      }
      return passOn(record, state.decision, now);
    }
    case 'open':
      break;
  }

  if (!nonceOk) return { kind: 'badNonce', record };
  const parsed = decisionFormSchema(record.choices).safeParse(form);
  if (!parsed.success) return { kind: 'invalid', record, errors: zodIssuesToFieldErrors(parsed.error) };

  const decision: RecordedDecision = {
    decision: parsed.data.decision,
    ...(parsed.data.comment ? { comment: parsed.data.comment } : {}),
    role: record.role,
    decidedAt: now.toISOString(),
    ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
    ...(request.userAgent ? { userAgent: request.userAgent.slice(0, USER_AGENT_MAX_CHARS) } : {}),
  };
  if (!(await recordDecision(record.approvalHash, decision, now))) {
    // Lost a race (another POST decided first) or the deadline passed between the read and the write.
    const current = await getApproval(record.approvalHash);
    if (current?.status === 'decided' && current.decision) {
      return { kind: 'alreadyDecided', record: current, decision: current.decision };
    }
    if (current?.status === 'superseded') return { kind: 'superseded', record: current };
    return expired(current ?? record);
  }
  return passOn(record, decision, now);
}

function expired(record: ApprovalRecord): DecideOutcome {
  return record.closedReason === 'task-closed' && record.decision
    ? { kind: 'expired', record, lateDecision: record.decision }
    : { kind: 'expired', record };
}

/** Steps 2 and 3, holding the send lease. */
async function passOn(record: ApprovalRecord, decision: RecordedDecision, now: Date): Promise<DecideOutcome> {
  const ref = record.approvalHash.slice(0, 12);
  let resumed: ResumeOutcome;
  try {
    if (!record.auditedAt) {
      await appendAudit(record.onboardingId, {
        type: 'approval.decided',
        step: record.step,
        role: record.role,
        detail: {
          decision: decision.decision,
          comment: decision.comment,
          decidedAt: decision.decidedAt,
          sourceIp: decision.sourceIp,
          userAgent: decision.userAgent,
          approvalRef: record.approvalHash,
        },
      });
      await markAudited(record.approvalHash, now);
    }
    resumed = await resumeTask(record.taskToken, taskOutput(record, decision), {
      approvalRef: ref,
      step: record.step,
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'unknown';
    logger.warn('Decision recorded but not passed on; the approver can retry', {
      approvalRef: ref,
      error: name,
    });
    await releaseSendLease(record.approvalHash).catch(() => undefined);
    return { kind: 'notPassedOn', record, decision };
  }
  if (resumed === 'closed') {
    // Decided after the task closed (timed out, or the execution ended): never "submit again".
    await markTaskClosed(record.approvalHash, now);
    await appendAudit(record.onboardingId, {
      type: 'approval.late',
      step: record.step,
      role: record.role,
      detail: { decision: decision.decision, approvalRef: record.approvalHash, reason: 'task-closed' },
    });
    return { kind: 'expired', record, lateDecision: decision };
  }
  await markResumed(record.approvalHash, now);
  logger.info('Decision passed on', { approvalRef: ref, step: record.step, decision: decision.decision });
  return { kind: 'decided', record, decision };
}
