import type { Role, StepNumber } from '../../core/sop';
import type { DecisionRecord, Onboarding, ServiceCodeStatus, WaitPhase, WaitSpec } from '../../core/workflow';
import type { KitContact } from '../../integration/kit';
import type { Email } from '../emails';
import type { WaitKind } from '../keys';

/**
 * What makes one SoP step different from the others. The generic machinery (the state-machine
 * generator, the workflow tasks, the emails' frame, the approval pages, the status view) iterates over
 * `STEPS` (./index.ts) and reads these fields; it never tests a step number. Everything here is
 * optional: a step without a field behaves the generic way.
 *
 * A step module stays pure (no AWS client, no I/O): the state-machine generator and the wait table read
 * it at build time, and every bundle that shows a wait carries it. Hooks that write do so through the
 * StepEffects the task running them passes in.
 */
export interface StepModule {
  readonly number: StepNumber;

  /**
   * The step's waits (callback tasks people act in), in the order the state machine enters them; the
   * step number is the module's. Concurrent waits each get a branch of their own, the others share one.
   */
  readonly waits?: readonly WaitDeclaration[];

  /**
   * The state a step with waits ends in once approved: its name after the step prefix, and the workflow
   * action it runs (default: a Succeed state named after the branch's role, "<role> approved").
   */
  readonly approvedState?: { readonly name: string; readonly action?: ApprovedAction };

  /** A step completed before the execution starts (step 1, by the API): why, for its Pass state. */
  readonly completedBeforeExecution?: string;

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

  /**
   * What happens after templates are accepted in `wait` (one of this step's), for the department (the
   * 202's `next`).
   */
  readonly submissionNext?: (wait: WaitSpec, replacedVersion: number) => string;

  /**
   * Runs before the step's start is recorded (retried with it): what the status API will then show as
   * started must already be true (issue 14). Idempotent.
   */
  readonly onStart?: (onboarding: Onboarding, now: Date, effects: StepEffects) => Promise<void>;

  /**
   * Runs before a decision that completes the step with approval is recorded (retried with it), so the
   * status API never shows the step done ahead of its effect. Idempotent.
   */
  readonly onApproved?: (onboarding: Onboarding, now: Date, effects: StepEffects) => Promise<void>;

  /** Runs after each decision on the step is recorded: e.g. close a second way of ending it. */
  readonly afterDecision?: (onboardingId: string, effects: StepEffects) => Promise<void>;
}

/**
 * A wait as its step declares it: the step number is the module's, and a wait that says nothing of its
 * deadline keeps the step's (clock 'step' of the step's working days in the SoP).
 */
export type WaitDeclaration = Omit<WaitSpec, 'step' | 'workingDays' | 'clock'> &
  Partial<Pick<WaitSpec, 'workingDays' | 'clock'>>;

/** What a step's approval sets off in the workflow's outcomes task (tasks/outcomes.ts). */
export type ApprovedAction = 'issueCodes' | 'goLive';

/** What an approval page shows about the onboarding's services (rendered by the approvals domain). */
export type PageSection = 'templates' | 'servicesToRegister' | 'servicesWithCodes' | 'servicesWithTestCounts';

/**
 * The writes and reads a step's hooks may ask for, given by the workflow task that runs the hook
 * (../step-effects.ts): the step says what it needs, the task brings the AWS side. Injected rather than
 * imported so the modules stay pure; a dynamic import would keep them pure too, but esbuild then bundles
 * the imported modules' whole namespaces into every function that reads the waits (+60-110 KB each).
 */
export interface StepEffects {
  /** Takes a wait's task token (deletes it), so nothing else can resume that wait. */
  claimWaitToken(onboardingId: string, kind: WaitKind): Promise<unknown>;
  /** Moves the onboarding's service codes on to `status` (idempotent). */
  moveServiceCodes(
    onboarding: Onboarding,
    status: Exclude<ServiceCodeStatus, 'issued' | 'retired'>,
    now: Date,
  ): Promise<void>;
  /** The DeGS Technical contact departments are given for their integration, if configured. */
  integrationContact(): Promise<KitContact | undefined>;
}

export interface NotifyContext {
  readonly baseUrl: string;
  readonly effects: StepEffects;
  /** When the next step will be due if it starts now (set when `needsNextStepDueAt`). */
  readonly nextStepDueAt: string;
}
