import { ROLES, SOP_STEPS, type StepNumber, stepStateName } from '../../core/sop';
import { type Decision, RESUBMITTED, type WaitPhase, type WaitSpec } from '../../core/workflow';
import { withRecovery } from '../../core/workflow-recovery';
import { STEPS, type StepModule } from '../steps';
import { WAITS } from './waits';

/**
 * Builds statemachines/onboarding.asl.json from the step modules (lambdas/onboarding/steps/) and the SoP
 * data, so state names, roles and the step order are never restated by hand. test/onboarding/asl.test.ts
 * keeps the committed file equal to this output (`npm run docs` regenerates it).
 *
 * Shape: one top-level state per SoP step, named `stepStateName(n)`, in the order of STEPS. A step done
 * by the API is a Pass state; an automatic step is one Lambda task (its `notify`); a step with waits is
 * a Parallel state of that name whose branch (one per concurrent wait, one for the others) holds its
 * waits, named with the step prefix, e.g. "Step 04: Wait for e-Taal Nodal Contact". Where each decision
 * leads is the waits' `decisionsGoTo` / `next`; approval ends in the step's `approvedState`.
 *
 * A wait is three states: set deadline → callback task (TimeoutSecondsPath) → on States.Timeout an
 * escalation task that returns the next deadline and loops back to the callback task.
 * The deadline lives at `$.Payload` in the state input and is passed into the callback task's `Payload`,
 * so `$.Payload.timeoutSeconds` names the same value in AWS (which reads TimeoutSecondsPath from the
 * state input) and in local mode (whose interpreter reads it after Parameters).
 *
 * A rejection anywhere ends its branch in a Fail state with error `Onboarding.Rejected`; each step's
 * Parallel catches it and goes to "Onboarding rejected". Executions never fail on a timeout.
 * Resuming at a step and the "needs an admin" waits after any other failure: core/workflow-recovery.ts.
 */

/**
 * The workflow's Lambda functions, keyed by what they do. The values are the deployed functions' logical
 * IDs and stay when a task is renamed: a new ID would replace the function, its log group and alarms.
 */
export const FUNCTION_IDS = {
  setDeadline: 'OnboardingWaitStart',
  requestAction: 'OnboardingAwait',
  escalate: 'OnboardingEscalate',
  recordDecision: 'OnboardingRecordDecision',
  notify: 'OnboardingNotify',
  outcomes: 'OnboardingTransition',
  needsAdmin: 'OnboardingNeedsAdmin',
} as const;

export const REJECTED_ERROR = 'Onboarding.Rejected';
export const REJECTED_STATE = 'Onboarding rejected';
export const LIVE_STATE = 'Onboarding live';

type State = Record<string, unknown>;
type States = Record<string, State>;

const arn = (functionId: string) => `\${${functionId}FunctionArn}`;

/** Transient Lambda service errors, and our own functions' failures (all idempotent), are retried. */
const RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 3 },
];

/** A plain Lambda task; `next` null ends the branch (or the execution). */
function lambdaTask(
  functionId: string,
  parameters: State,
  next: string | null,
  resultPath: string | null,
): State {
  return {
    Type: 'Task',
    Resource: arn(functionId),
    Parameters: { 'onboardingId.$': '$.onboardingId', ...parameters },
    ResultPath: resultPath,
    Retry: RETRY,
    ...(next === null ? { End: true } : { Next: next }),
  };
}

const prefix = (step: StepNumber) => `Step ${String(step).padStart(2, '0')}:`;

interface WaitNames {
  readonly setDeadline: string;
  readonly wait: string;
  readonly escalate: string;
  readonly record: string;
  readonly route: string;
  /** A `replaceable` wait's first check: did a new submission end it rather than a decision? */
  readonly replaced: string;
}

