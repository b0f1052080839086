import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { metrics } from '../../shared/observability';
import { appendAudit } from '../audit';
import { outcomeEmail } from '../emails';
import { recipientsFor, sendEmail } from '../mailer';
import { getOnboarding, type Onboarding, setServiceCodesOnServices, setStatus } from '../repository';
import { issueServiceCodes, setServiceCodeStatus } from '../service-codes';
import { onboardingIdSchema, workflowTask } from './task';

/**
 * The workflow's transitions that change more than a step:
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
      type: 'SERVICE_CODES_ISSUED',
      step: 6,
      detail: { serviceCodes: issued.map((c) => c.serviceCode) },
    });
    return;
  }

  // Already finished (a retry after success): nothing to do. Otherwise the email goes first, so a failure
  // before the status is written is retried with it (at least once, never silently lost).
  if (onboarding.status === 'LIVE' || onboarding.status === 'REJECTED') return;

  if (action === 'goLive') {
    await setServiceCodeStatus(codesOf(onboarding), 'live', ['testing', 'issued'], now);
    await sendEmail(await recipientsFor('department', onboarding), outcomeEmail(onboarding, 'live'));
    if (
      await setStatus(onboardingId, 'LIVE', ['IN_PROGRESS', 'STALLED', 'ATTENTION'], {
        liveAt: now.toISOString(),
        serviceCodeStatus: 'live',
      })
    ) {
      await appendAudit(onboardingId, {
        type: 'ONBOARDING_LIVE',
        step: 12,
        detail: { serviceCodes: codesOf(onboarding) },
      });
      metrics.addMetric('OnboardingLive', MetricUnit.Count, 1);
    }
    return;
  }

  await setServiceCodeStatus(codesOf(onboarding), 'rejected', ['issued', 'testing'], now);
  await sendEmail(
    await recipientsFor('department', onboarding),
    outcomeEmail(onboarding, 'rejected', rejectionReason(onboarding)),
  );
  const extra = codesOf(onboarding).length > 0 ? { serviceCodeStatus: 'rejected' } : {};
  if (
    await setStatus(onboardingId, 'REJECTED', ['IN_PROGRESS', 'STALLED', 'ATTENTION'], {
      rejectedAt: now.toISOString(),
      ...extra,
    })
  ) {
    await appendAudit(onboardingId, { type: 'ONBOARDING_REJECTED', step: onboarding.currentStep });
    metrics.addMetric('OnboardingRejected', MetricUnit.Count, 1);
  }
});
