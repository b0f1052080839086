import type { Role, StepNumber } from '../core/sop';
import type { Decision } from '../core/workflow';
import type { TestCount } from './dossier';

/**
 * What the onboarding domain needs from domains that depend on it (approvals → onboarding is the
 * allowed direction, so onboarding asks through these interfaces and the entry file wires them).
 */

/** One approval link for one wait: bound to its task token, expiring with it. */
export interface ApprovalRequest {
  readonly onboardingId: string;
  readonly departmentId: string;
  readonly step: StepNumber;
  readonly role: Role;
  readonly taskToken: string;
  /** ISO instant: the wait's deadline. */
  readonly expiresAt: string;
  readonly choices: readonly Decision[];
}

export interface ApprovalLinks {
  issue(request: ApprovalRequest): Promise<{ url: string }>;
}

/**
 * The test counts received for services, for the step 9 dossier in the approval email. The counts
 * domain implements it (counts may not import onboarding, so the entry file wires it in).
 */
export interface TestCountsReader {
  testCounts(serviceCodes: readonly string[]): Promise<readonly TestCount[]>;
}
