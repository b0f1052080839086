import { ROLES } from '../../core/sop';
import { latestReturn, type Onboarding, WAITS, type WaitPhase } from '../../core/workflow';
import { claimWaitToken } from '../repository';
import { replacementNext } from '../templates-request';
import type { StepModule } from './types';

/**
 * SoP step 4: the e-Taal Nodal Contact reviews the templates (wait `review`: approve, return for
 * amendments, reject); a return asks the department to resubmit (wait `resubmission`), its HoD signs
 * the amended version off again (wait `amendmentSignOff`: approve, or return to the department) and it
 * comes back to the review with a fresh deadline. Returns are bounded per who returns (MAX_AMENDMENT_ROUNDS
 * for the reviewer, MAX_HOD_RETURNS for the HoD; core/workflow.ts, with the waits); the loop's states
 * are in core/workflow-definition.ts.
 */
const NUMBER = 4;

export const step04: StepModule = {
  number: NUMBER,
  page: { section: 'templates' },
  submissionNext: (phase: WaitPhase, replacedVersion: number) =>
    WAITS[phase].replaceable
      ? replacementNext(replacedVersion)
      : `Your ${ROLES.competentAuthority} receives a link to sign off the amended templates; then the ${ROLES.etaalNodalContact} reviews them again (step ${NUMBER}).`,
  // What the department must change: the latest return, the reviewer's or the HoD's.
  waitReturn: (onboarding: Onboarding, phase: WaitPhase) =>
    phase === 'resubmission' ? latestReturn(onboarding.steps[String(NUMBER)]) : undefined,
  // The HoD's sign-off decided: the department can no longer replace the version decided on.
  afterDecision: async (onboardingId) => {
    await claimWaitToken(onboardingId, 'TEMPLATES');
  },
};
