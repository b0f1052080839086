import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { LAST_STEP } from '../../core/sop';
import { isFinished } from '../../core/workflow';
import * as z from '../../core/zod';
import { metrics } from '../../shared/observability';
import { appendAudit } from '../audit';
import { moveServiceCodes } from '../code-phase';
import { rejectionEmail } from '../emails';
import { recipientsFor, sendEmail } from '../mailer';
import { getOnboarding, type Onboarding, setServiceCodesOnServices, setStatus } from '../repository';
import { issueServiceCodes } from '../service-codes';
import { liveEmail } from '../steps/step-12-go-live';
import { WAITS } from '../workflow/waits';
import { onboardingIdSchema, workflowTask } from './task';

/**
 * The outcomes that change more than a step, set off by an approval that ends one (its module's
 * `approvedState.action`) or by a rejection ("Onboarding rejected"):
 *   issueCodes - step 6 "Register services": one Government Service Code per service (status issued);
 *   goLive     - step 12 approved: every code live, the onboarding LIVE, the department told;
 *   reject     - a rejection at any step: codes (if any) rejected, the onboarding REJECTED, the department
 *                told with the reason.
 * Each is idempotent: codes are allocated once per service and statuses only move forward.
 */
const inputSchema = z.object({
  onboardingId: onboardingIdSchema,
  action: z.enum(['issueCodes', 'goLive', 'reject']),
});

const codesOf = (onboarding: Onboarding) =>
  onboarding.services.flatMap((s) => (s.serviceCode ? [s.serviceCode] : []));

function rejectionReason(onboarding: Onboarding): string | undefined {
  const rejections = Object.values(onboarding.steps).flatMap((s) =>
    (s.decisions ?? []).filter((d) => d.decision === 'reject'),
  );
  return rejections.sort((a, b) => a.decidedAt.localeCompare(b.decidedAt)).at(-1)?.comment;
}

export const handler = workflowTask(inputSchema, async ({ onboardingId, action }): Promise<void> => {
  const onboarding = await getOnboarding(onboardingId);
  if (!onboarding) throw new Error(`No onboarding ${onboardingId}`);
  const now = new Date();

  if (action === 'issueCodes') {
    const issued = await issueServiceCodes(onboarding, now);
    const byName = new Map(issued.map((c) => [c.serviceName, c.serviceCode]));
    await setServiceCodesOnServices(
      onboardingId,
      onboarding.services.map((s) => ({
        serviceName: s.serviceName,
        serviceCode: byName.get(s.serviceName),
      })),
      'issued',
    );
    await appendAudit(onboardingId, {
      type: 'service-codes.issued',
      step: WAITS.registration.step,
      detail: { serviceCodes: issued.map((c) => c.serviceCode) },
    });
    return;
  }

  // Already finished (a retry after success): nothing to do. Otherwise the email goes first, so a failure
  // before the status is written is retried with it (at least once, never silently lost).
  if (isFinished(onboarding.status)) return;

  if (action === 'goLive') {
    // Normally done already when step 12's approval was recorded; repeated (a no-op) so LIVE is never
    // written before every code is live, whatever ran before.
    await moveServiceCodes(onboarding, 'live', now);
    const liveAt = now.toISOString();
    await sendEmail(await recipientsFor('department', onboarding), liveEmail({ ...onboarding, liveAt }));
    if (
      await setStatus(onboardingId, 'LIVE', ['IN_PROGRESS', 'STALLED', 'ATTENTION'], {
        liveAt,
      })
    ) {
      await appendAudit(onboardingId, {
        type: 'onboarding.live',
        step: LAST_STEP,
        detail: { serviceCodes: codesOf(onboarding) },
      });
      metrics.addMetric('OnboardingLive', MetricUnit.Count, 1);
    }
    return;
  }

  await moveServiceCodes(onboarding, 'rejected', now);
  await sendEmail(
    await recipientsFor('department', onboarding),
    rejectionEmail(onboarding, rejectionReason(onboarding)),
  );
  if (
    await setStatus(onboardingId, 'REJECTED', ['IN_PROGRESS', 'STALLED', 'ATTENTION'], {
      rejectedAt: now.toISOString(),
    })
  ) {
    await appendAudit(onboardingId, { type: 'onboarding.rejected', step: onboarding.currentStep });
    metrics.addMetric('OnboardingRejected', MetricUnit.Count, 1);
  }
});
