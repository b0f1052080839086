import { istDateOf } from './calendar';
import { parseIsoDate } from './iso-date';
import { sameAddress } from './separation-of-duties';

/**
 * Out-of-office delegation (issue 9): while a member is away, the tasks of every role they belong to go
 * to a delegate, who decides "on behalf of" them. Pure: no AWS.
 *
 * The range is of Delhi calendar days, both ends included: a delegation "from 2026-12-07 until
 * 2026-12-11" starts at 00:00 IST on the 7th and ends at 24:00 IST on the 11th, whatever the server's
 * clock zone. Delegation does not chain: a delegate who is away too is still the one asked (their own
 * delegate is not), so a task can never loop between two people.
 */

export interface PersonRef {
  readonly name: string;
  readonly email: string;
}

export interface Delegation {
  readonly from: PersonRef;
  readonly to: PersonRef;
  /** First IST day the delegate acts, YYYY-MM-DD. */
  readonly fromDate: string;
  /** Last IST day the delegate acts, YYYY-MM-DD (included). */
  readonly until: string;
}

/** Who is asked to act: the member, or their delegate acting on their behalf. */
export interface Approver extends PersonRef {
  readonly onBehalfOf?: PersonRef;
}

/** Whether the delegation is in force at `now` (its IST date within the range). */
export function isDelegationActive(delegation: Delegation, now: Date): boolean {
  const today = istDateOf(now);
  return delegation.fromDate <= today && today <= delegation.until;
}

/** The person to ask instead of `member` at `now`: their active delegate, else the member themselves. */
export function approverFor(member: PersonRef, delegations: readonly Delegation[], now: Date): Approver {
  const active = delegations.find(
    (delegation) => sameAddress(delegation.from.email, member.email) && isDelegationActive(delegation, now),
  );
  return active
    ? { ...active.to, onBehalfOf: { name: member.name, email: member.email } }
    : { name: member.name, email: member.email };
}

/** Problems with a delegation an admin or a member asks for at `now`, as [field, message] pairs. */
export function delegationProblems(delegation: Delegation, now: Date): [string, string][] {
  const problems: [string, string][] = [];
  const from = parseIsoDate(delegation.fromDate);
  const until = parseIsoDate(delegation.until);
  if (from === undefined) problems.push(['fromDate', 'Must be a date, YYYY-MM-DD']);
  if (until === undefined) problems.push(['until', 'Must be a date, YYYY-MM-DD']);
  if (from !== undefined && until !== undefined) {
    if (until < from) problems.push(['until', 'Must not be before the first day']);
    else if (delegation.until < istDateOf(now)) problems.push(['until', 'Must not be in the past (IST)']);
  }
  if (sameAddress(delegation.from.email, delegation.to.email)) {
    problems.push(['to', 'Must be someone else: a member cannot delegate to themselves']);
  }
  return problems;
}
