import { SOP_STEPS, stepStateName } from './sop';
import { WAIT_PHASES, type WaitPhase } from './workflow';

/**
 * What makes the generated state machine recoverable (issue 8), applied to the definition
 * lambdas/onboarding/workflow/definition.ts builds:
 *
 * 1. Resume from a step: the execution starts at "Start or resume", which goes to the SoP step named by
 *    `$.resume.step` (or to step 1 for a new onboarding, or to the rejection when `$.resume.rejected`).
 *    Each branch of a step with people in it starts with a choice that enters the wait named by
 *    `$.resume.enter.<phase>` or skips a wait already approved (`$.resume.done.<phase>`). Only IsPresent
 *    tests read `$.resume`, so an input without it never fails a Choice. ./resume computes the input.
 *
 * 2. Needs an admin: every Task state (and every step's Parallel) catches States.ALL after its retries
 *    (a wait's States.Timeout still goes to its escalation first) and goes to a "needs an admin" callback
 *    task in its own scope. That task records the failure on the onboarding (status ATTENTION), in the
 *    audit trail and as an operator signal, and waits. An admin resumes the onboarding in a new execution
 *    from the recorded step (`npm run admin -- onboardings resume`); a task success sent to it instead
 *    runs the failed state again. No Task's Catch leads to a Fail state: only rejections fail a branch.
 */

export const START_OR_RESUME = 'Start or resume';
const NEEDS_ADMIN_SUFFIX = ': needs an admin';

type State = Record<string, unknown>;
type States = Record<string, State>;
interface Scope {
  StartAt: string;
  States: States;
}

export interface RecoveryOptions {
  /** The ASL Resource/FunctionName placeholder of the needs-admin Lambda. */
  readonly needsAdminArn: string;
  readonly retry: readonly unknown[];
  readonly rejectedState: string;
}

/** The needs-admin state of a Task or Parallel named `name` (at most 80 characters, like every name). */
export function needsAdminStateName(name: string): string {
  const full = `${name}${NEEDS_ADMIN_SUFFIX}`;
  if (full.length <= 80) return full;
  return `${name.slice(0, 80 - NEEDS_ADMIN_SUFFIX.length - 1)}…${NEEDS_ADMIN_SUFFIX}`;
}

/** "Step 04: …" or "Step 04 - …" → 4; undefined for states outside a step (the rejection). */
function stepOf(name: string): number | undefined {
  const match = /^Step (\d{2})[: ]/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function needsAdminState(name: string, options: RecoveryOptions): State {
  const step = stepOf(name);
  return {
    Type: 'Task',
    Comment: 'Records the failure (status ATTENTION, audit, operator signal) and waits for an admin.',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: options.needsAdminArn,
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'onboardingId.$': '$.onboardingId',
        ...(step === undefined ? {} : { step }),
        task: name,
        'failure.$': '$.failure',
      },
    },
    ResultPath: null,
    Retry: options.retry,
    Next: name,
  };
}

/** Adds the States.ALL catch (after any existing ones) and the needs-admin states of one scope. */
function addNeedsAdmin(scope: Scope, options: RecoveryOptions): void {
  const added: States = {};
  for (const [name, state] of Object.entries(scope.States)) {
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches as Scope[]) addNeedsAdmin(branch, options);
    }
    if (state.Type !== 'Task' && state.Type !== 'Parallel') continue;
    const target = needsAdminStateName(name);
    state.Catch = [
      ...((state.Catch as State[] | undefined) ?? []),
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: target },
    ];
    added[target] = needsAdminState(name, options);
  }
  Object.assign(scope.States, added);
}

/** The waits whose states a branch holds (by their "set deadline" entry state). */
function branchPhases(branch: Scope, setDeadlineOf: (phase: WaitPhase) => string): WaitPhase[] {
  return WAIT_PHASES.filter((phase) => setDeadlineOf(phase) in branch.States);
}

/** Where a branch goes once `phase` is approved: the approve target of its route choice. */
function afterApproval(branch: Scope, routeOf: (phase: WaitPhase) => string, phase: WaitPhase) {
  const route = branch.States[routeOf(phase)] as { Choices?: { StringEquals?: string; Next: string }[] };
  return route?.Choices?.find((c) => c.StringEquals === 'approve')?.Next;
}

function addBranchResume(
  branch: Scope,
  names: { setDeadline: (p: WaitPhase) => string; route: (p: WaitPhase) => string },
): void {
  const phases = branchPhases(branch, names.setDeadline);
  const first = phases[0];
  if (!first) return;
  const choices: State[] = [];
  for (const phase of phases) {
    const approved = afterApproval(branch, names.route, phase);
    if (approved) choices.push({ Variable: `$.resume.done.${phase}`, IsPresent: true, Next: approved });
  }
  for (const phase of phases) {
    choices.push({ Variable: `$.resume.enter.${phase}`, IsPresent: true, Next: names.setDeadline(phase) });
  }
  // Named with its step's prefix, like the states it enters.
  const step = stepOf(names.setDeadline(first));
  const name = `Step ${String(step).padStart(2, '0')}: Start or resume (${phases.join(', ')})`;
  branch.States = {
    [name]: {
      Type: 'Choice',
      Comment: 'A resumed execution enters the recorded wait, or skips a wait already approved.',
      Choices: choices,
      Default: branch.StartAt,
    },
    ...branch.States,
  };
  branch.StartAt = name;
}

/** Applies both mechanisms to the onboarding definition (mutates and returns it). */
export function withRecovery(
  definition: Scope & Record<string, unknown>,
  options: RecoveryOptions & {
    setDeadlineName: (phase: WaitPhase) => string;
    routeName: (phase: WaitPhase) => string;
  },
): Scope & Record<string, unknown> {
  for (const state of Object.values(definition.States)) {
    if (state.Type !== 'Parallel') continue;
    for (const branch of state.Branches as Scope[]) {
      addBranchResume(branch, { setDeadline: options.setDeadlineName, route: options.routeName });
    }
  }
  addNeedsAdmin(definition, options);
  definition.States[START_OR_RESUME] = {
    Type: 'Choice',
    Comment:
      'A new onboarding starts at step 1; a resumed one ($.resume, see lambdas/core/resume.ts) at its recorded step.',
    Choices: [
      { Not: { Variable: '$.resume.step', IsPresent: true }, Next: definition.StartAt },
      { Variable: '$.resume.rejected', IsPresent: true, Next: options.rejectedState },
      ...SOP_STEPS.filter((s) => s.number > 1).map((s) => ({
        Variable: '$.resume.step',
        NumericEquals: s.number,
        Next: stepStateName(s.number),
      })),
    ],
    Default: definition.StartAt,
  };
  definition.StartAt = START_OR_RESUME;
  return definition;
}
