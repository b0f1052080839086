import type { Onboarding, WaitPhase } from '../../core/workflow';
import type { StepModule } from './types';

/**
 * SoP step 4: the e-Taal Nodal Contact reviews the templates (wait `review`: approve, return for
 * amendments, reject); a return asks the department to resubmit (wait `resubmission`) and comes back to
 * the review with a fresh deadline. The number of returns is bounded by MAX_AMENDMENT_ROUNDS
 * (core/workflow.ts, with the waits); the loop's states are in core/workflow-definition.ts.
 */
const NUMBER = 4;

/** The reviewer's latest comment: what the department must change, in the resubmission email. */
function latestReturnComment(onboarding: Onboarding): string | undefined {
  const returns = (onboarding.steps[String(NUMBER)]?.decisions ?? []).filter((d) => d.decision === 'return');
  return returns.at(-1)?.comment;
}

export const step04: StepModule = {
  number: NUMBER,
  page: { section: 'templates' },
  waitComment: (onboarding: Onboarding, phase: WaitPhase) =>
    phase === 'resubmission' ? latestReturnComment(onboarding) : undefined,
};
