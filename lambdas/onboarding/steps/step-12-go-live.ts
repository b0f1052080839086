import { formatIst, istDateOf } from '../../core/calendar';
import { ROLES } from '../../core/sop';
import type { Onboarding } from '../../core/workflow';
import { codesTable, compose, type Email, paragraph } from '../emails';
import type { StepModule } from './types';

/**
 * SoP step 12: the Central Committee approves the services for national e-Taal (wait
 * `centralApproval`); then the workflow action `goLive` (tasks/outcomes.ts) marks the onboarding
 * LIVE and sends liveEmail.
 */
const NUMBER = 12;

/**
 * From when counts are national: every count sent from the go-live moment on, for any date. Counts sent
 * earlier were test data and stay so (the go-live day included) until that day's total is sent again.
 */
function liveFromText(onboarding: Onboarding): string {
  const liveAt = new Date(onboarding.liveAt ?? onboarding.updatedAt);
  return `Counts you send from ${formatIst(liveAt)} on go to national e-Taal. Counts sent before that were test data and stay test counts, including any for ${istDateOf(liveAt)}: send that day's total again to have it counted.`;
}

/** Step 12 approved: the department is told its services are live, and from when counts are national. */
export function liveEmail(onboarding: Onboarding): Email {
  return compose(onboarding, NUMBER, 'services are live', [
    paragraph(
      `The ${ROLES.centralCommittee} approved your services. Their transaction counts now flow to the national e-Taal Portal: keep sending daily counts.`,
    ),
    paragraph(liveFromText(onboarding)),
    codesTable(onboarding),
  ]);
}

export const step12: StepModule = {
  number: NUMBER,
  waits: [
    {
      phase: 'centralApproval',
      role: 'centralCommittee',
      kind: 'approval',
      choices: ['approve', 'reject'],
      action:
        "Approve the department's services for national e-Taal (their transaction counts then flow to the e-Taal Portal), or reject them.",
    },
  ],
  approvedState: { name: 'Services go live', action: 'goLive' },
  page: {
    section: 'servicesWithCodes',
    approveLabel: 'Approve for national e-Taal (the services go live)',
    recap: { heading: 'State-level decisions (step 10)', steps: [10] },
  },
  // Codes live before the status API shows step 12 done or the onboarding LIVE (issue 14).
  onApproved: (onboarding, now, effects) => effects.moveServiceCodes(onboarding, 'live', now),
};
