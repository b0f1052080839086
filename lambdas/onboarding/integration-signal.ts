import { resumeTask } from '../shared/resume-task';
import { claimWaitToken, restoreWaitToken } from './repository';

/**
 * SoP step 8 completes when the first test counts of the onboarding's services arrive (the counts API
 * calls this after storing them). Idempotent and a no-op when step 8 is not waiting: the token is taken
 * atomically, so concurrent count requests resume the wait at most once. The decision recorded for the
 * step is the system's, not a person's.
 */
export async function signalTestCountsReceived(onboardingId: string): Promise<void> {
  const wait = await claimWaitToken(onboardingId, 'SIGNAL');
  if (!wait) return;
  try {
    // 'closed': the wait is already over (answered by the DeGS link, timed out); nothing to resume.
    await resumeTask(
      wait.taskToken,
      {
        decision: 'approve',
        role: 'system',
        comment: 'First test counts received by the count API.',
        decidedAt: new Date().toISOString(),
      },
      { onboardingId, wait: 'step 8 test counts' },
    );
  } catch (error) {
    // Not resumed: put the token back so the next count request (or a retry) can resume the wait.
    await restoreWaitToken(onboardingId, 'SIGNAL', wait);
    throw error;
  }
}
