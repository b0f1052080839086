import type { APIGatewayProxyEvent } from 'aws-lambda';
import { zodIssuesToFieldErrors } from '../core/problem-fields';
import { appendAudit } from '../onboarding/audit';
import { logger } from '../shared/observability';
import { type ResumeOutcome, resumeTask } from '../shared/resume-task';
import {
  type ApprovalRecord,
  decidedBy,
  decisionFormSchema,
  hashApprovalId,
  isWellFormedApprovalId,
  type LinkState,
  linkState,
  nonceMatches,
  type RecordedDecision,
  taskOutput,
} from './approval';
import { castVote, getBallot, listVotes, recordOutcome, tallyBallot } from './ballot';
import {
  claimSendLease,
  getApproval,
  markAudited,
  markResumed,
  markTaskClosed,
  markVoteCounted,
  recordDecision,
  releaseSendLease,
  setOutcome,
} from './repository';

/**
 * Deciding a link (the POST), as a sequence of single-item conditional writes around one Step Functions
 * call:
 *
 * 1. `recordDecision`: pending + unexpired -> decided, exactly once; the winner also takes a send lease.
 * 2. The decision goes into the onboarding's audit trail (once: `auditedAt` marks it done), with the
 *    person who decided. A member's link then votes in the role's ballot (./ballot): until the role's
 *    rule is met the vote is only counted (`voteCountedAt`); the vote that meets it writes the ballot's
 *    outcome once, and only that link goes on to step 3 with the role's decision. Once the outcome is
 *    written, the other members' links show who decided and no form.
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
  /** The decision form's fields (./form), checked here against what the link offers. */
  readonly form: { readonly nonce?: string; readonly decision?: string; readonly comment?: string };
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly now: Date;
}

/** Who sent a decision, as its audit keeps it: the request's source address and browser. */
export const senderOf = (event: APIGatewayProxyEvent): Pick<DecideRequest, 'sourceIp' | 'userAgent'> => ({
  sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
  userAgent: event.headers?.['user-agent'] ?? undefined,
});

export type DecideOutcome =
  | { kind: 'notFound' }
  | { kind: 'badNonce'; record: ApprovalRecord }
  | { kind: 'invalid'; record: ApprovalRecord; errors: { field: string; message: string }[] }
  | { kind: 'expired'; record: ApprovalRecord; lateDecision?: RecordedDecision }
  | { kind: 'superseded'; record: ApprovalRecord }
  | { kind: 'alreadyDecided'; record: ApprovalRecord; decision: RecordedDecision }
  | { kind: 'decided'; record: ApprovalRecord; decision: RecordedDecision }
  /** Recorded but Step Functions does not have it yet; the same form may be submitted again. */
  | { kind: 'notPassedOn'; record: ApprovalRecord; decision: RecordedDecision }
  /** A committee member's vote is in; the role's rule is not met yet (`approvals` of `needed`). */
  | {
      kind: 'voteCounted';
      record: ApprovalRecord;
      decision: RecordedDecision;
      approvals: number;
      needed: number;
    }
  /** The role's rule was met by the other members' votes: this link has nothing left to decide. */
  | { kind: 'decidedByOther'; record: ApprovalRecord; outcome: RecordedDecision };

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
      const settled = await committeeView(record, state);
      if (settled) return settled;
      // Only the page's own retry may re-attempt a send; anyone else learns it was already decided.
      if (state.resumed || !nonceOk || !(await claimSendLease(record.approvalHash, now))) {
        return { kind: 'alreadyDecided', record, decision: state.decision };
      }
      return settle(record, state.decision, now);
    }
    case 'open': {
      const moot = await committeeView(record, state);
      if (moot) return moot;
      break;
    }
  }

  if (!nonceOk) return { kind: 'badNonce', record };
  const parsed = decisionFormSchema(record.choices).safeParse(form);
  if (!parsed.success) return { kind: 'invalid', record, errors: zodIssuesToFieldErrors(parsed.error) };

  const decision: RecordedDecision = {
    decision: parsed.data.decision,
    ...(parsed.data.comment ? { comment: parsed.data.comment } : {}),
    role: record.role,
    ...(decidedBy(record) ? { by: decidedBy(record) } : {}),
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
  return settle(record, decision, now);
}

/**
 * What a committee member's link shows without deciding anything: its counted vote, or the decision the
 * others reached (to GET and POST alike). Undefined for every other link.
 */
