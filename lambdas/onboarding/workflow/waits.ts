import { sopStep } from '../../core/sop';
import {
  type Decision,
  type Onboarding,
  RETURN_BOUNDS,
  type ReturnCounter,
  WAIT_PHASES,
  type WaitPhase,
  type WaitSpec,
} from '../../core/workflow';
import { STEPS, type StepModule } from '../steps';

/**
 * Every wait of the workflow by name, as the step modules declare them (each step its own, in the order
 * the state machine enters them). Pure: the state-machine generator reads it at build time.
 */
export const WAITS: Readonly<Record<WaitPhase, WaitSpec>> = waitTable(STEPS);

/** The waits the step modules declare, each with its step's number; refused unless each name is declared once. */
export function waitTable(steps: readonly StepModule[]): Record<WaitPhase, WaitSpec> {
  const waits: WaitSpec[] = steps.flatMap((module) =>
    (module.waits ?? []).map((wait) => ({
      step: module.number,
      workingDays: sopStep(module.number).workingDays,
      clock: 'step',
      ...wait,
    })),
  );
  const declared = waits.map((w) => w.phase).join(', ');
  if (declared !== WAIT_PHASES.join(', ')) {
    throw new Error(
      `The step modules must declare each wait of WAIT_PHASES once, in its order: declared ${declared}`,
    );
  }
  return Object.fromEntries(waits.map((w) => [w.phase, w])) as Record<WaitPhase, WaitSpec>;
}

/** The choices an approver gets: no more returns once the wait's return bound is reached. */
export function choicesFor(
  phase: WaitPhase,
  counts: Pick<Onboarding, 'amendmentRounds' | 'hodReturns'>,
): Decision[] {
  const counter = WAITS[phase].returnsCountIn;
  const returnsLeft = counter !== undefined && (counts[counter] ?? 0) < RETURN_BOUNDS[counter];
  return WAITS[phase].choices.filter((c) => c !== 'return' || returnsLeft);
}

/** Where a return decided in `phase` is counted (undefined: the wait offers no return). */
export function returnCounterOf(phase: WaitPhase | undefined): ReturnCounter | undefined {
  return phase === undefined ? undefined : WAITS[phase].returnsCountIn;
}
