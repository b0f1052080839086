/**
 * What the counts domain needs from domains that depend on it (onboarding reads counts, so counts may
 * not import onboarding): counts asks through these interfaces and the entry file wires them
 * (lambdas/entries/push-counts.ts).
 */

/** Tells the onboarding workflow that test counts of one of its services were stored (SoP step 8). */
export interface TestCountsArrived {
  /**
   * Called after every push with test counts, also for counts stored before (a push retried after a
   * failed call must still reach the workflow), so it must be idempotent. A rejection makes the push
   * answer 503: the counts are stored, and the department sends the same request again.
   */
  testCountsArrived(onboardingId: string): Promise<void>;
}
