import { describe, expect, it } from 'vitest';
import type { Onboarding } from '../../lambdas/core/workflow';
import { MAX_REPLACEMENTS } from '../../lambdas/core/workflow';
import { replacementRefused, templatesConflict } from '../../lambdas/onboarding/templates-conflict';
import { onboardingFixture } from './fixtures';

const DUE = '2026-11-25T18:29:59.999Z';
const at = (
  step: number,
  overrides: Partial<Onboarding> = {},
  phase?: Onboarding['steps'][string]['phase'],
) =>
  onboardingFixture({
    currentStep: step as Onboarding['currentStep'],
    templatesVersion: 3,
    steps: { [String(step)]: { startedAt: DUE, dueAt: DUE, ...(phase ? { phase } : {}) } },
    ...overrides,
  });

describe('templatesConflict: a 409 for templates says where the onboarding is and what to do', () => {
  it('during the review: who reviews which version until when, and that a return brings the request', () => {
    const conflict = templatesConflict(at(4, {}, 'review'));
    expect(conflict.state).toEqual({
      status: 'IN_PROGRESS',
      step: 4,
      stepTitle: 'Review by e-Taal Nodal Contact',
      phase: 'review',
      waitingFor: 'etaalNodalContact',
      templatesVersion: 3,
    });
    expect(conflict.detail).toContain('the e-Taal Nodal Contact is reviewing version 3 (due Wed 25 Nov 2026');
    expect(conflict.nextAction).toContain('exact request to resubmit');
  });

  it('before step 3: retry in seconds; after approval: write to the e-Taal Nodal Contact', () => {
    expect(templatesConflict(at(2)).nextAction).toBe('Submit again in a few seconds.');
    const later = templatesConflict(at(6, {}, 'registration'));
    expect(later.detail).toContain('version 3) were approved at step 4');
    expect(later.nextAction).toContain('write to the e-Taal Nodal Contact');
  });

  it('rejected, live or paused: says so, with the way forward', () => {
    expect(templatesConflict(at(4, { status: 'REJECTED' })).nextAction).toContain('POST /v1/onboardings');
    expect(templatesConflict(at(12, { status: 'LIVE' })).detail).toContain('The onboarding is live');
    expect(templatesConflict(at(3, { status: 'ATTENTION' })).detail).toContain('paused for an administrator');
  });

  it('between two waits of steps 3-4 (a link being re-issued): submit again in a minute', () => {
    const conflict = templatesConflict(at(3, {}, 'hodApproval'));
    expect(conflict.state.waitingFor).toBe('competentAuthority');
    expect(conflict.nextAction).toBe('Submit again in a minute.');
  });

  it('refuses an eleventh replacement before the HoD decides, never a requested resubmission', () => {
    const awaitingHod = (templatesVersion: number, hodReturns = 0) =>
      at(3, { templatesVersion, hodReturns }, 'hodApproval');
    expect(replacementRefused(awaitingHod(1 + MAX_REPLACEMENTS - 1))).toBeUndefined();
    const refused = replacementRefused(awaitingHod(1 + MAX_REPLACEMENTS));
    expect(refused?.detail).toContain(`replaced ${MAX_REPLACEMENTS} times`);
    expect(refused?.nextAction).toContain('Ask your Competent authority (HoD) to decide on version 11');
    // Versions that answered returns do not count as replacements.
    expect(replacementRefused(awaitingHod(1 + MAX_REPLACEMENTS, 2))).toBeUndefined();
    // Outside the HoD's waits (a resubmission that was asked for) nothing is refused here.
    expect(replacementRefused(at(4, { templatesVersion: 40 }, 'resubmission'))).toBeUndefined();
  });
});
