import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import {
  executionArnOf,
  executionName,
  type ResumeInput,
  type ResumePoint,
  ResumeRefused,
  resumePoint,
} from '../../core/resume';
import type { Onboarding } from '../../core/workflow';
import { logger } from '../../shared/observability';
import { readSetting } from '../../shared/settings';
import { sfn } from '../../shared/sfn';
import { appendAudit } from '../audit';
import { getOnboardingMeta } from '../repository';
import { WAITS } from '../workflow/waits';
import { claimResume, listOpenOnboardings } from './store';

/**
 * Resume from a step, the one mechanism behind `npm run admin -- onboardings resume`, the recovery sweep
 * and local mode after a restart: a new execution (named `<name>-r<n>`) starts at the recorded step of
 * the onboarding (lambdas/core/resume.ts computes where), after the onboarding is pointed at it and the
 * execution it replaces is stopped. The replaced execution's open links are superseded (410) when the new
 * one issues fresh ones; codes and the hand-over are not repeated (their tasks check what is recorded).
 */

export { ResumeRefused };

export class ResumeConflict extends Error {}

export interface ResumeResult {
  readonly onboardingId: string;
  readonly executionName: string;
  readonly executionArn: string;
  readonly replaced?: string;
  readonly resume: ResumePoint;
}

/** The execution input for a resume point: only keys the definition tests with IsPresent. */
export function resumeInput(onboardingId: string, point: ResumePoint): ResumeInput & { resume: object } {
  return {
    onboardingId,
    resume: {
      ...point,
      ...(point.phase ? { enter: { [point.phase]: true } } : {}),
    },
  };
}

export async function resumeOnboarding(
  onboardingId: string,
  options: { step?: number; reason: 'admin' | 'recovery' | 'restart'; detail?: string },
): Promise<ResumeResult> {
  const onboarding = await getOnboardingMeta(onboardingId);
  if (!onboarding) throw new ResumeRefused(`No onboarding ${onboardingId}`);
  const point = resumePoint(onboarding, Object.values(WAITS), options.step);
  const resumes = (onboarding.resumes ?? 0) + 1;
  const stateMachineArn = readSetting('stateMachineArn');
  const name = executionName(onboarding, resumes);
  const executionArn = executionArnOf(stateMachineArn, name);
  if (!(await claimResume(onboarding, { executionArn, resumes }))) {
    throw new ResumeConflict(`Onboarding ${onboardingId} was resumed or finished meanwhile; look again`);
  }
  const replaced = onboarding.executionArn;
  if (replaced) await stopExecution(replaced, name);
  await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify(resumeInput(onboardingId, point)),
    }),
  );
  await appendAudit(onboardingId, {
    type: 'onboarding.resumed',
    step: point.step,
    role: 'system',
    detail: {
      reason: options.reason,
      execution: name,
      ...(replaced ? { replaced: replaced.split(':').at(-1) } : {}),
      ...(point.phase ? { phase: point.phase } : {}),
      ...(options.detail ? { detail: options.detail } : {}),
    },
  });
  logger.info('Onboarding resumed', {
    onboardingId,
    execution: name,
    step: point.step,
    reason: options.reason,
  });
  return {
    onboardingId,
    executionName: name,
    executionArn,
    ...(replaced ? { replaced } : {}),
    resume: point,
  };
}

async function stopExecution(executionArn: string, replacement: string): Promise<void> {
  try {
    await sfn.send(
      new StopExecutionCommand({
        executionArn,
        error: 'Onboarding.Resumed',
        cause: `Replaced by execution ${replacement}`,
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
  }
}

/** Execution statuses after which an unfinished onboarding has nothing running for it. */
const STOPPED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** How long a new onboarding may have no execution before the sweep starts one (its POST may still run). */
const START_GRACE_MS = 120_000;

async function executionStatus(executionArn: string): Promise<string> {
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return status ?? 'UNKNOWN';
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return 'MISSING';
    throw error;
  }
}

/** Why an open onboarding needs a new execution, or undefined when its execution is fine. */
async function stoppedReason(onboarding: Onboarding, now: Date): Promise<string | undefined> {
  if (!onboarding.executionArn) {
    return now.getTime() - Date.parse(onboarding.createdAt) > START_GRACE_MS ? 'never started' : undefined;
  }
  const status = await executionStatus(onboarding.executionArn);
  // A resume names its execution before starting it: give the start the same grace as a new onboarding's.
  const justPointed = now.getTime() - Date.parse(onboarding.updatedAt) <= START_GRACE_MS;
  if (status === 'MISSING') return justPointed ? undefined : 'execution missing';
  return STOPPED.has(status) ? `execution ${status}` : undefined;
}

/**
 * The recovery sweep: every open onboarding whose execution stopped (FAILED, TIMED_OUT, ABORTED, or gone)
 * is resumed at its recorded step. ATTENTION onboardings wait for an admin and are left alone.
 */
export async function recoverStoppedExecutions(
  open?: readonly Onboarding[],
  now = new Date(),
): Promise<ResumeResult[]> {
  const resumed: ResumeResult[] = [];
  for (const onboarding of open ?? (await listOpenOnboardings())) {
    if (onboarding.status === 'ATTENTION') continue;
    try {
      const reason = await stoppedReason(onboarding, now);
      if (!reason) continue;
      resumed.push(await resumeOnboarding(onboarding.onboardingId, { reason: 'recovery', detail: reason }));
    } catch (error) {
      // One onboarding's trouble must not stop the others' recovery; the next sweep tries it again.
      logger.error('Could not recover an onboarding', { onboardingId: onboarding.onboardingId, error });
    }
  }
  return resumed;
}
