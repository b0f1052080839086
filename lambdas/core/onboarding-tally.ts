import type { Onboarding, OnboardingStatus } from './workflow';

/**
 * The open onboardings counted by status and by current step, for the operations dashboard (published
 * by the recovery sweep every 15 minutes, which reads them anyway).
 */
export interface OnboardingTally {
  readonly byStatus: Readonly<Partial<Record<OnboardingStatus, number>>>;
  readonly byStep: Readonly<Record<string, number>>;
}

export function tallyOnboardings(onboardings: readonly Onboarding[]): OnboardingTally {
  const byStatus: Partial<Record<OnboardingStatus, number>> = { IN_PROGRESS: 0, STALLED: 0, ATTENTION: 0 };
  const byStep: Record<string, number> = {};
  for (const o of onboardings) {
    byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    byStep[String(o.currentStep)] = (byStep[String(o.currentStep)] ?? 0) + 1;
  }
  return { byStatus, byStep };
}
