import { describe, expect, it } from 'vitest';
import {
  MAX_AMENDMENT_ROUNDS,
  MAX_HOD_RETURNS,
  MAX_REPLACEMENTS,
  replacementsLeft,
} from '../../lambdas/core/workflow';
import { boundsRestartedByReopen } from '../../lambdas/onboarding/workflow/reopen';
import { choicesFor } from '../../lambdas/onboarding/workflow/waits';

/** An onboarding past every bound of steps 3 and 4: 5 reviewer returns, 5 HoD returns, 10 replacements. */
const exhausted = {
  amendmentRounds: MAX_AMENDMENT_ROUNDS,
  hodReturns: MAX_HOD_RETURNS,
  templatesVersion: 1 + MAX_AMENDMENT_ROUNDS + MAX_HOD_RETURNS + MAX_REPLACEMENTS,
};

describe('what a reopen restarts', () => {
  it('is exhausted before: no return offered, no replacement left', () => {
    expect(choicesFor('review', exhausted)).not.toContain('return');
    expect(choicesFor('hodApproval', exhausted)).not.toContain('return');
    expect(replacementsLeft(exhausted)).toBe(0);
  });

  it.each([2, 3])(
    'at step %i: every return bound and every replacement, the next submission being the first',
    (step) => {
      const restarted = boundsRestartedByReopen(exhausted, step);
      expect(restarted).toEqual({
        amendmentRounds: 0,
        hodReturns: 0,
        priorTemplatesVersions: exhausted.templatesVersion,
      });
      const after = { ...exhausted, ...restarted };
      expect(choicesFor('hodApproval', after)).toContain('return');
      expect(choicesFor('review', after)).toContain('return');
      // The department submits again (the first version of the new run) and may then replace it ten times.
      expect(replacementsLeft({ ...after, templatesVersion: exhausted.templatesVersion + 1 })).toBe(
        MAX_REPLACEMENTS,
      );
    },
  );

  it('at step 4: the reviewer’s rounds and the HoD’s returns (the amended sign-off is at step 4), the current version being the first', () => {
    const restarted = boundsRestartedByReopen(exhausted, 4);
    expect(restarted).toEqual({
      amendmentRounds: 0,
      hodReturns: 0,
      priorTemplatesVersions: exhausted.templatesVersion - 1,
    });
    const after = { ...exhausted, ...restarted };
    expect(choicesFor('review', after)).toContain('return');
    expect(choicesFor('amendmentSignOff', after)).toContain('return');
    expect(replacementsLeft(after)).toBe(MAX_REPLACEMENTS);
  });

  it.each([5, 6, 8, 10, 12])(
    'at step %i: nothing (no wait that returns or takes replacements comes again)',
    (step) => {
      expect(boundsRestartedByReopen(exhausted, step)).toEqual({});
    },
  );

  it('counts replacements after a reopen from the new run only', () => {
    const after = { ...exhausted, ...boundsRestartedByReopen(exhausted, 4) };
    // One return by the reviewer asks for one version; two more were replacements.
    expect(
      replacementsLeft({ ...after, amendmentRounds: 1, templatesVersion: exhausted.templatesVersion + 3 }),
    ).toBe(MAX_REPLACEMENTS - 2);
  });
});
