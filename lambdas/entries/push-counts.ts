import { pushCountsHandler } from '../counts/push';
import { signalTestCountsReceived } from '../onboarding/integration-signal';

/**
 * PUT /v1/counts, wired with the onboarding workflow's step-8 signal: counts may not import onboarding
 * (onboarding reads counts for the step 9 dossier), so they meet here.
 */
export const handler = pushCountsHandler({ testCountsArrived: signalTestCountsReceived });
