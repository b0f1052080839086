import { z } from 'zod';
import { recoverStoppedExecutions } from '../recovery/resume';
import { workflowTask } from './task';

/**
 * The recovery sweep (scheduled in AWS, at start-up and on an interval in local mode): resumes every open
 * onboarding whose execution stopped. Answers which ones it resumed.
 */
export const handler = workflowTask(z.object({}).passthrough(), async () => {
  const resumed = await recoverStoppedExecutions();
  return { resumed: resumed.map((r) => ({ onboardingId: r.onboardingId, execution: r.executionName })) };
});
