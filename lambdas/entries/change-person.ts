import { reissueToPerson } from '../approvals/reissue';
import { changePersonHandler } from '../onboarding/api/people';
import { preloadSes } from '../shared/ses';

/**
 * PUT /v1/onboardings/{onboardingId}/people/{role}, wired with the approvals domain's re-issue of pending
 * links: onboarding may not import approvals (approvals already depends on onboarding).
 */
// Every change re-issues the person's pending links by mail: SES is loaded in the cold start, not by the first invocation.
await preloadSes();

export const handler = changePersonHandler({ reissue: reissueToPerson });
