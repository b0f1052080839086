import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { type Role, SOP_STEPS, type StepNumber } from '../../core/sop';
import {
  type Actor,
  isFinished,
  type Onboarding,
  type OnboardingStatus,
  OPEN_STATUSES,
} from '../../core/workflow';
import { inList, writeIf } from '../../shared/conditional-write';
import { logger } from '../../shared/observability';
import { sfn } from '../../shared/sfn';
import { describeSteps } from '../api/status-view';
import { appendAudit } from '../audit';
import { moveServiceCodes } from '../code-phase';
import { recipientsFor, sendEmail } from '../mailer';
import { updateMeta } from '../meta-item';
import { type ResumeResult, resumeOnboarding } from '../recovery/resume';
import { emptySteps, getOnboardingMeta, setStatus } from '../repository';
import { setServiceCodeStatus } from '../service-codes';
import { claimWaitToken } from '../wait-tokens';
import { boundsRestartedByReopen } from '../workflow/reopen';
import { cancelledEmail, reopenedEmail } from './emails';

/**
 * An admin's repairs of an onboarding: cancel (stop it for good, unless reopened) and reopen (a rejected
 * or cancelled one, back to a step). Both follow the phase-first rule of the service codes: the codes
 * (what the counts API reads) move before the onboarding's status, so no answer of the status API is
 * ahead of the counts API. Each writes one audit entry with the admin's identity (`by`).
 * Closing the approval links is the approvals domain's (lambdas/approvals/admin-links.ts): the admin CLI
 * hands it to `cancelOnboarding`, as onboarding does not depend on approvals.
 */

/** An admin action that does not apply to the onboarding as it is (exit 2 in the CLI). */
export class AdminActionRefused extends Error {}

export interface AdminAction {
  readonly reason: string;
  readonly by: Actor;
}

/** Closes the onboarding's pending approval links (the approvals domain's, wired by the caller). */
export type EndLinks = (onboardingId: string, now: Date) => Promise<number>;

const REOPENABLE: readonly OnboardingStatus[] = ['REJECTED', 'CANCELLED'];

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 1000) {
    throw new AdminActionRefused('--reason must say why, in 3 to 1000 characters');
  }
  return trimmed;
}

async function load(onboardingId: string): Promise<Onboarding> {
  const onboarding = await getOnboardingMeta(onboardingId);
  if (!onboarding) throw new AdminActionRefused(`No onboarding ${onboardingId}`);
  return onboarding;
}

/** The roles the onboarding waits on right now (they hold the pending links). */
function waitedOn(onboarding: Onboarding, now: Date): Role[] {
  return describeSteps(onboarding, now).flatMap((step) => step.waitingFor.map((w) => w.role));
}

async function tell(onboarding: Onboarding, roles: readonly Role[], email: Parameters<typeof sendEmail>[1]) {
  const to = new Set<string>(await recipientsFor('department', onboarding));
  for (const role of roles) for (const address of await recipientsFor(role, onboarding)) to.add(address);
  await sendEmail([...to], email);
}

export interface CancelResult {
  readonly onboardingId: string;
  readonly status: 'CANCELLED';
  readonly cancelledAt: string;
  readonly step: StepNumber;
  readonly serviceCodesWithdrawn: readonly string[];
  readonly toldRoles: readonly Role[];
  readonly linksEnded: number;
}

/**
 * Cancels an open onboarding: codes not yet live are withdrawn (status rejected, before anything else),
 * the status becomes CANCELLED, the execution is stopped, pending template and test-count waits are
 * dropped and approval links ended (410), the department and the approvers it waited on are emailed, and
 * the audit records who and why.
 */
export async function cancelOnboarding(
  onboardingId: string,
  action: AdminAction,
  endLinks: EndLinks,
): Promise<CancelResult> {
  const reason = requireReason(action.reason);
  const onboarding = await load(onboardingId);
  if (isFinished(onboarding.status)) {
    throw new AdminActionRefused(`Onboarding ${onboardingId} is ${onboarding.status}: nothing to cancel`);
  }
  const now = new Date();
  const at = now.toISOString();
  await moveServiceCodes(onboarding, 'rejected', now);
  const cancellation = { reason, by: action.by, at };
  const applied = await setStatus(onboardingId, 'CANCELLED', OPEN_STATUSES, {
    cancellation,
    cancelledAt: at,
  });
  if (!applied) {
    throw new AdminActionRefused(`Onboarding ${onboardingId} finished meanwhile; look again`);
  }
  if (onboarding.executionArn) await stopExecution(onboarding.executionArn, `Cancelled by ${action.by.name}`);
  await claimWaitToken(onboardingId, 'TEMPLATES');
  await claimWaitToken(onboardingId, 'SIGNAL');
  // Before anyone is emailed: a link opened after the email must already say the onboarding has ended.
  const linksEnded = await endLinks(onboardingId, now);
  await appendAudit(onboardingId, {
    type: 'onboarding.cancelled',
    step: onboarding.currentStep,
    role: 'admin',
    by: action.by,
    detail: { reason },
  });
  const roles = waitedOn(onboarding, now);
  await tell(onboarding, roles, cancelledEmail(onboarding, reason));
  logger.info('Onboarding cancelled', { onboardingId, step: onboarding.currentStep });
  return {
    onboardingId,
    status: 'CANCELLED',
    cancelledAt: at,
    step: onboarding.currentStep,
    serviceCodesWithdrawn: onboarding.services.flatMap((s) => (s.serviceCode ? [s.serviceCode] : [])),
    toldRoles: roles,
    linksEnded,
  };
}

