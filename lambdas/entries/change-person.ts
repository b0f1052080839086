import { reissueToPerson } from '../approvals/reissue';
import { changePersonHandler } from '../onboarding/api/people';

/**
 * PUT /v1/onboardings/{onboardingId}/people/{role}, wired with the approvals domain's re-issue of pending
 * links: onboarding may not import approvals (approvals already depends on onboarding).
 */
export const handler = changePersonHandler({ reissue: reissueToPerson });
