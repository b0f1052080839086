import type { CommitteeRule } from '../core/committee';
import type { Approver } from '../core/delegation';
import type { Role, StepNumber } from '../core/sop';
import type { Decision } from '../core/workflow';
import type { TestCount } from './dossier';

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
export interface LinkReissuer {
  /** How many links were re-issued (none when nothing waits for the role). */
  reissue(
    onboardingId: string,
    role: Role,
    person: { name: string; email: string },
    by: { name: string; email: string },
  ): Promise<number>;
}

/** Who a pending approval link was sent to: a person, when the link names one (per-member links). */
export interface LinkRecipient {
  readonly name: string;
  readonly email: string;
}

/** An approval link still waiting for its decision (open, not expired, not superseded). */
export interface PendingLink {
  readonly onboardingId: string;
  readonly step: StepNumber;
  readonly role: Role;
  /** Absent on links issued to a role's addresses rather than to one person. */
  readonly recipient?: LinkRecipient;
  /** ISO instants: when the link was issued (and emailed), and when it stops working. */
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** The pending links of an onboarding, read from the approvals domain (wired in lambdas/entries/). */
export interface PendingLinks {
  of(onboardingId: string, now: Date): Promise<readonly PendingLink[]>;
}

/**
 * The test counts received for services, for the step 9 dossier in the approval email. The counts
 * domain implements it (counts may not import onboarding, so the entry file wires it in).
 */
export interface TestCountsReader {
  testCounts(serviceCodes: readonly string[]): Promise<readonly TestCount[]>;
}