function waitNames(phase: WaitPhase): WaitNames {
  const spec = WAITS[phase];
  const p = prefix(spec.step);
  const label =
    spec.label ?? (spec.kind === 'templates' ? 'templates from the department' : ROLES[spec.role]);
  const wait =
    spec.kind === 'approvalOrSignal'
      ? `${p} Wait for test counts or ${ROLES[spec.role]}`
      : `${p} Wait for ${label}`;
  return {
    setDeadline: `${p} Set deadline for ${label}`,
    wait,
    escalate: `${p} Escalate: ${label} overdue`,
    record: `${p} Record decision of ${ROLES[spec.role]}`,
    route: `${p} Route decision of ${ROLES[spec.role]}`,
    replaced: `${p} Templates replaced before ${ROLES[spec.role]} decided?`,
  };
}

/**
 * The states of one wait. `after` is the next state of a template wait, or for an approval the next state
 * of each decision (after it is recorded); an unexpected decision goes back to setting the deadline (a
 * fresh link is issued) rather than failing the execution. A `replaceable` wait ended by a new
 * submission (outcome RESUBMITTED, nothing to record) goes back to setting the deadline too: its
 * clock keeps running, and the callback task issues the link for the new version.
 */
function waitStates(phase: WaitPhase, after: string | Partial<Record<Decision, string>>): States {
  const spec = WAITS[phase];
  const names = waitNames(phase);
  const states: States = {
    [names.setDeadline]: lambdaTask(
      FUNCTION_IDS.setDeadline,
      { step: spec.step, phase },
      names.wait,
      '$.Payload',
    ),
    [names.wait]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: arn(FUNCTION_IDS.requestAction),
        Payload: {
          'taskToken.$': '$$.Task.Token',
          'onboardingId.$': '$.onboardingId',
          step: spec.step,
          phase,
          'timeoutSeconds.$': '$.Payload.timeoutSeconds',
          'dueAt.$': '$.Payload.dueAt',
          'escalations.$': '$.Payload.escalations',
        },
      },
      TimeoutSecondsPath: '$.Payload.timeoutSeconds',
      ResultPath: spec.kind === 'templates' ? '$.submission' : '$.decision',
      Retry: RETRY,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: names.escalate }],
      Next: typeof after === 'string' ? after : spec.replaceable ? names.replaced : names.record,
    },
    [names.escalate]: lambdaTask(
      FUNCTION_IDS.escalate,
      { step: spec.step, phase, 'escalations.$': '$.Payload.escalations' },
      names.wait,
      '$.Payload',
    ),
  };
  if (typeof after === 'string') return states;
  if (spec.replaceable) {
    states[names.replaced] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.decision.decision', StringEquals: RESUBMITTED, Next: names.setDeadline }],
      Default: names.record,
    };
  }
  states[names.record] = lambdaTask(
    FUNCTION_IDS.recordDecision,
    { step: spec.step, phase, 'decision.$': '$.decision' },
    names.route,
    null,
  );
  states[names.route] = {
    Type: 'Choice',
    Choices: Object.entries(after).map(([decision, next]) => ({
      Variable: '$.decision.decision',
      StringEquals: decision,
      Next: next,
    })),
    Default: names.setDeadline,
  };
  return states;
}

function succeed(name: string): States {
  return { [name]: { Type: 'Succeed' } };
}

const rejectedName = (phase: WaitPhase) =>
  `${prefix(WAITS[phase].step)} Rejected by ${ROLES[WAITS[phase].role]}`;

function rejected(phase: WaitPhase): States {
  const step = WAITS[phase].step;
  return {
    [rejectedName(phase)]: {
      Type: 'Fail',
      Error: REJECTED_ERROR,
      Cause: `Rejected at SoP step ${step}`,
    },
  };
}

function humanStep(step: StepNumber, branches: { StartAt: string; States: States }[], next: string): State {
  return {
    Type: 'Parallel',
    Comment: `SoP step ${step}: people act here; the branch holds its waits, deadlines and escalations.`,
    Branches: branches,
    ResultPath: null,
    Catch: [{ ErrorEquals: [REJECTED_ERROR], ResultPath: '$.rejection', Next: REJECTED_STATE }],
    Next: next,
  };
}

/**
 * One branch of a step: its waits' states, then the state approval ends it in (the step's
 * `approvedState`, a workflow action or a Succeed state), then a Fail state for each wait whose
 * rejection ends the onboarding. A decision a wait does not route elsewhere (`decisionsGoTo`) ends the
 * branch ('approve') or fails it ('reject'); a template wait goes on to its `next` wait.
 */
