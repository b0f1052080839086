import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboardingFixture } from '../onboarding/fixtures';
import { startHarness } from '../onboarding/support';

/**
 * The dashboard's pipeline as an admin's repairs move an onboarding: on dynalite, through the same
 * cancel and reopen as `npm run admin -- onboardings cancel|reopen` and the same store the page reads.
 */
let harness: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  harness = await startHarness('pipeline-');
});
afterAll(() => harness.stop());

const admin = { reason: 'Department withdrew', by: { name: 'Admin', email: 'admin@degs.example' } };

describe('onboarding pipeline', () => {
  it('moves a cancelled onboarding out of its step into the cancelled count, and a reopened one back', async () => {
    const { putNewOnboarding } = await import('../../lambdas/onboarding/repository');
    const { onboardingPipeline } = await import('../../lambdas/onboarding/pipeline-store');
    const { cancelOnboarding, reopenOnboarding } = await import('../../lambdas/onboarding/admin/cases');
    const now = new Date();
    const startedAt = now.toISOString();
    const dueAt = new Date(now.getTime() + 86_400_000).toISOString();
    const onboarding = onboardingFixture({
      onboardingId: '0b0b0b0b-0000-8000-8000-0000000000c1',
      currentStep: 2,
      steps: { ...onboardingFixture().steps, '2': { startedAt, dueAt } },
    });
    await putNewOnboarding(onboarding, 'hash');

    const before = await onboardingPipeline(now);
    expect(before).toMatchObject({ inProgress: 1, cancelled: 0 });
    expect(before.steps.find((s) => s.step === 2)?.onboardings).toBe(1);

    await cancelOnboarding(onboarding.onboardingId, admin, async () => 0);
    const cancelled = await onboardingPipeline(new Date());
    expect(cancelled).toMatchObject({ inProgress: 0, cancelled: 1, rejected: 0, live: 0 });
    expect(cancelled.steps.every((s) => s.onboardings === 0)).toBe(true);

    await reopenOnboarding(onboarding.onboardingId, { ...admin, reason: 'Withdrawn by mistake', step: 2 });
    const reopened = await onboardingPipeline(new Date());
    expect(reopened).toMatchObject({ inProgress: 1, cancelled: 0 });
    expect(reopened.steps.find((s) => s.step === 2)?.onboardings).toBe(1);
  });
});
