import { pushCountsHandler } from '../counts/push';

/**
 * PUT /v1/counts, wired with the onboarding workflow's step-8 signal: counts may not import onboarding
 * (onboarding reads counts for the step 9 dossier), so they meet here. Only pushes of test counts signal
 * the workflow, so the signal (and the Step Functions client it resumes the wait with) is loaded by the
 * first of them: a department's live counts never load it (docs/dashboard.md, Cold start).
 */
export const handler = pushCountsHandler({
  testCountsArrived: async (onboardingId) => {
    const { signalTestCountsReceived } = await import('../onboarding/integration-signal');
    await signalTestCountsReceived(onboardingId);
  },
});
