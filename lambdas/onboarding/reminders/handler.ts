import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadWorkingCalendar } from '../../config/repository';
import * as z from '../../core/zod';
import { logger, metrics, signalOperator } from '../../shared/observability';
import { readSetting } from '../../shared/settings';
import { EmailNotSent } from '../email-delivery';
import { sendEmail } from '../mailer';
import type { PendingLinks } from '../ports';
import { listOpenOnboardings } from '../recovery/store';
import { workflowTask } from '../tasks/task';
import { waitsOf } from '../waiting';
import { WAITS } from '../workflow/waits';
import { type Digest, digestsFor, isDigestHour, type ReminderTask } from './digest';
import { digestEmail } from './digest-email';
import { claimDigest, markDigestSent, releaseDigest } from './sent-marker';

/**
 * The reminder run (hourly: an EventBridge schedule in AWS, a timer in local mode): on the working day
 * before a wait's due date, each person asked to act gets one digest of everything waiting for them
 * (./digest.ts), once per (person, IST day) whatever the number of runs (./sent-marker.ts). The run is
 * for the event's `time` (EventBridge's scheduled time; tests and local mode pass theirs).
 *
 * A digest that cannot be sent is counted (ReminderDigestsFailed), reported (EmailSendFailed) and given
 * back, so the next run that day tries again; other errors fail the run (its error alarm), and EventBridge
 * retries it. Approval waits are reminded only while their link is pending: without one (expired, being
 * re-issued after an escalation) there is nothing the person could open. The step-8 wait is not: it ends
 * when the department's test counts arrive, and its link's holder (DeGS) need not act.
 */
const inputSchema = z.looseObject({ time: z.optional(z.iso.datetime({ offset: true })) });

async function tasksAt(now: Date, pending: PendingLinks): Promise<ReminderTask[]> {
  const open = (await listOpenOnboardings()).filter(
    (o) => o.status === 'IN_PROGRESS' || o.status === 'STALLED',
  );
  const tasks: ReminderTask[] = [];
  for (const onboarding of open) {
    for (const wait of await waitsOf(onboarding, now, pending)) {
      const kind = WAITS[wait.phase].kind;
      // Step 8 ends with the department's test counts, not with the link's holder acting: no digest.
      if (kind === 'approvalOrSignal' || (kind === 'approval' && !wait.byLink)) continue;
      tasks.push({
        onboardingId: onboarding.onboardingId,
        departmentName: onboarding.departmentName,
        departmentCode: onboarding.departmentCode,
        wait,
      });
    }
  }
  return tasks;
}

/** Sends one digest unless it went out already today: 'sent', 'already' or 'failed'. */
async function deliver(digest: Digest, now: Date): Promise<'sent' | 'already' | 'failed'> {
  const { email } = digest.recipient;
  if (!(await claimDigest(email, digest.day, now))) return 'already';
  try {
    await sendEmail([email], digestEmail(digest, readSetting('publicBaseUrl')));
  } catch (error) {
    await releaseDigest(email, digest.day);
    if (!(error instanceof EmailNotSent)) throw error;
    logger.error('A reminder digest could not be sent; the next run today tries again', {
      day: digest.day,
      tasks: digest.lines.length,
    });
    signalOperator('EmailSendFailed', { purpose: 'reminder digest' });
    return 'failed';
  }
  await markDigestSent(email, digest.day, now);
  return 'sent';
}

/** The run, given the approvals domain's pending links (wired in lambdas/entries/reminders.ts). */
export const remindersTask = (pending: PendingLinks) =>
  workflowTask(inputSchema, async ({ time }) => {
    const now = time ? new Date(time) : new Date();
    const outcome = { sent: 0, already: 0, failed: 0 };
    if (!isDigestHour(now)) return outcome;
    const [calendar, tasks] = await Promise.all([loadWorkingCalendar(), tasksAt(now, pending)]);
    for (const digest of digestsFor(tasks, now, calendar)) outcome[await deliver(digest, now)] += 1;
    metrics.addMetric('ReminderDigestsSent', MetricUnit.Count, outcome.sent);
    metrics.addMetric('ReminderDigestsFailed', MetricUnit.Count, outcome.failed);
    return outcome;
  });
