import type { Role, StepNumber } from '../core/sop';
import { scanAllItems } from '../shared/all-items';
import { tableName } from '../shared/tables';
import { type ApprovalRecord, linkState } from './approval';
import { supersede } from './repository';

/**
 * The approval links of onboardings as an admin sees them: what state each is in and who it went to,
 * never its id or hash (the id is the approver's credential). Read by a scan of the Approvals table
 * (links are kept 90 days after a decision, so it stays small), for the admin CLI only.
 */

/** live: can be decided now; used: decided; superseded: a newer link replaced it; expired: past its
 * deadline; ended: the onboarding was cancelled while it was pending. */
export type AdminLinkState = 'live' | 'used' | 'superseded' | 'expired' | 'ended';

export interface AdminLinkView {
  readonly onboardingId: string;
  readonly step: StepNumber;
  readonly role: Role;
  readonly state: AdminLinkState;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly recipient?: { readonly name: string; readonly email: string };
  readonly decision?: { readonly decision: string; readonly decidedAt: string };
  readonly closedAt?: string;
}

/** Why a link closed without a decision: `onboarding-ended` is the admin's cancel. */
export const ONBOARDING_ENDED = 'onboarding-ended';

export function adminLinkView(record: ApprovalRecord, now: Date): AdminLinkView {
  const state = linkState(record, now);
  const recipient = (record as { recipient?: { name: string; email: string } }).recipient;
  return {
    onboardingId: record.onboardingId,
    step: record.step,
    role: record.role,
    state:
      state.kind === 'open'
        ? 'live'
        : state.kind === 'decided'
          ? 'used'
          : (record.closedReason as string | undefined) === ONBOARDING_ENDED
            ? 'ended'
            : state.kind,
    issuedAt: record.createdAt,
    expiresAt: record.expiresAt,
    ...(recipient ? { recipient: { name: recipient.name, email: recipient.email } } : {}),
    ...(record.decision
      ? { decision: { decision: record.decision.decision, decidedAt: record.decision.decidedAt } }
      : {}),
    ...(record.closedAt ? { closedAt: record.closedAt } : {}),
  };
}

async function scanLinks(filter: {
  onboardingId?: string;
  pendingOnly?: boolean;
}): Promise<ApprovalRecord[]> {
  const conditions = ['sk = :approval'];
  const values: Record<string, unknown> = { ':approval': 'APPROVAL' };
  const names: Record<string, string> = {};
  if (filter.onboardingId) {
    conditions.push('onboardingId = :onb');
    values[':onb'] = filter.onboardingId;
  }
  if (filter.pendingOnly) {
    conditions.push('#status = :pending');
    values[':pending'] = 'pending';
    names['#status'] = 'status';
  }
  const found = (await scanAllItems({
    TableName: tableName('approvals'),
    FilterExpression: conditions.join(' AND '),
    ExpressionAttributeValues: values,
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
  })) as ApprovalRecord[];
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Every link of one onboarding, oldest first. */
export async function linksOf(onboardingId: string, now = new Date()): Promise<AdminLinkView[]> {
  return (await scanLinks({ onboardingId })).map((record) => adminLinkView(record, now));
}

/** The links that can be decided now, of every onboarding. */
export async function liveLinks(now = new Date()): Promise<AdminLinkView[]> {
  return (await scanLinks({ pendingOnly: true }))
    .map((record) => adminLinkView(record, now))
    .filter((link) => link.state === 'live');
}

/**
 * Closes every pending link of a cancelled onboarding: each answers 410 with "this onboarding has ended"
 * from now on. A link decided meanwhile keeps its decision (the condition only closes pending ones).
 * Returns how many were closed.
 */
export async function endLinksOf(onboardingId: string, now: Date): Promise<number> {
  let closed = 0;
  for (const record of await scanLinks({ onboardingId, pendingOnly: true })) {
    if (await supersede(record.approvalHash, now, ONBOARDING_ENDED)) closed++;
  }
  return closed;
}
