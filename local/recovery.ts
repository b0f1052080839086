import { RECOVER_FUNCTION_ID } from '../lambdas/onboarding/functions';
import type { FunctionRegistry } from './lambda';

/**
 * Local mode's recovery: the same sweep Lambda AWS runs on a schedule (lambdas/onboarding/tasks/recover.ts),
 * invoked once at start-up, which resumes every onboarding whose execution a restart (Ctrl-C, a crash)
 * ended, and then on an interval, which picks up executions aborted or failed while running.
 */
export const DEFAULT_RECOVERY_INTERVAL_MS = 60_000;

export interface LocalRecovery {
  /** The start-up sweep: resolves when every stopped onboarding is resumed. */
  readonly ready: Promise<void>;
  /** Runs a sweep now (tests; the interval does it by itself). */
  sweep(): Promise<unknown>;
  stop(): void;
}

/** Null when the registry has no sweep (tests of the runtime with their own functions). */
export function startLocalRecovery(functions: FunctionRegistry, intervalMs: number): LocalRecovery | null {
  if (!functions.has(RECOVER_FUNCTION_ID)) return null;
  let running: Promise<unknown> | undefined;
  const sweep = () => {
    running ??= functions
      .invoke(RECOVER_FUNCTION_ID, {})
      .then(
        (result) => {
          const resumed =
            (result as { resumed?: { onboardingId: string; execution: string }[] }).resumed ?? [];
          for (const r of resumed)
            console.log(`[local] resumed onboarding ${r.onboardingId} as ${r.execution}`);
          return result;
        },
        (error: unknown) => console.error('[local] recovery sweep failed:', error),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return { ready: sweep().then(() => undefined), sweep, stop: () => clearInterval(timer) };
}