function branch(module: StepModule, waits: readonly WaitSpec[]) {
  const first = waits[0] as WaitSpec;
  const approvedName = `${prefix(module.number)} ${module.approvedState?.name ?? `${ROLES[first.role]} approved`}`;
  const target = (spec: WaitSpec, decision: Decision): string => {
    const next = spec.decisionsGoTo?.[decision];
    if (next) return waitNames(next).setDeadline;
    if (decision === 'approve') return approvedName;
    if (decision === 'reject') return rejectedName(spec.phase);
    throw new Error(`Wait ${spec.phase} offers '${decision}' but does not say where it goes`);
  };
  const states: States = {};
  for (const spec of waits) {
    const after =
      spec.kind === 'templates'
        ? spec.next
          ? waitNames(spec.next).setDeadline
          : approvedName
        : Object.fromEntries(spec.choices.map((decision) => [decision, target(spec, decision)]));
    Object.assign(states, waitStates(spec.phase, after));
  }
  const action = module.approvedState?.action;
  Object.assign(
    states,
    action
      ? { [approvedName]: lambdaTask(FUNCTION_IDS.outcomes, { action }, null, null) }
      : succeed(approvedName),
  );
  for (const spec of waits) {
    if (spec.choices.includes('reject') && !spec.decisionsGoTo?.reject)
      Object.assign(states, rejected(spec.phase));
  }
  return { StartAt: waitNames(first.phase).setDeadline, States: states };
}

/** A step's branches: one per concurrent wait (they run side by side), one for its other waits. */
function branches(module: StepModule) {
  const waits = Object.values(WAITS).filter((w) => w.step === module.number);
  const together = waits.filter((w) => !w.concurrent);
  return [
    ...(together.length > 0 ? [branch(module, together)] : []),
    ...waits.filter((w) => w.concurrent).map((w) => branch(module, [w])),
  ];
}

/** The state of one SoP step, going on to `next`. */
function stepState(module: StepModule, next: string): State {
  if (module.waits?.length) return humanStep(module.number, branches(module), next);
  if (module.notify) return lambdaTask(FUNCTION_IDS.notify, { step: module.number }, next, null);
  if (module.completedBeforeExecution) {
    return { Type: 'Pass', Comment: module.completedBeforeExecution, Next: next };
  }
  throw new Error(`SoP step ${module.number} has no waits, no email and is not done before the execution`);
}

export function buildOnboardingDefinition(): Record<string, unknown> {
  const states: States = Object.fromEntries(
    STEPS.map((module, index) => {
      const following = STEPS[index + 1];
      const next = following ? stepStateName(following.number) : LIVE_STATE;
      return [stepStateName(module.number), stepState(module, next)];
    }),
  );
  states[LIVE_STATE] = { Type: 'Succeed' };
  states[REJECTED_STATE] = lambdaTask(FUNCTION_IDS.outcomes, { action: 'reject' }, null, null);

  if (Object.keys(states).length !== SOP_STEPS.length + 2) throw new Error('Every SoP step needs one state');
  const first = STEPS[0] as StepModule;
  return withRecovery(
    {
      Comment:
        'e-Taal Delhi: one execution per department onboarding through the 12-step e-Taal Integration SoP (DeGS). Generated from the step modules (lambdas/onboarding/steps/) and lambdas/core/sop.ts by lambdas/onboarding/workflow/definition.ts.',
      StartAt: stepStateName(first.number),
      States: states,
    },
    {
      needsAdminArn: arn(FUNCTION_IDS.needsAdmin),
      retry: RETRY,
      rejectedState: REJECTED_STATE,
      setDeadlineName: (phase) => waitNames(phase).setDeadline,
      routeName: (phase) => waitNames(phase).route,
    },
  );
}

/** The definition file's exact text (2-space JSON, trailing newline). */
export function renderOnboardingDefinition(): string {
  return `${JSON.stringify(buildOnboardingDefinition(), null, 2)}\n`;
}
