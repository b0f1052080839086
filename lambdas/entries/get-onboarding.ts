import { pendingLinks } from '../approvals/pending-links';
import { getOnboardingHandler } from '../onboarding/api/get';

/**
 * GET /v1/onboardings/{onboardingId}, wired with the approvals domain's pending links: onboarding may not
 * import approvals (approvals already depends on onboarding), so the two meet here.
 */
export const handler = getOnboardingHandler(pendingLinks);
