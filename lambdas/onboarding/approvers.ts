import { type ContactRole, committeeRuleOf } from '../config/contacts';
import { getContacts, listDelegations } from '../config/repository';
import { ANY_MEMBER, type CommitteeRule } from '../core/committee';
import { type Approver, approverFor } from '../core/delegation';
import type { Role } from '../core/sop';
import type { Onboarding } from '../core/workflow';
import { reportContactsMissing } from './mailer';

/**
 * Who is asked to decide for a role, and by which rule (issue 9, "approvers are people"):
 *   the department's own people come from the onboarding (one person each, deciding alone);
 *   the DeGS and e-Taal roles are their configured members (`npm run admin -- contacts`), each replaced
 *   by their delegate while out of office (core/delegation.ts), deciding by the role's rule.
 * A role nobody was configured for asks nobody: that is reported like any missing contact, and the
 * step's deadline and escalation still run.
 */
export async function approversFor(
  role: Role,
  onboarding: Onboarding,
  now: Date,
): Promise<{ approvers: Approver[]; rule: CommitteeRule }> {
  if (role === 'department') return single(onboarding.nodalOfficer);
  if (role === 'competentAuthority') return single(onboarding.competentAuthority);
  if (role === 'system') return { approvers: [], rule: ANY_MEMBER };
  const contacts = await getContacts(role as ContactRole);
  if (!contacts || contacts.members.length === 0) {
    reportContactsMissing(role);
    return { approvers: [], rule: ANY_MEMBER };
  }
  const delegations = await listDelegations();
  return {
    approvers: contacts.members.map((member) => approverFor(member, delegations, now)),
    rule: committeeRuleOf(contacts),
  };
}

function single(person: { name: string; email: string }): { approvers: Approver[]; rule: CommitteeRule } {
  return { approvers: [{ name: person.name, email: person.email }], rule: ANY_MEMBER };
}

/** A person as the audit trail shows them: "Name <address>", with whom they stand in for. */
export function recipientLabel(approver: Approver): string {
  const who = `${approver.name} <${approver.email}>`;
  return approver.onBehalfOf
    ? `${who} on behalf of ${approver.onBehalfOf.name} <${approver.onBehalfOf.email}>`
    : who;
}
