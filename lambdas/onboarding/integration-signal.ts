import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { sfn } from '../shared/aws';
import { logger } from '../shared/observability';
import { claimWaitToken, restoreWaitToken } from './repository';

/** Errors that mean the wait is already over (answered by the DeGS link, timed out, or closed). */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

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
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: wait.taskToken,
        output: JSON.stringify({
          decision: 'approve',
          role: 'system',
          comment: 'First test counts received by the count API.',
          decidedAt: new Date().toISOString(),
        }),
      }),
    );
  } catch (error) {
    if (error instanceof Error && STALE_TOKEN_ERRORS.has(error.name)) {
      logger.info('Step 8 was no longer waiting for test counts', { onboardingId, reason: error.name });
      return;
    }
    // Not resumed: put the token back so the next count request (or a retry) can resume the wait.
    await restoreWaitToken(onboardingId, 'SIGNAL', wait);
    throw error;
  }
}
