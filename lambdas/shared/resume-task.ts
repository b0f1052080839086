import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { logger } from './observability';
import { sfn } from './sfn';

/**
 * Step Functions errors that mean the task is closed for good (answered already, timed out, or its
 * execution ended): sending again can never succeed, so callers must not ask anyone to retry.
 */
const TASK_CLOSED_ERRORS: ReadonlySet<string> = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export type ResumeOutcome = 'resumed' | 'closed';

/**
 * Resumes a waiting callback task with `output` (SendTaskSuccess): 'resumed', or 'closed' when the task
 * can no longer be resumed. Any other failure (throttling, network) is thrown: the caller keeps what it
 * needs to retry. `context` goes into the log line of a closed task (no token is ever logged).
 */
export async function resumeTask(
  taskToken: string,
  output: unknown,
  context: Record<string, unknown> = {},
): Promise<ResumeOutcome> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return 'resumed';
  } catch (error) {
    if (error instanceof Error && TASK_CLOSED_ERRORS.has(error.name)) {
      logger.info('Task already closed', { ...context, reason: error.name });
      return 'closed';
    }
    throw error;
  }
}
