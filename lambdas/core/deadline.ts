import { istDateOf, type WorkingCalendar } from './calendar';

export interface StepDeadline {
  /** The real SoP due instant (ISO 8601, UTC), shown to people; not affected by timeScale. */
  readonly dueAt: string;
  /** Seconds from the step's start until the state machine times the step out (integer ≥ 1). */
  readonly timeoutSeconds: number;
}

/**
 * The deadline of an SoP step and the matching Step Functions TimeoutSeconds.
 *
 * `timeScale` (ETAAL_TIME_SCALE, local mode only) divides the timeout so escalations can be watched in
 * minutes instead of days; the due date people see stays the real one. A step that starts after its due
 * instant (possible with N = 0 late in the day) still gets the minimum timeout of 1 second that Step
 * Functions accepts, so it times out at once instead of the definition being rejected.
 */
export function stepDeadline(input: {
  startedAt: Date;
  workingDays: number;
  calendar: WorkingCalendar;
  timeScale?: number;
}): StepDeadline {
  const { startedAt, workingDays, calendar, timeScale = 1 } = input;
  if (!Number.isFinite(timeScale) || timeScale < 1) {
    throw new RangeError(`timeScale must be a finite number ≥ 1, got ${timeScale}`);
  }
  const dueAt = calendar.dueAt(startedAt, workingDays);
  const seconds = Math.ceil((dueAt.getTime() - startedAt.getTime()) / 1000 / timeScale);
  return { dueAt: dueAt.toISOString(), timeoutSeconds: Math.max(1, seconds) };
}

/**
 * The IST date (YYYY-MM-DD) on which the onboarding is predicted to go live if every remaining step takes
 * its full SoP time, counted from `now`: the due date of one step as long as all of them together.
 */
export function predictGoLive(input: {
  now: Date;
  remainingSteps: readonly { workingDays: number }[];
  calendar: WorkingCalendar;
}): string {
  const { now, remainingSteps, calendar } = input;
  const total = remainingSteps.reduce((sum, step) => sum + step.workingDays, 0);
  return istDateOf(calendar.dueAt(now, total));
}