export async function committeeView(
  record: ApprovalRecord,
  state: LinkState,
): Promise<DecideOutcome | undefined> {
  if (state.kind === 'open') return committeeState(record);
  if (state.kind === 'decided' && record.voteCountedAt) {
    return (await committeeState(record)) ?? counted(record, state.decision);
  }
  return undefined;
}

/** A link whose committee decided without it (the rule met by others), else undefined. */
async function committeeState(record: ApprovalRecord): Promise<DecideOutcome | undefined> {
  if (!record.ballotKey) return undefined;
  const ballot = await getBallot(record.ballotKey);
  return ballot?.outcome && ballot.outcome.approvalHash !== record.approvalHash
    ? { kind: 'decidedByOther', record, outcome: ballot.outcome.decision }
    : undefined;
}

/** A counted vote as its page shows it (a fresh tally: others may have voted since). */
async function counted(record: ApprovalRecord, decision: RecordedDecision): Promise<DecideOutcome> {
  const ballot = record.ballotKey ? await getBallot(record.ballotKey) : undefined;
  const tally = ballot ? tallyBallot(ballot, await listVotes(ballot.ballotKey)) : undefined;
  return {
    kind: 'voteCounted',
    record,
    decision,
    approvals: tally?.kind === 'open' ? tally.approvals : 0,
    needed: tally?.kind === 'open' ? tally.needed : 1,
  };
}

/**
 * Holding the send lease, with this link's decision recorded: audit it, count it in the role's ballot
 * (a committee), and pass the role's decision on once the rule is met. A link without a ballot (issued
 * to the role as a whole) decides alone.
 */
async function settle(record: ApprovalRecord, decision: RecordedDecision, now: Date): Promise<DecideOutcome> {
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
          ...(decision.by ? { by: decision.by } : {}),
          sourceIp: decision.sourceIp,
          userAgent: decision.userAgent,
          approvalRef: record.approvalHash,
        },
      });
      await markAudited(record.approvalHash, now);
    }
    if (!record.ballotKey || record.outcome) return await passOn(record, record.outcome ?? decision, now);
    const ballot = await getBallot(record.ballotKey);
    if (!ballot) return await passOn(record, decision, now);
    if (!ballot.outcome) {
      await castVote(ballot, record.recipient?.email ?? record.approvalHash, {
        vote: decision,
        approvalHash: record.approvalHash,
      });
      const tally = tallyBallot(ballot, await listVotes(ballot.ballotKey));
      if (tally.kind === 'open') {
        await markVoteCounted(record.approvalHash, now);
        return { kind: 'voteCounted', record, decision, approvals: tally.approvals, needed: tally.needed };
      }
      await recordOutcome(ballot.ballotKey, {
        decision: tally.deciding.vote,
        approvalHash: record.approvalHash,
      });
    }
    const settled = await getBallot(ballot.ballotKey);
    if (settled?.outcome?.approvalHash !== record.approvalHash) {
      await markVoteCounted(record.approvalHash, now);
      return settled?.outcome
        ? { kind: 'decidedByOther', record, outcome: settled.outcome.decision }
        : counted(record, decision);
    }
    await setOutcome(record.approvalHash, settled.outcome.decision);
    return await passOn(record, settled.outcome.decision, now);
  } catch (error) {
    return notPassedOn(record, decision, error);
  }
}

async function notPassedOn(
  record: ApprovalRecord,
  decision: RecordedDecision,
  error: unknown,
): Promise<DecideOutcome> {
  const name = error instanceof Error ? error.name : 'unknown';
  logger.warn('Decision recorded but not passed on; the approver can retry', {
    approvalRef: record.approvalHash.slice(0, 12),
    error: name,
  });
  await releaseSendLease(record.approvalHash).catch(() => undefined);
  return { kind: 'notPassedOn', record, decision };
}

function expired(record: ApprovalRecord): DecideOutcome {
  return record.closedReason === 'task-closed' && record.decision
    ? { kind: 'expired', record, lateDecision: record.decision }
    : { kind: 'expired', record };
}

/** Step 3, holding the send lease: the role's decision goes to Step Functions. */
async function passOn(record: ApprovalRecord, decision: RecordedDecision, now: Date): Promise<DecideOutcome> {
  const ref = record.approvalHash.slice(0, 12);
  const resumed: ResumeOutcome = await resumeTask(record.taskToken, taskOutput(record, decision), {
    approvalRef: ref,
    step: record.step,
  });
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
