import { resumeTask } from '../shared/resume-task';
import {
  claimWaitToken,
  markTestCountsReceived,
  restoreWaitToken,
  testCountsReceivedAt,
} from './wait-tokens';

/**
 * SoP step 8 completes when the first test counts of the onboarding's services arrive (the counts API
 * calls this after storing them). Idempotent and a no-op when step 8 is not waiting: the token is taken
 * atomically, so concurrent count requests resume the wait at most once. The decision recorded for the
 * step is the system's, not a person's.
 */
export async function signalTestCountsReceived(onboardingId: string): Promise<void> {
  // The note first, the token second: a wait set up after this push still finds the note (below).
  await markTestCountsReceived(onboardingId, new Date().toISOString());
  await resumeWithTestCounts(onboardingId);
}

/**
 * Called by the step-8 wait right after it stores its token: test counts may have arrived between the
 * moment its codes took them (before the step showed started, issue 14) and now. Either this finds the
 * note, or the push that writes it later finds the token; the token is claimed atomically, so the wait
 * is resumed exactly once.
 */
export async function resumeIfTestCountsArrived(onboardingId: string): Promise<boolean> {
  return (
    (await testCountsReceivedAt(onboardingId)) !== undefined && (await resumeWithTestCounts(onboardingId))
  );
}

/** Whether this call resumed the wait. */
async function resumeWithTestCounts(onboardingId: string): Promise<boolean> {
  const wait = await claimWaitToken(onboardingId, 'SIGNAL');
  if (!wait) return false;
  try {
    // 'closed': the wait is already over (answered by the DeGS link, timed out); nothing to resume.
    const outcome = await resumeTask(
      wait.taskToken,
      {
        decision: 'approve',
        role: 'system',
        comment: 'First test counts received by the count API.',
        decidedAt: new Date().toISOString(),
      },
      { onboardingId, wait: 'step 8 test counts' },
    );
    return outcome === 'resumed';
  } catch (error) {
    // Not resumed: put the token back so the next count request (or a retry) can resume the wait.
    await restoreWaitToken(onboardingId, 'SIGNAL', wait);
    throw error;
  }
}
