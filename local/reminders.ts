import { REMINDERS_FUNCTION_ID } from '../lambdas/onboarding/functions';
import type { FunctionRegistry } from './lambda';

/**
 * Local mode's reminders: the same hourly Lambda AWS runs on an EventBridge schedule
 * (lambdas/onboarding/reminders/handler.ts), on a timer. Like EventBridge, each run is given the time it
 * is for; tests run it for a chosen time (`run(at)`) to see a due-soon day without waiting for it.
 * Reminders follow the real calendar, not ETAAL_TIME_SCALE: a digest is a once-a-day thing.
 */
export const DEFAULT_REMINDERS_INTERVAL_MS = 60 * 60_000;

export interface ReminderOutcome {
  readonly sent: number;
  readonly already: number;
  readonly failed: number;
}

export interface LocalReminders {
  /** Runs the reminders as if it were `at` (default: now). */
  run(at?: Date): Promise<ReminderOutcome>;
  stop(): void;
}

/** Null when the registry has no reminders function (tests of the runtime with their own functions). */
export function startLocalReminders(functions: FunctionRegistry, intervalMs: number): LocalReminders | null {
  if (!functions.has(REMINDERS_FUNCTION_ID)) return null;
  const run = async (at = new Date()) =>
    (await functions.invoke(REMINDERS_FUNCTION_ID, { time: at.toISOString() })) as ReminderOutcome;
  const timer = setInterval(() => {
    run().then(
      ({ sent, failed }) => {
        if (sent + failed > 0) console.log(`[local] reminder digests: ${sent} sent, ${failed} failed`);
      },
      (error: unknown) => console.error('[local] reminder run failed:', error),
    );
  }, intervalMs);
  timer.unref();
  return { run, stop: () => clearInterval(timer) };
}
