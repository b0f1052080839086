import type { Role, StepNumber } from '../../core/sop';
import type { DecisionRecord, Onboarding, WaitPhase } from '../../core/workflow';
import type { Email } from '../emails';

/**
 * What makes one SoP step different from the others. The generic machinery (the workflow tasks, the
 * emails' frame, the approval pages, the status view) iterates over `STEPS` (./index.ts) and reads these
 * fields; it never tests a step number. Everything here is optional: a step without a field behaves
 * the generic way.
 */
export interface StepModule {
  readonly number: StepNumber;

  /** Approval pages of this step: what they show, and the approve button's words. */
  readonly page?: {
    readonly section: PageSection;
    readonly approveLabel?: string;
    /** Decisions of earlier steps the approver must see on their own (step 12: the state level's). */
    readonly recap?: { readonly heading: string; readonly steps: readonly StepNumber[] };
  };

  /** An automatic step (2, 5, 7, 11 in the SoP): the one email that completes it. */
  readonly notify?: {
    readonly recipient: Role;
    /** May read configuration first (step 7 reads whom departments contact). */
    compose(onboarding: Onboarding, context: NotifyContext): Email | Promise<Email>;
    /** Whether the email gives the next step's due date (then `context.nextStepDueAt` is set). */
    readonly needsNextStepDueAt?: boolean;
  };

  /** A reminder for this step's waits that goes to the department instead of a generic wait email. */
  readonly departmentReminder?: (
    onboarding: Onboarding,
    baseUrl: string,
    dueAt: string,
    escalations: number,
  ) => Email;

  /**
   * The return a wait email of this step answers (the department's request to amend, after the HoD or
   * the e-Taal Nodal Contact returned the templates), if any: who returned them and their comment.
   */
  readonly waitReturn?: (onboarding: Onboarding, phase: WaitPhase) => DecisionRecord | undefined;

  /** What happens after templates are accepted in a wait of this step, for the department (the 202's `next`). */
  readonly submissionNext?: (phase: WaitPhase, replacedVersion: number) => string;

  /**
   * Runs before the step's start is recorded (retried with it): what the status API will then show as
   * started must already be true (issue 14). Idempotent.
   */
  readonly onStart?: (onboarding: Onboarding, now: Date) => Promise<void>;

  /**
   * Runs before a decision that completes the step with approval is recorded (retried with it), so the
   * status API never shows the step done ahead of its effect. Idempotent.
   */
  readonly onApproved?: (onboarding: Onboarding, now: Date) => Promise<void>;

  /** Runs after each decision on the step is recorded: e.g. close a second way of ending it. */
  readonly afterDecision?: (onboardingId: string) => Promise<void>;
}

/** What an approval page shows about the onboarding's services (rendered by the approvals domain). */
export type PageSection = 'templates' | 'servicesToRegister' | 'servicesWithCodes' | 'servicesWithTestCounts';

export interface NotifyContext {
  readonly baseUrl: string;
  /** When the next step will be due if it starts now (set when `needsNextStepDueAt`). */
  readonly nextStepDueAt: string;
}
