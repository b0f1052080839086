import type { Approver } from '../core/delegation';
import { sameAddress } from '../core/separation-of-duties';
import type { Role } from '../core/sop';
import type { Onboarding, WaitPhase } from '../core/workflow';
import { personalApprovalEmail } from '../onboarding/approver-emails';
import { recipientLabel } from '../onboarding/approvers';
import { appendAudit } from '../onboarding/audit';
import { sendEmail } from '../onboarding/mailer';
import { getOnboardingMeta } from '../onboarding/repository';
import { waitEmail } from '../onboarding/wait-emails';
import { WAITS } from '../onboarding/workflow/waits';
import { readSetting } from '../shared/settings';
import { type ApprovalRecord, type LinkPerson, linkState } from './approval';
import { getBallot, replaceVoter, voterKey } from './ballot';
import { issueApproval } from './issue';
import { getApproval, listLiveLinks, supersede } from './repository';

/**
 * A pending approval sent again (issue 9): to the same person when the email was lost (resend), to
 * another person (reassign), or to a member's delegate (delegation). The new link votes in the same
 * ballot with the same task token and the same deadline; the old one answers 410 at once. Every re-issue
 * is audited with who asked for it.
 */

export interface PendingLink {
  readonly record: ApprovalRecord;
  /** The member whose seat the link is (the absent member when a delegate holds it). */
  readonly seat: LinkPerson | undefined;
}

/** The links of a step still waiting for their person (not decided, not replaced, not expired). */
export async function pendingLinks(
  onboardingId: string,
  step?: number,
  now = new Date(),
): Promise<PendingLink[]> {
  const pending: PendingLink[] = [];
  for (const { approvalHash } of await listLiveLinks(onboardingId, step)) {
    const record = await getApproval(approvalHash);
    if (!record || linkState(record, now).kind !== 'open') continue;
    if (record.ballotKey && (await getBallot(record.ballotKey))?.outcome) continue;
    pending.push({ record, seat: record.onBehalfOf ?? record.recipient });
  }
  return pending;
}

export interface Reissue {
  readonly record: ApprovalRecord;
  /** Who gets the new link. */
  readonly to: Approver;
  readonly reason: 'resend' | 'reassign' | 'delegation' | 'people-change';
  /** Who asked: an admin's identity, or the member who named a delegate. */
  readonly by: { name: string; email: string };
}

/** Issues the new link, closes the old one, emails the new one and audits it all. */
export async function reissue({
  record,
  to,
  reason,
  by,
}: Reissue): Promise<{ url: string; recipient: Approver }> {
  const onboarding = await getOnboardingMeta(record.onboardingId);
  if (!onboarding) throw new Error(`No onboarding ${record.onboardingId}`);
  const now = new Date();
  const previous = record.recipient;
  const { onBehalfOf, ...recipient } = to;
  if (record.ballotKey && previous && !sameAddress(previous.email, recipient.email)) {
    await replaceVoter(record.ballotKey, voterKey(previous.email), voterKey(recipient.email));
  }
  const { url } = await issueApproval({
    onboardingId: record.onboardingId,
    departmentId: record.departmentId,
    step: record.step,
    role: record.role,
    taskToken: record.taskToken,
    expiresAt: record.expiresAt,
    choices: record.choices,
    recipient,
    ...(onBehalfOf ? { onBehalfOf } : {}),
    ...(record.ballotKey ? { ballotKey: record.ballotKey } : {}),
  });
  // The seat may have changed (reassign): the old link is closed explicitly, not only by the seat swap.
  await supersede(record.approvalHash, now);
  await appendAudit(record.onboardingId, {
    type: 'approval.reissued',
    step: record.step,
    role: record.role,
    detail: {
      reason,
      to: recipientLabel(to),
      ...(previous ? { from: recipientLabel(previous) } : {}),
      by,
      dueAt: record.expiresAt,
      supersededRef: record.approvalHash,
    },
  });
  await sendEmail([recipient.email], reissuedEmail(onboarding, record, to, url));
  return { url, recipient: to };
}

function reissuedEmail(onboarding: Onboarding, record: ApprovalRecord, to: Approver, url: string) {
  const phase = phaseOf(onboarding, record.step, record.role);
  const state = onboarding.steps[String(record.step)];
  const email = waitEmail({
    onboarding,
    phase,
    dueAt: state?.dueAt ?? record.expiresAt,
    escalations: state?.escalationsByPhase?.[phase] ?? 0,
    baseUrl: readSetting('publicBaseUrl'),
    approvalUrl: url,
  });
  return personalApprovalEmail(email, to, url);
}

/** The wait a link belongs to: the step's running phase when its role matches, else the role's wait. */
function phaseOf(onboarding: Onboarding, step: number, role: Role): WaitPhase {
  const running = onboarding.steps[String(step)]?.phase;
  if (running && WAITS[running].role === role) return running;
  const wait = Object.values(WAITS).find((w) => w.step === step && w.role === role && w.kind !== 'templates');
  if (!wait) throw new Error(`Step ${step} has no wait for ${role}`);
  return wait.phase;
}

/** The pending links of one role of an onboarding, re-issued to `person` (the onboarding's LinkReissuer port). */
export async function reissueToPerson(
  onboardingId: string,
  role: Role,
  person: { name: string; email: string },
  by: { name: string; email: string },
): Promise<number> {
  let reissued = 0;
  for (const { record } of await pendingLinks(onboardingId)) {
    if (record.role !== role) continue;
    await reissue({ record, to: { name: person.name, email: person.email }, reason: 'people-change', by });
    reissued += 1;
  }
  return reissued;
}
