import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_AMENDMENT_ROUNDS,
  MAX_HOD_RETURNS,
  MAX_REPLACEMENTS,
  type Onboarding,
  replacementsLeft,
} from '../../lambdas/core/workflow';
import { choicesFor } from '../../lambdas/onboarding/workflow/waits';
import { onboardingFixture } from '../onboarding/fixtures';
import { startHarness } from '../onboarding/support';

/**
 * `onboardings reopen` starts a new execution, a fresh history: on dynalite, through the admin domain the
 * CLI calls, a reopen at the review step gives the reviewer and the HoD their returns back, and one after
 * the review keeps the counts.
 */
let harness: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  harness = await startHarness('reopen-');
});
afterAll(() => harness.stop());

const by = { name: 'Admin', email: 'admin@degs.example' };
const at = '2026-11-20T04:30:00.000Z';

async function stored(overrides: Partial<Onboarding>): Promise<Onboarding> {
  const { putNewOnboarding } = await import('../../lambdas/onboarding/repository');
  const onboarding = onboardingFixture({
    amendmentRounds: MAX_AMENDMENT_ROUNDS,
    hodReturns: MAX_HOD_RETURNS,
    templatesVersion: 1 + MAX_AMENDMENT_ROUNDS + MAX_HOD_RETURNS + MAX_REPLACEMENTS,
    ...overrides,
  });
  await putNewOnboarding(onboarding, 'hash');
  return onboarding;
}

async function meta(onboardingId: string): Promise<Onboarding> {
  const { getOnboardingMeta } = await import('../../lambdas/onboarding/repository');
  return (await getOnboardingMeta(onboardingId)) as Onboarding;
}

describe('onboardings reopen', () => {
  it('at the review step: the reviewer may return again, the HoD too, and the replacements start again', async () => {
    const { reopenOnboarding } = await import('../../lambdas/onboarding/admin/cases');
    const { onboardingId } = await stored({
      onboardingId: '0b0b0b0b-0000-8000-8000-0000000000a4',
      status: 'REJECTED',
      currentStep: 4,
      steps: {
        ...onboardingFixture().steps,
        '4': {
          startedAt: at,
          decisions: [{ role: 'etaalNodalContact', decision: 'reject', decidedAt: at, phase: 'review' }],
        },
      },
    });
    expect(choicesFor('review', await meta(onboardingId))).toEqual(['approve', 'reject']);

    await reopenOnboarding(onboardingId, { step: 4, reason: 'Rejected by mistake', by });

    const reopened = await meta(onboardingId);
    expect(reopened).toMatchObject({ status: 'IN_PROGRESS', amendmentRounds: 0, hodReturns: 0 });
    expect(choicesFor('review', reopened)).toEqual(['approve', 'return', 'reject']);
    expect(choicesFor('amendmentSignOff', reopened)).toEqual(['approve', 'return']);
    expect(replacementsLeft(reopened)).toBe(MAX_REPLACEMENTS);
  });

  it('after the review step: the counts of the finished loops stay', async () => {
    const { reopenOnboarding } = await import('../../lambdas/onboarding/admin/cases');
    const { onboardingId } = await stored({
      onboardingId: '0b0b0b0b-0000-8000-8000-0000000000a7',
      status: 'CANCELLED',
      currentStep: 7,
    });
    await reopenOnboarding(onboardingId, { step: 6, reason: 'Cancelled by mistake', by });
    expect(await meta(onboardingId)).toMatchObject({
      status: 'IN_PROGRESS',
      amendmentRounds: MAX_AMENDMENT_ROUNDS,
      hodReturns: MAX_HOD_RETURNS,
    });
  });
});
