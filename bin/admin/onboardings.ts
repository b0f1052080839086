/**
 * Admin commands of issue 8, registered in bin/admin.ts: resuming onboardings and the recovery sweep.
 * They reach the onboarding state machine (STATE_MACHINE_ARN, set by the admin CLI from the local runtime
 * file or the stack's outputs) as well as the Onboardings table.
 */

export interface OnboardingCommandInput {
  readonly positionals: readonly string[];
  readonly step?: string;
}

/** Input the user can fix (exit 2); bin/admin.ts maps it to its own usage error. */
export class OnboardingUsageError extends Error {}

export const ONBOARDING_USAGE = `  onboardings resume <onboardingId> [--step <N>]
      Starts the onboarding's workflow again in a new execution, at its recorded step (or step N, 2-12):
      after "needs an admin" (status ATTENTION), a stopped execution, or to re-run a step. Never issues a
      second code or a second hand-over; links of the replaced execution answer 410.
  onboardings recover
      The recovery sweep: resumes every open onboarding whose execution FAILED, TIMED_OUT or was ABORTED.`;

export async function resumeCommand(input: OnboardingCommandInput): Promise<unknown> {
  const [onboardingId, ...extra] = input.positionals;
  if (!onboardingId || extra.length > 0) {
    throw new OnboardingUsageError('Usage: onboardings resume <onboardingId> [--step <N>]');
  }
  let step: number | undefined;
  if (input.step !== undefined) {
    step = Number(input.step);
    if (!/^\d{1,2}$/.test(input.step) || step < 2 || step > 12) {
      throw new OnboardingUsageError('--step must be a SoP step from 2 to 12');
    }
  }
  const { resumeOnboarding, ResumeRefused } = await import('../../lambdas/onboarding/recovery/resume');
  try {
    const result = await resumeOnboarding(onboardingId, { reason: 'admin', ...(step ? { step } : {}) });
    process.stderr.write(
      `Onboarding ${onboardingId} resumed at step ${result.resume.step} in execution ${result.executionName}.\n`,
    );
    return result;
  } catch (error) {
    if (error instanceof ResumeRefused) throw new OnboardingUsageError(error.message);
    throw error;
  }
}

export async function recoverCommand(): Promise<unknown> {
  const { recoverStoppedExecutions } = await import('../../lambdas/onboarding/recovery/resume');
  const resumed = await recoverStoppedExecutions();
  process.stderr.write(`${resumed.length} onboarding(s) resumed.\n`);
  return { resumed: resumed.map((r) => ({ onboardingId: r.onboardingId, execution: r.executionName })) };
}
