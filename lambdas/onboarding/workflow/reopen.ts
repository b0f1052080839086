import { type Onboarding, RETURN_BOUNDS, type ReturnCounter } from '../../core/workflow';
import { WAITS } from './waits';

/**
 * What an admin's reopen (`npm run admin -- onboardings reopen <id> --step N`) starts again, as a rule.
 * The reopened onboarding runs in a new execution, whose history holds none of the earlier loops, so the
 * bounds that keep one execution's history finite start again for the waits it can enter again (those
 * at step N or later); the earlier rounds stay in the audit entry of the reopen.
 *   - A return counter (RETURN_BOUNDS) restarts at 0 when a wait counting into it is at or after step N.
 *     `amendmentRounds` (step 4's review) and `hodReturns` (the HoD's sign-offs at steps 3 and 4) both
 *     restart on a reopen at steps 2 to 4; after step 4 no wait offering a return is entered again, and
 *     both keep their counts (the history of loops that ended).
 *   - The replacements before a HoD decision (MAX_REPLACEMENTS) restart when a `replaceable` wait is at
 *     or after step N: the versions submitted so far stop counting as replacements
 *     (`priorTemplatesVersions`), all of them when the first submission is asked for again (a reopen at
 *     step 2 or 3), all but the current one otherwise (a reopen at step 4 reviews the current version
 *     again: it is the new run's first).
 */
export type RestartedBounds = Partial<
  Pick<Onboarding, 'amendmentRounds' | 'hodReturns' | 'priorTemplatesVersions'>
>;

const WAIT_SPECS = Object.values(WAITS);

const enteredAgain = (step: number, counts: (wait: (typeof WAIT_SPECS)[number]) => boolean) =>
  WAIT_SPECS.some((wait) => counts(wait) && wait.step >= step);

export function boundsRestartedByReopen(
  onboarding: Pick<Onboarding, 'templatesVersion'>,
  step: number,
): RestartedBounds {
  const restarted: { -readonly [K in keyof RestartedBounds]: RestartedBounds[K] } = {};
  for (const counter of Object.keys(RETURN_BOUNDS) as ReturnCounter[]) {
    if (enteredAgain(step, (wait) => wait.returnsCountIn === counter)) restarted[counter] = 0;
  }
  if (enteredAgain(step, (wait) => wait.replaceable === true)) {
    const firstSubmissionAgain = WAITS.templates.step >= step;
    restarted.priorTemplatesVersions = firstSubmissionAgain
      ? onboarding.templatesVersion
      : Math.max(0, onboarding.templatesVersion - 1);
  }
  return restarted;
}
