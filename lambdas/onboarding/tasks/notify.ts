import { z } from 'zod';
import { loadWorkingCalendar } from '../../config/repository';
import { istDateOf } from '../../core/calendar';
import { stepDeadline } from '../../core/deadline';
import { formatDayNumber, requireIsoDate } from '../../core/iso-date';
import { type StepNumber, sopStep } from '../../core/sop';
import { integrationKit } from '../../integration/kit';
import { integrationContact } from '../../integration/repository';
import { appendAudit } from '../audit';
import {
  approvedTemplatesEmail,
  centralTeamEmail,
  type Email,
  handOverEmail,
  templateRequestEmail,
} from '../emails';
import { recipientsFor, sendEmail, settings } from '../mailer';
import type { Onboarding } from '../repository';
import { getOnboarding, recordAutomaticStep } from '../repository';
import { onboardingIdSchema, workflowTask } from './task';

/**
 * The automatic SoP steps: each is one email, after which the step is complete.
 *   2  the template, its rules and how to submit it  -> the department's nodal officer
 *   5  the approved templates                         -> DeGS Technical team
 *   7  the Service Codes, Web-Service URL, integration steps -> the nodal officer
 *   11 the service details                            -> e-Taal Central Team
 * A step already complete (a retry after success) sends nothing again.
 */
const inputSchema = z.object({
  onboardingId: onboardingIdSchema,
  step: z.union([z.literal(2), z.literal(5), z.literal(7), z.literal(11)]),
});

/** When the step after `step` will be due if it starts now: the date the email asks for. */
async function nextStepDueAt(step: StepNumber, now: Date): Promise<string> {
  const next = sopStep(sopStep(step).next ?? step);
  return stepDeadline({
    startedAt: now,
    workingDays: next.workingDays,
    calendar: await loadWorkingCalendar(),
  }).dueAt;
}

/** The step-7 kit: the onboarding's codes and the configured DeGS Technical contact. */
async function handOverKit(onboarding: Onboarding, baseUrl: string, now: Date) {
  return integrationKit({
    baseUrl,
    services: onboarding.services.flatMap((s) =>
      s.serviceCode ? [{ serviceName: s.serviceName, serviceCode: s.serviceCode }] : [],
    ),
    contact: await integrationContact(),
    exampleDate: formatDayNumber(requireIsoDate(istDateOf(now)) - 1),
  });
}

async function message(
  step: 2 | 5 | 7 | 11,
  onboarding: Onboarding,
  now: Date,
): Promise<{ to: string[]; email: Email }> {
  const baseUrl = settings.publicBaseUrl();
  switch (step) {
    case 2:
      return {
        to: await recipientsFor('department', onboarding),
        email: templateRequestEmail(onboarding, baseUrl, await nextStepDueAt(2, now)),
      };
    case 5:
      return {
        to: await recipientsFor('degsTechnical', onboarding),
        email: approvedTemplatesEmail(onboarding),
      };
    case 7:
      return {
        to: await recipientsFor('department', onboarding),
        email: handOverEmail(
          onboarding,
          await handOverKit(onboarding, baseUrl, now),
          await nextStepDueAt(7, now),
        ),
      };
    case 11:
      return { to: await recipientsFor('etaalCentralTeam', onboarding), email: centralTeamEmail(onboarding) };
  }
}

export const handler = workflowTask(inputSchema, async ({ onboardingId, step }): Promise<void> => {
  const onboarding = await getOnboarding(onboardingId);
  if (!onboarding) throw new Error(`No onboarding ${onboardingId}`);
  if (onboarding.steps[String(step)]?.completedAt) return;
  const now = new Date();
  const { to, email } = await message(step, onboarding, now);
  await sendEmail(to, email);
  if (await recordAutomaticStep(onboardingId, step, now.toISOString())) {
    await appendAudit(onboardingId, {
      type: 'STEP_COMPLETED',
      step,
      role: 'system',
      detail: { emailed: to.length },
    });
  }
});
