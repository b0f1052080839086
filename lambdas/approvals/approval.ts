import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role, type StepNumber } from '../core/sop';
import type { Decision } from '../core/workflow';
import * as z from '../core/zod';
import { stepModule } from '../onboarding/steps';
import { WAITS } from '../onboarding/workflow/waits';

/**
 * Approval links, as rules: how ids and form nonces are made, which choices a step offers, what a
 * decision form must contain, and what state a link is in. Pure: no AWS. The link is the approver's only
 * credential, so the raw id exists only in the emailed URL; the table keeps its sha256.
 */

/** 256 random bits, base64url: 43 characters. */
const APPROVAL_ID_BYTES = 32;
const APPROVAL_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const COMMENT_MAX_CHARS = 2000;

/** How long a decided link keeps answering "already decided" before TTL removes it. */
export const DECIDED_RETENTION_SECONDS = 90 * 24 * 3600;

/**
 * While one request passes a decision on to Step Functions, others must not do the same; a request that
 * died mid-way (Lambda timeout) frees the decision for a retry after this long. Longer than the function
 * timeout, so a live request never loses its lease.
 */
export const SEND_LEASE_SECONDS = 60;

export type ApprovalStatus = 'pending' | 'decided' | 'expired' | 'superseded';

/** A person an approval link was sent to (their e-mail is how the link reached them). */
export interface LinkPerson {
  readonly name: string;
  readonly email: string;
}

/** Who decided: the link's recipient, acting for an absent member when delegated. */
export interface DecidedBy extends LinkPerson {
  readonly onBehalfOf?: LinkPerson;
}

export interface RecordedDecision {
  readonly decision: Decision;
  readonly comment?: string;
  /** The role the link was issued to: approvers have no login, the link identifies them. */
  readonly role: Role;
  /** The person the link was issued to (links issued before personal links have none). */
  readonly by?: DecidedBy;
  readonly decidedAt: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
}

/** The Approvals table item `pk=APPROVAL#<sha256(approvalId)>, sk=APPROVAL`. */
export interface ApprovalRecord {
  readonly approvalHash: string;
  readonly onboardingId: string;
  readonly departmentId: string;
  readonly step: StepNumber;
  readonly role: Role;
  readonly choices: readonly Decision[];
  /** Server-side only: never rendered, logged or put in a URL. */
  readonly taskToken: string;
  readonly expiresAt: string;
  /** Epoch seconds: the link's expiry while pending, the retention horizon once decided (DynamoDB TTL). */
  readonly expiresAtEpoch: number;
  readonly status: ApprovalStatus;
  readonly createdAt: string;
  /** Random salt of the form nonce (see `formNonce`). */
  readonly nonceSalt: string;
  readonly decision?: RecordedDecision;
  /** Epoch seconds until which one request holds the right to call SendTaskSuccess. */
  readonly sendLeaseUntil?: number;
  /** Set once Step Functions accepted the decision. */
  readonly resumedAt?: string;
  /** Set once the decision is in the onboarding's audit trail, so a retried send does not log it twice. */
  readonly auditedAt?: string;
  /** Why the link stopped being usable without a decision reaching the workflow. */
  /** onboarding-ended: an admin cancelled the onboarding while the link was pending (./admin-links). */
  readonly closedReason?: 'task-closed' | 'superseded' | 'onboarding-ended';
  readonly closedAt?: string;
  /** The person this link was sent to; absent on links issued before personal links. */
  readonly recipient?: LinkPerson;
  /** The member the recipient stands in for (out-of-office delegation). */
  readonly onBehalfOf?: LinkPerson;
  /** The role's ballot this link votes in (see ./ballot); absent on links issued before committees. */
  readonly ballotKey?: string;
  /** Set once this link's vote is in its ballot without meeting the rule: the others decide the rest. */
  readonly voteCountedAt?: string;
  /** The role's decision this link passes on, when the ballot's deciding vote was another member's. */
  readonly outcome?: RecordedDecision;
}

/** The person a link's decision is recorded for. */
export function decidedBy(record: ApprovalRecord): DecidedBy | undefined {
  if (!record.recipient) return undefined;
  return record.onBehalfOf ? { ...record.recipient, onBehalfOf: record.onBehalfOf } : record.recipient;
}

export function generateApprovalId(): string {
  return randomBytes(APPROVAL_ID_BYTES).toString('base64url');
}

export function isWellFormedApprovalId(candidate: string): boolean {
  return APPROVAL_ID_PATTERN.test(candidate);
}

/** A 256-bit random id needs no salt or stretching: sha256 is enough to make the stored value useless. */
export function hashApprovalId(approvalId: string): string {
  return createHash('sha256').update(approvalId, 'utf8').digest('hex');
}

