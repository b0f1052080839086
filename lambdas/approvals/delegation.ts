import { deleteDelegation, listContacts, putDelegation, type StoredDelegation } from '../config/repository';
import { istDateOf } from '../core/calendar';
import { type Delegation, delegationProblems, isDelegationActive, type PersonRef } from '../core/delegation';
import { sameAddress } from '../core/separation-of-duties';
import * as z from '../core/zod';
import { ValidationError } from '../shared/errors';
import { linkState } from './approval';
import { getBallot } from './ballot';
import { reissue } from './reissue';
import { getApproval, listPersonalLinks } from './repository';

/**
 * Setting an out-of-office delegation (issue 9), for the admin CLI and for the member's own page behind
 * their approval link: validated (core/delegation.ts), stored, and, once in force, the member's pending
 * approvals are sent to the delegate (the old links answer 410). New tasks go to the delegate because
 * the onboarding asks for approvers through the delegations (onboarding/approvers.ts).
 */

export interface DelegationInput {
  /** The member going away. */
  readonly from: string;
  readonly to: string;
  readonly toName?: string;
  readonly until: string;
  /** Default: today in IST. */
  readonly fromDate?: string;
}

const emailSchema = z.email('Must be an email address').check(z.maxLength(254));

/** A configured member with this address (their name as on record), or undefined. */
export async function memberNamed(email: string): Promise<PersonRef | undefined> {
  for (const contacts of await listContacts()) {
    const member = contacts.members.find((m) => sameAddress(m.email, email));
    if (member) return { name: member.name, email: member.email };
  }
  return undefined;
}

export async function setDelegation(
  input: DelegationInput,
  by: { name: string; email: string },
  now: Date,
): Promise<{ delegation: StoredDelegation; active: boolean; resent: number }> {
  const errors: { field: string; message: string }[] = [];
  if (!emailSchema.safeParse(input.from).success)
    errors.push({ field: 'from', message: 'Must be an email address' });
  if (!emailSchema.safeParse(input.to).success)
    errors.push({ field: 'to', message: 'Must be an email address' });
  const from = errors.length === 0 ? await memberNamed(input.from) : undefined;
  if (errors.length === 0 && !from) {
    errors.push({
      field: 'from',
      message: 'Must be a member of a role (npm run admin -- contacts members list)',
    });
  }
  const toName = input.toName?.trim() || (await memberNamed(input.to))?.name || input.to;
  const delegation: Delegation = {
    from: from ?? { name: input.from, email: input.from },
    to: { name: toName, email: input.to },
    fromDate: input.fromDate ?? istDateOf(now),
    until: input.until,
  };
  if (errors.length === 0) {
    for (const [field, message] of delegationProblems(delegation, now)) errors.push({ field, message });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  const stored = await putDelegation(delegation, by.email ? `${by.name} <${by.email}>` : by.name, now);
  const active = isDelegationActive(delegation, now);
  const resent = active ? await resendPendingToDelegate(delegation, by, now) : 0;
  return { delegation: stored, active, resent };
}

export async function cancelDelegation(
  memberEmail: string,
  _by: { name: string; email: string },
): Promise<{ from: string; cancelled: boolean }> {
  return { from: memberEmail, cancelled: await deleteDelegation(memberEmail) };
}

/** The member's approvals still waiting for them go to the delegate, on their behalf. */
async function resendPendingToDelegate(
  delegation: Delegation,
  by: { name: string; email: string },
  now: Date,
): Promise<number> {
  let resent = 0;
  for (const approvalHash of await listPersonalLinks(delegation.from.email)) {
    const record = await getApproval(approvalHash);
    if (!record?.recipient || !sameAddress(record.recipient.email, delegation.from.email)) continue;
    if (linkState(record, now).kind !== 'open') continue;
    if (record.ballotKey && (await getBallot(record.ballotKey))?.outcome) continue;
    await reissue({
      record,
      to: { ...delegation.to, onBehalfOf: delegation.from },
      reason: 'delegation',
      by,
    });
    resent += 1;
  }
  return resent;
}
