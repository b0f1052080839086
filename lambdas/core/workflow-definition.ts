import { ROLES, SOP_STEPS, type StepNumber, stepStateName } from './sop';
import { type Decision, RESUBMITTED, WAITS, type WaitPhase } from './workflow';
import { withRecovery } from './workflow-recovery';

/**
 * Builds statemachines/onboarding.asl.json from the SoP data, so state names, roles and the step order
 * are never restated by hand. test/onboarding/asl.test.ts keeps the committed file equal to this output
 * (regenerate it as docs/workflow.md says).
 *
 * Shape: one top-level state per SoP step, named `stepStateName(n)`. Automatic steps are one Lambda
 * task; a step with people in it is a Parallel state of that name whose branch (two for step 10) holds
 * its waits, named with the step prefix, e.g. "Step 04: Wait for e-Taal Nodal Contact".
 *
 * A wait is three states: set deadline → callback task (TimeoutSecondsPath) → on States.Timeout an
 * escalation task that returns the next deadline and loops back to the callback task.
 * The deadline lives at `$.Payload` in the state input and is passed into the callback task's `Payload`,
 * so `$.Payload.timeoutSeconds` names the same value in AWS (which reads TimeoutSecondsPath from the
 * state input) and in local mode (whose interpreter reads it after Parameters).
 *
 * A rejection anywhere ends its branch in a Fail state with error `Onboarding.Rejected`; each step's
 * Parallel catches it and goes to "Onboarding rejected". Executions never fail on a timeout.
 * Resuming at a step and the "needs an admin" waits after any other failure: ./workflow-recovery.
 */

export const FUNCTION_IDS = {
  waitStart: 'OnboardingWaitStart',
  await: 'OnboardingAwait',
  escalate: 'OnboardingEscalate',
  recordDecision: 'OnboardingRecordDecision',
  notify: 'OnboardingNotify',
  transition: 'OnboardingTransition',
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
  const who = spec.kind === 'templates' ? 'templates from the department' : ROLES[spec.role];
  const label = phase === 'resubmission' ? 'amended templates from the department' : who;
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
      FUNCTION_IDS.waitStart,
      { step: spec.step, phase },
      names.wait,
      '$.Payload',
    ),
    [names.wait]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: arn(FUNCTION_IDS.await),
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

/** A branch with one approval wait: approve ends it (or goes to `onApprove`), reject fails it. */
function approvalBranch(phase: WaitPhase, onApprove?: { name: string; state: State }) {
  const spec = WAITS[phase];
  const p = prefix(spec.step);
  const approvedName = onApprove?.name ?? `${p} ${ROLES[spec.role]} approved`;
  const onDecision: Partial<Record<Decision, string>> = { approve: approvedName };
  if (spec.choices.includes('reject')) onDecision.reject = rejectedName(phase);
  return {
    StartAt: waitNames(phase).setDeadline,
    States: {
      ...waitStates(phase, onDecision),
      ...(onApprove ? { [onApprove.name]: onApprove.state } : succeed(approvedName)),
      ...(spec.choices.includes('reject') ? rejected(phase) : {}),
    },
  };
}

export function buildOnboardingDefinition(): Record<string, unknown> {
  const name = (n: number) => stepStateName(n);
  const notify = (step: StepNumber) => lambdaTask(FUNCTION_IDS.notify, { step }, name(step + 1), null);

  const templates = waitNames('templates');
  const hod = waitNames('hodApproval');
  const review = waitNames('review');
  const resubmission = waitNames('resubmission');
  const amendmentSignOff = waitNames('amendmentSignOff');

  const states: States = {
    [name(1)]: {
      Type: 'Pass',
      Comment:
        'Completed by POST /v1/onboardings (services listed, nodal officer nominated) before this execution starts.',
      Next: name(2),
    },
    [name(2)]: notify(2),
    [name(3)]: humanStep(
      3,
      [
        {
          StartAt: templates.setDeadline,
          States: {
            ...waitStates('templates', hod.setDeadline),
            ...waitStates('hodApproval', {
              approve: `${prefix(3)} Templates approved by HoD`,
              return: templates.setDeadline,
            }),
            ...succeed(`${prefix(3)} Templates approved by HoD`),
          },
        },
      ],
      name(4),
    ),
    [name(4)]: humanStep(
      4,
      [
        {
          StartAt: review.setDeadline,
          States: {
            ...waitStates('review', {
              approve: `${prefix(4)} Templates approved`,
              return: resubmission.setDeadline,
              reject: rejectedName('review'),
            }),
            ...waitStates('resubmission', amendmentSignOff.setDeadline),
            ...waitStates('amendmentSignOff', {
              approve: review.setDeadline,
              return: resubmission.setDeadline,
            }),
            ...succeed(`${prefix(4)} Templates approved`),
            ...rejected('review'),
          },
        },
      ],
      name(5),
    ),
    [name(5)]: notify(5),
    [name(6)]: humanStep(
      6,
      [
        approvalBranch('registration', {
          name: `${prefix(6)} Issue Service Codes`,
          state: lambdaTask(FUNCTION_IDS.transition, { action: 'issueCodes' }, null, null),
        }),
      ],
      name(7),
    ),
    [name(7)]: notify(7),
    [name(8)]: humanStep(8, [approvalBranch('integration')], name(9)),
    [name(9)]: humanStep(9, [approvalBranch('testConfirmation')], name(10)),
    [name(10)]: humanStep(10, [approvalBranch('nodalApproval'), approvalBranch('stateApproval')], name(11)),
    [name(11)]: notify(11),
    [name(12)]: humanStep(
      12,
      [
        approvalBranch('centralApproval', {
          name: `${prefix(12)} Services go live`,
          state: lambdaTask(FUNCTION_IDS.transition, { action: 'goLive' }, null, null),
        }),
      ],
      LIVE_STATE,
    ),
    [LIVE_STATE]: { Type: 'Succeed' },
    [REJECTED_STATE]: lambdaTask(FUNCTION_IDS.transition, { action: 'reject' }, null, null),
  };

  if (Object.keys(states).length !== SOP_STEPS.length + 2) throw new Error('Every SoP step needs one state');
  return withRecovery(
    {
      Comment:
        'e-Taal Delhi: one execution per department onboarding through the 12-step e-Taal Integration SoP (DeGS). Generated from lambdas/core/sop.ts by lambdas/core/workflow-definition.ts.',
      StartAt: name(1),
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