export function generateNonceSalt(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The hidden form field that proves a POST comes from a rendered page of this link. It is keyed by the raw
 * approval id (known only from the URL) over a random salt (known only to the table), so neither the URL
 * alone nor a copy of the table is enough to forge it; it is unrelated to the task token.
 */
export function formNonce(approvalId: string, nonceSalt: string, form: LinkForm = 'approval-form'): string {
  return createHmac('sha256', approvalId).update(`${form}:v1:${nonceSalt}`).digest('base64url');
}

/** The forms of a link; each has its own nonce, so one form's nonce never submits the other. */
export type LinkForm = 'approval-form' | 'delegation-form';

export function nonceMatches(
  approvalId: string,
  nonceSalt: string,
  candidate: string,
  form: LinkForm = 'approval-form',
): boolean {
  const expected = Buffer.from(formNonce(approvalId, nonceSalt, form));
  const given = Buffer.from(candidate);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** "Return" exists only where a wait of the step offers it (the HoD at steps 3-4, the reviewer at 4). */
export function stepAllowsReturn(step: number): boolean {
  return Object.values(WAITS).some((w) => w.step === step && w.choices.includes('return'));
}

/** The label of the approve button, in the step's own words where "approve" would be misleading. */
export function approveLabel(step: number): string {
  return stepModule(step).page?.approveLabel ?? 'Approve';
}

export const DECISION_LABELS: Readonly<Record<Decision, string>> = {
  approve: 'Approve',
  return: 'Return for amendments',
  reject: 'Reject',
};

export function roleLabel(role: Role): string {
  return ROLES[role];
}

/** "R. Sharma (r.sharma@…), on behalf of A. Gupta, for the State Committee". */
export function decidedByLabel(decision: RecordedDecision): string {
  const role = roleLabel(decision.role);
  const by = decision.by;
  if (!by) return role;
  const behalf = by.onBehalfOf ? `, on behalf of ${by.onBehalfOf.name}` : '';
  return `${by.name} (${by.email})${behalf}, for the ${role}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * The decision form, for a link offering `choices` at `step`. A comment is required when returning for
 * amendments (the department must know what to change) and when rejecting (the reason ends the
 * onboarding); optional when approving.
 */
export function decisionFormSchema(choices: readonly Decision[]) {
  return z
    .object({
      nonce: z
        .string({ error: 'The form is incomplete: reload the page and submit again.' })
        .check(z.minLength(1)),
      decision: z.enum(choices as [Decision, ...Decision[]], {
        error: `Choose one of: ${choices.map((c) => DECISION_LABELS[c]).join(', ')}.`,
      }),
      comment: z.pipe(
        z.pipe(
          z.optional(z.string({ error: 'The comment must be text.' })),
          z.transform((value) => value?.replace(CONTROL_EXCEPT_NEWLINES, '').trim() ?? ''),
        ),
        z
          .string()
          .check(z.maxLength(COMMENT_MAX_CHARS, `Keep the comment under ${COMMENT_MAX_CHARS} characters.`)),
      ),
    })
    .check(
      z.superRefine((form, ctx) => {
        if (form.comment === '' && form.decision === 'return') {
          ctx.addIssue({
            code: 'custom',
            path: ['comment'],
            message: 'Say what the department must change.',
          });
        }
        if (form.comment === '' && form.decision === 'reject') {
          ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Give the reason for rejecting.' });
        }
      }),
    );
}

/** What a link can do right now, as the page and the POST see it. */
export type LinkState =
  /** Waiting for a decision. */
  | { kind: 'open' }
  /** Past its deadline without a decision, or the workflow had moved on when the decision arrived. */
  | { kind: 'expired' }
  /** A newer link replaced this one before anyone used it. */
  | { kind: 'superseded' }
  /** Decided; `resumed` says whether Step Functions has it yet. */
  | { kind: 'decided'; decision: RecordedDecision; resumed: boolean };

export function linkState(record: ApprovalRecord, now: Date): LinkState {
  if (record.status === 'decided' && record.decision) {
    return { kind: 'decided', decision: record.decision, resumed: record.resumedAt !== undefined };
  }
  if (record.status === 'superseded') return { kind: 'superseded' };
  if (record.status === 'expired') return { kind: 'expired' };
  return nowEpoch(now) < record.expiresAtEpoch ? { kind: 'open' } : { kind: 'expired' };
}

export function nowEpoch(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

/** The JSON the callback task receives (all three decisions are task successes; the ASL routes them). */
export interface TaskOutput {
  readonly decision: Decision;
  readonly comment?: string;
  readonly role: Role;
  readonly approvalId: string;
  readonly decidedAt: string;
  readonly by?: DecidedBy;
}

/**
 * `approvalId` in the output is the *hash* of the link id: the execution history is readable by admins
 * and kept for 90 days, and the raw id is a credential.
 */
export function taskOutput(record: ApprovalRecord, decision: RecordedDecision): TaskOutput {
  return {
    decision: decision.decision,
    ...(decision.comment ? { comment: decision.comment } : {}),
    role: decision.role,
    approvalId: record.approvalHash,
    decidedAt: decision.decidedAt,
    ...(decision.by ? { by: decision.by } : {}),
  };
}
