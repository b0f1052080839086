import type { Approver } from '../core/delegation';
import type { StepNumber } from '../core/sop';
import { decisionSchema, roleSchema, stepNumberSchema } from '../core/vocabulary';
import * as z from '../core/zod';
import type { ApprovalRequest } from '../onboarding/ports';
import { WAITS } from '../onboarding/workflow/waits';
import { publicBaseUrl } from '../shared/settings';
import {
  type ApprovalRecord,
  generateApprovalId,
  generateNonceSalt,
  hashApprovalId,
  type LinkPerson,
  stepAllowsReturn,
} from './approval';
import { ballotKeyOf, openBallot, voterKey } from './ballot';
import {
  getLiveLinkHash,
  type LinkSeat,
  notePersonalLink,
  putNewApproval,
  supersede,
  swapLiveLink,
} from './repository';

/**
 * One link: for a person (their seat in the role's ballot), or for the role as a whole when no
 * recipient is named (a role-wide link decides alone, without a ballot).
 */
export interface IssueApprovalInput extends Omit<ApprovalRequest, 'approvers' | 'rule'> {
  readonly recipient?: LinkPerson;
  readonly onBehalfOf?: LinkPerson;
  readonly ballotKey?: string;
}

export interface IssuedLink {
  readonly recipient: Approver;
  readonly approvalId: string;
  readonly url: string;
}

const personSchema = z.object({
  name: z.string().check(z.minLength(1)),
  email: z.string().check(z.minLength(3)),
});

const issueInputSchema = z
  .object({
    onboardingId: z.string().check(z.minLength(1)),
    departmentId: z.string().check(z.minLength(1)),
    step: stepNumberSchema,
    role: roleSchema,
    taskToken: z.string().check(z.minLength(1)),
    expiresAt: z.iso.datetime({ offset: true }),
    choices: z.array(decisionSchema).check(z.minLength(1)),
    recipient: z.optional(personSchema),
    onBehalfOf: z.optional(personSchema),
    ballotKey: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.superRefine((input, ctx) => {
      // Who acts in a wait of the step (the HoD also signs off amended templates at step 4).
      const actors: readonly string[] = Object.values(WAITS)
        .filter((w) => w.step === input.step && w.kind !== 'templates')
        .map((w) => w.role);
      if (!actors.includes(input.role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['role'],
          message: `step ${input.step} is not approved by ${input.role}`,
        });
      }
      if (input.choices.includes('return') && !stepAllowsReturn(input.step)) {
        ctx.addIssue({
          code: 'custom',
          path: ['choices'],
          message: `step ${input.step} has no amendment loop`,
        });
      }
      if (new Set(input.choices).size !== input.choices.length) {
        ctx.addIssue({ code: 'custom', path: ['choices'], message: 'choices repeat' });
      }
    }),
  );

export function approvalUrl(approvalId: string): string {
  return `${publicBaseUrl()}/approvals/${approvalId}`;
}

/**
 * Creates the emailed link for one callback task: one step of one onboarding, for one role, expiring with
 * the step. The returned `approvalId` is the credential: put it only in the approver's email.
 *
 * There is only ever one live link per (onboarding, step, role, seat); a seat is the member the link is
 * for (the absent member when a delegate holds it). A retried callback task (Step Functions
 * or Lambda retry, same task token) cannot get the earlier link back, because only its hash is kept, so it
 * gets a new link and the earlier one is closed as superseded; the same happens when the workflow issues a
 * fresh link for a new wait of the step (after an escalation). The LINK item that names the live link is
 * written first, so a crash at any point leaves at most an unreachable link behind.
 */
export async function issueApproval(input: IssueApprovalInput): Promise<{ approvalId: string; url: string }> {
  const parsed = issueInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    // A programming error in the workflow, not user input: fail the task so its Retry/Catch sees it.
    throw new TypeError(`issueApproval: invalid input (${fields})`);
  }
  const {
    onboardingId,
    departmentId,
    step,
    role,
    taskToken,
    expiresAt,
    choices,
    recipient,
    onBehalfOf,
    ballotKey,
  } = parsed.data;
  const now = new Date();
  const expiry = new Date(expiresAt);
  if (expiry.getTime() <= now.getTime()) throw new RangeError('issueApproval: expiresAt is in the past');

  const approvalId = generateApprovalId();
  const approvalHash = hashApprovalId(approvalId);
  const expiresAtEpoch = Math.floor(expiry.getTime() / 1000);
  const seat = (onBehalfOf ?? recipient)?.email;
  const link: LinkSeat = { onboardingId, step, role, ...(seat ? { seat: voterKey(seat) } : {}) };

  const { previousApprovalHash } = await swapLiveLink(link, approvalHash, expiresAtEpoch);
  const record: ApprovalRecord = {
    approvalHash,
    onboardingId,
    departmentId,
    step: step as StepNumber,
    role,
    choices,
    taskToken,
    expiresAt: expiry.toISOString(),
    expiresAtEpoch,
    status: 'pending',
    createdAt: now.toISOString(),
    nonceSalt: generateNonceSalt(),
    ...(recipient ? { recipient: { name: recipient.name, email: recipient.email } } : {}),
    ...(onBehalfOf ? { onBehalfOf: { name: onBehalfOf.name, email: onBehalfOf.email } } : {}),
    ...(ballotKey ? { ballotKey } : {}),
  };
  await putNewApproval(record);
  if (recipient) await notePersonalLink(recipient.email, record);
  if (previousApprovalHash) await supersede(previousApprovalHash, now);
  // A concurrent issue may have replaced our link between the swap and the put; then ours must not live.
  if ((await getLiveLinkHash(link)) !== approvalHash) await supersede(approvalHash, now);

  return { approvalId, url: approvalUrl(approvalId) };
}

/**
 * The links of one wait: a personal link for each approver (a member, or their delegate), all voting in
 * one ballot under the role's rule. A person named twice (a delegate who also sits on the committee) gets
 * one link and one vote: the first seat named keeps it.
 */
export async function issueApprovals(request: ApprovalRequest): Promise<{ links: IssuedLink[] }> {
  const { approvers, rule, ...wait } = request;
  const distinct = approvers.filter(
    (approver, index) =>
      approvers.findIndex((other) => voterKey(other.email) === voterKey(approver.email)) === index,
  );
  if (distinct.length === 0) return { links: [] };
  const ballotKey = ballotKeyOf(wait.role, wait.taskToken);
  await openBallot({
    ballotKey,
    onboardingId: wait.onboardingId,
    step: wait.step,
    role: wait.role,
    rule,
    electorate: distinct.map((approver) => voterKey(approver.email)),
    expiresAtEpoch: Math.floor(Date.parse(wait.expiresAt) / 1000),
  });
  const links: IssuedLink[] = [];
  for (const approver of distinct) {
    const { onBehalfOf, ...recipient } = approver;
    const issued = await issueApproval({
      ...wait,
      recipient,
      ...(onBehalfOf ? { onBehalfOf } : {}),
      ballotKey,
    });
    links.push({ recipient: approver, ...issued });
  }
  return { links };
}
