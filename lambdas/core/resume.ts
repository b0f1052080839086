import { SOP_STEPS, type StepNumber, sopStep } from './sop';
import { isFinished, type Onboarding, type WaitPhase, type WaitSpec } from './workflow';

/**
 * Resuming an onboarding, as rules (no AWS). The state machine can start at any SoP step: its input
 * `resume` names the step, the wait to enter there and the waits already decided (step 10 has two), all
 * read from the onboarding in DynamoDB. One mechanism serves the admin's `onboardings resume`, the
 * recovery of executions that stopped (FAILED, TIMED_OUT, ABORTED) and local mode after a restart.
 */

export interface ResumePoint {
  readonly step: StepNumber;
  /** The wait of the step to enter (e.g. step 4's resubmission); absent: the step's first wait. */
  readonly phase?: WaitPhase;
  /** Waits of the step whose role already approved: their branch goes straight to what follows. */
  readonly done?: Readonly<Partial<Record<WaitPhase, true>>>;
  /** A rejection was decided but not yet carried out: the execution goes straight to it. */
  readonly rejected?: true;
}

/** The execution input of a resumed onboarding. */
export interface ResumeInput {
  readonly onboardingId: string;
  readonly resume: ResumePoint;
}

export class ResumeRefused extends Error {}

/** The steps an execution can start at: all but the department's request, which creates the onboarding. */
const RESUMABLE_STEPS: readonly StepNumber[] = SOP_STEPS.filter((s) => s.completion.kind !== 'api').map(
  (s) => s.number,
);

/**
 * Where an onboarding goes on: the step it is at (the first not completed from its current step on), or
 * the `requested` one (an admin re-running a step). A wait is resumed in the phase it was in; for the
 * step's approvals already given, the wait is skipped (no second link, no second decision). `waits`:
 * the workflow's waits (onboarding/workflow/waits.ts).
 */
export function resumePoint(
  onboarding: Onboarding,
  waits: Iterable<Pick<WaitSpec, 'step' | 'phase' | 'kind'>>,
  requested?: number,
): ResumePoint {
  if (isFinished(onboarding.status)) {
    throw new ResumeRefused(
      `Onboarding ${onboarding.onboardingId} is ${onboarding.status}: nothing to resume`,
    );
  }
  const rejection = Object.entries(onboarding.steps).find(([, s]) =>
    (s.decisions ?? []).some((d) => d.decision === 'reject'),
  );
  if (rejection && requested === undefined)
    return { step: Number(rejection[0]) as StepNumber, rejected: true };
  let step: StepNumber;
  if (requested !== undefined) {
    if (!RESUMABLE_STEPS.includes(requested as StepNumber)) {
      throw new ResumeRefused(
        `--step must be a SoP step from ${RESUMABLE_STEPS[0]} to ${RESUMABLE_STEPS.at(-1)} (step 1 is the department’s request)`,
      );
    }
    step = requested as StepNumber;
  } else {
    step = onboarding.currentStep;
    while (isStepFinished(onboarding, step) && sopStep(step).next !== null) {
      step = sopStep(step).next as StepNumber;
    }
  }
  const state = onboarding.steps[String(step)] ?? {};
  const approvedBy = new Set(
    (state.decisions ?? []).filter((d) => d.decision === 'approve').map((d) => d.phase ?? d.role),
  );
  const done: Partial<Record<WaitPhase, true>> = {};
  for (const wait of waits) {
    // A template wait is never skipped: its submission is followed by an approval that is resumed instead.
    if (wait.step === step && wait.kind !== 'templates' && approvedBy.has(wait.phase))
      done[wait.phase] = true;
  }
  return {
    step,
    ...(state.phase && !state.completedAt ? { phase: state.phase } : {}),
    ...(Object.keys(done).length > 0 ? { done } : {}),
  };
}

/**
 * Whether nothing of a step is left to do: it is complete and, for the step that issues the service
 * codes, every service got its code (the codes are issued after its approval completes the step).
 */
export function isStepFinished(onboarding: Onboarding, step: StepNumber): boolean {
  if (!onboarding.steps[String(step)]?.completedAt) return false;
  return !sopStep(step).issuesServiceCodes || onboarding.services.every((s) => s.serviceCode);
}

/** Step Functions' limit on execution names. */
export const MAX_EXECUTION_NAME = 80;

/**
 * The execution's name, found in the console by what an admin knows: department code, the onboarding's
 * IST creation date and the start of its id; `-r<n>` for the n-th resumed execution.
 */
export function executionName(
  onboarding: Pick<Onboarding, 'departmentCode' | 'createdAt' | 'onboardingId'>,
  resumes = 0,
): string {
  const date = new Date(Date.parse(onboarding.createdAt) + 5.5 * 3_600_000).toISOString().slice(0, 10);
  const code = onboarding.departmentCode.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'DEPT';
  const shortId = onboarding.onboardingId.replace(/-/g, '').slice(0, 8);
  const name = `${code}-${date.replaceAll('-', '')}-${shortId}${resumes > 0 ? `-r${resumes}` : ''}`;
  return name.slice(0, MAX_EXECUTION_NAME);
}

/** The ARN an execution of `stateMachineArn` named `name` gets (known before it is started). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** What went wrong in a task, as recorded on the onboarding and shown to people (no secrets, no stack). */
export interface TaskFailure {
  readonly step: number;
  readonly task: string;
  readonly error: string;
  readonly cause: string;
  readonly at: string;
}

const MAX_CAUSE = 300;

/**
 * The cause of a task failure without what must not be shown: Lambda's JSON cause loses its stack trace,
 * and anything that looks like a credential (long opaque strings such as task tokens), an email address
 * or a URL with a path (approval links) is masked.
 */
export function sanitizeCause(cause: string | undefined): string {
  let text = cause ?? '';
  try {
    const parsed = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.errorMessage === 'string') {
      text = parsed.errorMessage;
    }
  } catch {
    // Not JSON: a plain cause.
  }
  const masked = text
    .replace(/https?:\/\/\S+/g, '[link]')
    .replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, '[email]')
    .replace(/[A-Za-z0-9+/=_-]{40,}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return masked.length > MAX_CAUSE ? `${masked.slice(0, MAX_CAUSE - 1)}…` : masked;
}

/** The plain sentence the status API shows while an onboarding needs an admin. */
export function attentionSentence(failure: Pick<TaskFailure, 'step' | 'error'>): string {
  const what = /MessageRejected|SES|Email/i.test(failure.error)
    ? 'an email could not be sent'
    : 'a system task failed';
  return `Step ${failure.step} (${sopStep(failure.step as StepNumber).title}) is paused because ${what}. The DeGS administrators have been told and will resume it; nothing is lost and nothing is needed from you.`;
}
