import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics, signalOperator } from '../shared/observability';
import { readSetting } from '../shared/settings';
import { appendAudit } from './audit';

/**
 * Delivery of the workflow's emails (issue 8): one email that cannot be sent is not a failed onboarding.
 *   - Every send is retried with exponential backoff inside the task (EMAIL_SEND_ATTEMPTS, default 3;
 *     EMAIL_RETRY_BASE_MS, default 500: waits of 0.5 s, 1.5 s…), on top of the SDK's own retries of
 *     throttling and 5xx answers; sends and final failures are counted (EmailsSent, EmailsFailed).
 *   - Still failing, it throws EmailNotSent. An automatic step (2, 5, 7, 11) or a transition then fails its
 *     task, which Step Functions retries and, after that, parks in "needs an admin".
 *   - A wait's email (the link to an approver, a reminder, an escalation) goes through `sendOrReport`:
 *     the failure is recorded in the audit trail, the operator is told (EmailSendFailed), and the step keeps
 *     waiting with its deadline; the escalation at the deadline, or an admin's resume, sends it again.
 */
export class EmailNotSent extends Error {
  override readonly name = 'EmailNotSent';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one send with retries and backoff; throws EmailNotSent (with the last error's name) at the end. */
export async function sendWithRetry(send: () => Promise<unknown>): Promise<void> {
  const attempts = readSetting('emailSendAttempts');
  let delay = readSetting('emailRetryBaseMs');
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      metrics.addMetric('EmailsSent', MetricUnit.Count, 1);
      return;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      if (attempt >= attempts) {
        metrics.addMetric('EmailsFailed', MetricUnit.Count, 1);
        throw new EmailNotSent(`The email could not be sent after ${attempts} attempts (${name})`, {
          cause: error,
        });
      }
      logger.warn('Email send failed; retrying', { attempt, error: name });
      await sleep(delay * (0.5 + Math.random()));
      delay *= 3;
    }
  }
}

/**
 * Sends a wait's email; when it cannot be sent, records that (audit `email.failed`), tells the operator and
 * returns false so the wait goes on with its deadline. Other errors are thrown.
 */
export async function sendOrReport(
  send: () => Promise<void>,
  context: { onboardingId: string; step: number; role: string; purpose: string },
): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (!(error instanceof EmailNotSent)) throw error;
    const reason = error.cause instanceof Error ? error.cause.name : 'Unknown';
    logger.error('An email of a waiting step could not be sent; the step keeps waiting', {
      ...context,
      reason,
    });
    await appendAudit(context.onboardingId, {
      type: 'email.failed',
      step: context.step,
      role: context.role,
      detail: { purpose: context.purpose, reason },
    });
    signalOperator('EmailSendFailed', {
      onboardingId: context.onboardingId,
      step: String(context.step),
      purpose: context.purpose,
    });
    return false;
  }
}
