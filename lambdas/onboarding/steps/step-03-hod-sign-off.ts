import { ROLES } from '../../core/sop';
import { latestReturn, type Onboarding, WAITS, type WaitPhase } from '../../core/workflow';
import { claimWaitToken } from '../repository';
import { replacementNext } from '../templates-request';
import type { StepModule } from './types';

/**
 * SoP step 3: the department submits its templates (wait `templates`), then its HoD signs them off
 * (wait `hodApproval`) or returns them with a comment, back to the `templates` wait (at most
 * MAX_HOD_RETURNS times, counted in `hodReturns`). Until the HoD decides, the department may replace the
 * templates: the HoD wait ends with outcome `resubmitted` and starts again for the new version (the
 * step's deadline keeps running). Waits: core/workflow.ts WAITS; submission: api/submit-templates.ts.
 */
const NUMBER = 3;

export const step03: StepModule = {
  number: NUMBER,
  page: { section: 'templates', approveLabel: 'Approve (sign) the service details' },
  submissionNext: (phase: WaitPhase, replacedVersion: number) =>
    WAITS[phase].replaceable
      ? replacementNext(replacedVersion)
      : `Your ${ROLES.competentAuthority} will receive a link to approve the templates (step ${NUMBER}).`,
  // Entered again after a HoD return: the department's request says what the HoD asked for.
  waitReturn: (onboarding: Onboarding, phase: WaitPhase) =>
    phase === 'templates' ? latestReturn(onboarding.steps[String(NUMBER)]) : undefined,
  // The HoD decided: the department can no longer replace the version they decided on.
  afterDecision: async (onboardingId) => {
    await claimWaitToken(onboardingId, 'TEMPLATES');
  },
};
