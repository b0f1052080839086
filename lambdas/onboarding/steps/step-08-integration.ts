import { ROLES } from '../../core/sop';
import type { Onboarding } from '../../core/workflow';
import { compose, due, type Email, paragraph } from '../emails';
import type { StepModule } from './types';

/**
 * SoP step 8: the department integrates with the count web service. The step ends on whichever comes
 * first: its first test counts (integration-signal.ts, called by the counts API) or DeGS's confirmation
 * link (wait `integration`, kind approvalOrSignal). Its codes take test counts from the moment it starts.
 */
const NUMBER = 8;

/** Step 8 overdue: the department is the one who must act (send test counts), DeGS holds the link. */
export function integrationReminderEmail(
  onboarding: Onboarding,
  baseUrl: string,
  dueAt: string,
  escalations: number,
): Email {
  return compose(onboarding, NUMBER, 'REMINDER: test counts needed', [
    paragraph(
      `REMINDER: your integration with the count web service passed its deadline (escalation ${escalations}). The escalation contact has been informed.`,
    ),
    paragraph(
      `Send test counts for your services with PUT ${baseUrl}/v1/counts (see the step 7 email for your Government Service Codes and the integration steps); this step completes when the first ones arrive. The ${ROLES.degsTechnical} can help.`,
    ),
    due(dueAt),
  ]);
}

export const step08: StepModule = {
  number: NUMBER,
  waits: [
    {
      phase: 'integration',
      role: 'degsTechnical',
      kind: 'approvalOrSignal',
      choices: ['approve'],
      action:
        "The department integrates with the count web service. This step completes by itself when its first test counts arrive; confirm it here if the department's integration is done another way.",
    },
  ],
  page: { section: 'servicesWithCodes', approveLabel: 'Confirm the department has integrated' },
  departmentReminder: integrationReminderEmail,
  // Codes take test counts before the status API shows the step started (issue 14, docs/workflow.md).
  onStart: (onboarding, now, effects) => effects.moveServiceCodes(onboarding, 'testing', now),
  // Every decision here ends the step (one approval completes it): the other way of ending it, the
  // test-counts signal, must find nothing to resume.
  afterDecision: async (onboardingId, effects) => {
    await effects.claimWaitToken(onboardingId, 'SIGNAL');
  },
};