async function stopExecution(executionArn: string, cause: string): Promise<void> {
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Onboarding.Cancelled', cause }));
  } catch (error) {
    // Already finished or gone: nothing runs for the onboarding, which is what cancelling wants.
    if (!['ExecutionDoesNotExist', 'ExecutionNotRunning'].includes((error as Error).name)) throw error;
  }
}

/** The step a rejection was decided at, if any. */
function rejectedAt(onboarding: Onboarding): number | undefined {
  const steps = Object.entries(onboarding.steps)
    .filter(([, s]) => (s.decisions ?? []).some((d) => d.decision === 'reject'))
    .map(([n]) => Number(n));
  return steps.length > 0 ? Math.min(...steps) : undefined;
}

export interface ReopenResult extends ResumeResult {
  readonly reopenedFrom: OnboardingStatus;
}

/**
 * Reopens a REJECTED or CANCELLED onboarding at `step` (2-12, at or before the step of a rejection): that
 * step and the later ones start afresh (their earlier state stays in the audit entry), and so do the
 * return and replacement bounds of the waits entered again (../workflow/reopen.ts), the service codes
 * come back to the phase of that step (issued before step 8's tests, testing after), the status is
 * IN_PROGRESS again, and the one "start or resume" mechanism (../recovery/resume.ts) starts a new
 * execution there, which emails whoever acts at the step.
 */
export async function reopenOnboarding(
  onboardingId: string,
  input: AdminAction & { step: number },
): Promise<ReopenResult> {
  const reason = requireReason(input.reason);
  const onboarding = await load(onboardingId);
  if (!REOPENABLE.includes(onboarding.status)) {
    throw new AdminActionRefused(
      `Onboarding ${onboardingId} is ${onboarding.status}: only a REJECTED or CANCELLED one can be reopened${
        onboarding.status === 'LIVE' ? '' : ' (use "onboardings resume" for a running one)'
      }`,
    );
  }
  const { step } = input;
  if (!Number.isInteger(step) || step < 2 || step > 12) {
    throw new AdminActionRefused('--step must be a SoP step from 2 to 12');
  }
  const rejection = rejectedAt(onboarding);
  if (rejection !== undefined && step > rejection) {
    throw new AdminActionRefused(`--step must be at or before step ${rejection}, where it was rejected`);
  }
  const now = new Date();
  const codes = onboarding.services.flatMap((s) => (s.serviceCode ? [s.serviceCode] : []));
  // Step 8 moves issued codes to testing when it starts; a reopen after it puts them back in testing.
  const integrationStep = SOP_STEPS.find((s) => s.completion.kind === 'approvalOrSignal')?.number ?? 8;
  await setServiceCodeStatus(codes, step <= integrationStep ? 'issued' : 'testing', ['rejected'], now);

  const fresh = emptySteps();
  const resetSteps = SOP_STEPS.filter((s) => s.number >= step).map((s) => String(s.number));
  const previous = Object.fromEntries(resetSteps.map((n) => [n, onboarding.steps[n] ?? {}]));
  const names: Record<string, string> = { '#status': 'status', '#steps': 'steps' };
  const reopenable = inList(REOPENABLE, 'r');
  const values: Record<string, unknown> = {
    ':open': 'IN_PROGRESS',
    ':step': step,
    ':now': now.toISOString(),
    ...reopenable.values,
    ':seen': onboarding.status,
  };
  const sets = resetSteps.map((n, i) => {
    names[`#s${i}`] = n;
    values[`:s${i}`] = fresh[n];
    return `#steps.#s${i} = :s${i}`;
  });
  // A new execution, a fresh history: the return and replacement bounds of the waits entered again restart.
  const restarted = boundsRestartedByReopen(onboarding, step);
  for (const [attribute, value] of Object.entries(restarted)) {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    sets.push(`#${attribute} = :${attribute}`);
  }
  const previousBounds = Object.fromEntries(
    Object.keys(restarted).map((attribute) => [
      attribute,
      onboarding[attribute as keyof typeof restarted] ?? 0,
    ]),
  );
  const reopened = await writeIf(
    updateMeta(onboardingId, {
      UpdateExpression: `SET #status = :open, currentStep = :step, updatedAt = :now, ${sets.join(', ')} REMOVE rejectedAt, cancelledAt, cancellation, attention`,
      ConditionExpression: `#status = :seen AND #status IN ${reopenable.expression}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
  if (!reopened) throw new AdminActionRefused(`Onboarding ${onboardingId} changed meanwhile; look again`);
  await appendAudit(onboardingId, {
    type: 'onboarding.reopened',
    step,
    role: 'admin',
    by: input.by,
    detail: { reason, from: onboarding.status, previousSteps: previous, previousBounds },
  });
  const result = await resumeOnboarding(onboardingId, { step, reason: 'admin', detail: 'reopened' });
  const current = await getOnboardingMeta(onboardingId);
  if (current) await tell(current, [], reopenedEmail(current, step, reason));
  return { ...result, reopenedFrom: onboarding.status };
}
