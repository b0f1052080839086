import * as z from 'zod';
import { ROLES, type Role, type StepNumber, sopStep } from '../core/sop';
import type { ApprovalRequest } from '../onboarding/ports';
import { publicBaseUrl } from '../shared/settings';
import {
  type ApprovalRecord,
  DECISIONS,
  generateApprovalId,
  generateNonceSalt,
  hashApprovalId,
  stepAllowsReturn,
} from './approval';
import { getLiveLinkHash, putNewApproval, supersede, swapLiveLink } from './repository';

/** The onboarding domain's request for a link (its port, implemented here). */
export type IssueApprovalInput = ApprovalRequest;

const issueInputSchema = z
  .object({
    onboardingId: z.string().min(1),
    departmentId: z.string().min(1),
    step: z.number().int().min(1).max(12),
    role: z.enum(Object.keys(ROLES) as [Role, ...Role[]]),
    taskToken: z.string().min(1),
    expiresAt: z.iso.datetime({ offset: true }),
    choices: z.array(z.enum(DECISIONS)).min(1),
  })
  .superRefine((input, ctx) => {
    const step = sopStep(input.step);
    const actors: readonly string[] =
      step.completion.kind === 'approval' || step.completion.kind === 'approvalOrSignal'
        ? step.completion.roles
        : [];
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
  });

export function approvalUrl(approvalId: string): string {
  return `${publicBaseUrl()}/approvals/${approvalId}`;
}

/**
 * Creates the emailed link for one callback task: one step of one onboarding, for one role, expiring with
 * the step. The returned `approvalId` is the credential: put it only in the approver's email.
 *
 * There is only ever one live link per (onboarding, step, role). A retried callback task (Step Functions
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
  const { onboardingId, departmentId, step, role, taskToken, expiresAt, choices } = parsed.data;
  const now = new Date();
  const expiry = new Date(expiresAt);
  if (expiry.getTime() <= now.getTime()) throw new RangeError('issueApproval: expiresAt is in the past');

  const approvalId = generateApprovalId();
  const approvalHash = hashApprovalId(approvalId);
  const expiresAtEpoch = Math.floor(expiry.getTime() / 1000);
  const link = { onboardingId, step, role };

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
  };
  await putNewApproval(record);
  if (previousApprovalHash) await supersede(previousApprovalHash, now);
  // A concurrent issue may have replaced our link between the swap and the put; then ours must not live.
  if ((await getLiveLinkHash(link)) !== approvalHash) await supersede(approvalHash, now);

  return { approvalId, url: approvalUrl(approvalId) };
}
