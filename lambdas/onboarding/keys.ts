/**
 * Keys of the Onboardings table (one partition per onboarding), shared by the repository and the
 * templates store. Items: see ./repository.ts.
 */

export const onboardingPk = (onboardingId: string) => `ONB#${onboardingId}`;
export const metaKey = (onboardingId: string) => ({ pk: onboardingPk(onboardingId), sk: 'META' });
export type WaitKind = 'TEMPLATES' | 'SIGNAL';
export const waitKey = (onboardingId: string, kind: WaitKind) => ({
  pk: onboardingPk(onboardingId),
  sk: `WAIT#${kind}`,
});
