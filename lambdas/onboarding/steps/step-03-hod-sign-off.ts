import { ROLES } from '../../core/sop';
import { latestReturn, type Onboarding, type WaitPhase } from '../../core/workflow';
import { replacementNext } from '../templates-request';
import type { StepModule, WaitDeclaration } from './types';

/**
 * SoP step 3: the department submits its templates (wait `templates`), then its HoD signs them off
 * (wait `hodApproval`) or returns them with a comment, back to the `templates` wait (at most
 * MAX_HOD_RETURNS times, counted in `hodReturns`). Until the HoD decides, the department may replace the
 * templates: the HoD wait ends with outcome `resubmitted` and starts again for the new version (the
 * step's deadline keeps running). Submission: api/submit-templates.ts.
 */
const NUMBER = 3;

/** The HoD's sign-off (here, and of amended templates at step 4): approve or return, until decided replaceable. */
export const HOD_SIGN_OFF = {
  role: 'competentAuthority',
  kind: 'approval',
  choices: ['approve', 'return'],
  returnsCountIn: 'hodReturns',
  decidesOnTemplates: true,
  replaceable: true,
} as const satisfies Partial<WaitDeclaration>;

export const step03: StepModule = {
  number: NUMBER,
  waits: [
    {
      phase: 'templates',
      role: 'department',
      kind: 'templates',
      choices: [],
      next: 'hodApproval',
      action:
        'Fill in the service-details template for every listed service and submit it with PUT /v1/onboardings/{onboardingId}/templates (JSON or CSV).',
    },
    {
      phase: 'hodApproval',
      ...HOD_SIGN_OFF,
      decisionsGoTo: { return: 'templates' },
      action:
        'Review the service-details templates your department submitted: approve (sign) them, or return them to the department with a comment.',
    },
  ],
  approvedState: { name: 'Templates approved by HoD' },
  page: { section: 'templates', approveLabel: 'Approve (sign) the service details' },
  submissionNext: (wait, replacedVersion) =>
    wait.replaceable
      ? replacementNext(replacedVersion)
      : `Your ${ROLES.competentAuthority} will receive a link to approve the templates (step ${NUMBER}).`,
  // Entered again after a HoD return: the department's request says what the HoD asked for.
  waitReturn: (onboarding: Onboarding, phase: WaitPhase) =>
    phase === 'templates' ? latestReturn(onboarding.steps[String(NUMBER)]) : undefined,
  // The HoD decided: the department can no longer replace the version they decided on.
  afterDecision: async (onboardingId, effects) => {
    await effects.claimWaitToken(onboardingId, 'TEMPLATES');
  },
};
