import { ROLES, sopStep } from '../../core/sop';
import { latestReturn, type Onboarding, type WaitPhase } from '../../core/workflow';
import { replacementNext } from '../templates-request';
import { HOD_SIGN_OFF } from './step-03-hod-sign-off';
import type { StepModule } from './types';

/**
 * SoP step 4: the e-Taal Nodal Contact reviews the templates (wait `review`: approve, return for
 * amendments, reject); a return asks the department to resubmit (wait `resubmission`), its HoD signs
 * the amended version off again (wait `amendmentSignOff`: approve, or return to the department) and it
 * comes back to the review with a fresh deadline. Returns are bounded per who returns (MAX_AMENDMENT_ROUNDS
 * for the reviewer, MAX_HOD_RETURNS for the HoD; core/workflow.ts).
 */
const NUMBER = 4;

/** The department's deadline to resubmit after a return (and its HoD's to sign the amended version off). */
const RESUBMISSION_WORKING_DAYS =
  sopStep(NUMBER).amendmentLoop?.resubmissionWorkingDays ?? sopStep(NUMBER).workingDays;

export const step04: StepModule = {
  number: NUMBER,
  waits: [
    {
      phase: 'review',
      role: 'etaalNodalContact',
      kind: 'approval',
      workingDays: sopStep(NUMBER).workingDays,
      clock: 'phase',
      choices: ['approve', 'return', 'reject'],
      returnsCountIn: 'amendmentRounds',
      decidesOnTemplates: true,
      decisionsGoTo: { return: 'resubmission' },
      action:
        "Review the department's service-details templates: approve them, return them for amendments with a comment, or reject the onboarding.",
    },
    {
      phase: 'resubmission',
      role: 'department',
      kind: 'templates',
      workingDays: RESUBMISSION_WORKING_DAYS,
      clock: 'phase',
      choices: [],
      label: 'amended templates from the department',
      next: 'amendmentSignOff',
      action:
        'Amend the service-details templates as asked and resubmit them with PUT /v1/onboardings/{onboardingId}/templates; your competent authority then signs off the amended version.',
    },
    {
      phase: 'amendmentSignOff',
      ...HOD_SIGN_OFF,
      workingDays: RESUBMISSION_WORKING_DAYS,
      // The department's turn: amending and the HoD's sign-off share the resubmission's deadline.
      clock: 'step',
      decisionsGoTo: { approve: 'review', return: 'resubmission' },
      action:
        'Review the amended service-details templates your department resubmitted: approve (sign) them before the e-Taal Nodal Contact reviews them again, or return them to the department with a comment.',
    },
  ],
  approvedState: { name: 'Templates approved' },
  page: { section: 'templates' },
  submissionNext: (wait, replacedVersion) =>
    wait.replaceable
      ? replacementNext(replacedVersion)
      : `Your ${ROLES.competentAuthority} receives a link to sign off the amended templates; then the ${ROLES.etaalNodalContact} reviews them again (step ${NUMBER}).`,
  // What the department must change: the latest return, the reviewer's or the HoD's.
  waitReturn: (onboarding: Onboarding, phase: WaitPhase) =>
    phase === 'resubmission' ? latestReturn(onboarding.steps[String(NUMBER)]) : undefined,
  // The HoD's sign-off decided: the department can no longer replace the version decided on.
  afterDecision: async (onboardingId, effects) => {
    await effects.claimWaitToken(onboardingId, 'TEMPLATES');
  },
};
