import type { CommitteeRule } from '../core/committee';
import type { Approver } from '../core/delegation';
import type { Role, StepNumber } from '../core/sop';
import type { Decision } from '../core/workflow';

/**
 * What the onboarding domain needs from domains that depend on it (approvals → onboarding is the
 * allowed direction, so onboarding asks through these interfaces and the entry file wires them).
 */

/** The approval links of one wait: bound to its task token, expiring with it. */
export interface ApprovalRequest {
  readonly onboardingId: string;
  readonly departmentId: string;
  readonly step: StepNumber;
  readonly role: Role;
  readonly taskToken: string;
  /** ISO instant: the wait's deadline. */
  readonly expiresAt: string;
  readonly choices: readonly Decision[];
  /** Who is asked: each gets a personal link (./approvers). */
  readonly approvers: readonly Approver[];
  /** How they decide together (core/committee.ts). */
  readonly rule: CommitteeRule;
}

export interface ApprovalLinks {
  issue(request: ApprovalRequest): Promise<{ links: readonly { recipient: Approver; url: string }[] }>;
}

/** Re-sends a role's pending approval links of an onboarding to another person (a change of post). */
export interface PendingLinks {
  /** How many links were re-issued (none when nothing waits for the role). */
  reissue(
    onboardingId: string,
    role: Role,
    person: { name: string; email: string },
    by: { name: string; email: string },
  ): Promise<number>;
}
