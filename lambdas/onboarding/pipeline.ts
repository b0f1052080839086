import { SOP_STEPS, type StepNumber } from '../core/sop';
import { type OnboardingStatus, OPEN_STATUSES, type StepState } from '../core/workflow';
import { stepStatus } from './api/status-view';

/**
 * The onboarding pipeline in numbers, for the public dashboard: how many onboardings (one department's
 * list of services each) stand at each SoP step, and how many of those are past their step's due date.
 * Counts only: which department is where stays with the department and the admins.
 */

/** What the pipeline needs of an onboarding (the store reads only these attributes). */
export interface PipelineOnboarding {
  readonly status: OnboardingStatus;
  readonly currentStep: StepNumber;
  readonly currentStepState?: StepState;
}

export interface PipelineStep {
  readonly step: StepNumber;
  readonly title: string;
  /** Open onboardings (in progress, stalled or waiting for an admin) at this step. */
  readonly onboardings: number;
  /** Of those, past the step's due date. */
  readonly overdue: number;
}

export interface Pipeline {
  readonly steps: readonly PipelineStep[];
  /** Open onboardings: every status of OPEN_STATUSES, the ones below included. */
  readonly inProgress: number;
  readonly overdue: number;
  /** Stopped after the escalation limit; an admin must act. Counted in their step too. */
  readonly stalled: number;
  /** Paused by a failure on our side until an admin resumes it. Counted in their step too. */
  readonly attention: number;
  readonly live: number;
  readonly rejected: number;
  /** Stopped by an admin; a reopen brings one back into its step. */
  readonly cancelled: number;
}

const OPEN: ReadonlySet<OnboardingStatus> = new Set(OPEN_STATUSES);

export function pipelineByStep(onboardings: readonly PipelineOnboarding[], now: Date): Pipeline {
  const open = onboardings.filter((o) => OPEN.has(o.status));
  const isOverdue = (o: PipelineOnboarding) => stepStatus(o.currentStepState, now) === 'overdue';
  const steps = SOP_STEPS.map(({ number, title }) => {
    const here = open.filter((o) => o.currentStep === number);
    return { step: number, title, onboardings: here.length, overdue: here.filter(isOverdue).length };
  });
  const countOf = (status: OnboardingStatus) => onboardings.filter((o) => o.status === status).length;
  return {
    steps,
    inProgress: open.length,
    overdue: steps.reduce((sum, step) => sum + step.overdue, 0),
    stalled: countOf('STALLED'),
    attention: countOf('ATTENTION'),
    live: countOf('LIVE'),
    rejected: countOf('REJECTED'),
    cancelled: countOf('CANCELLED'),
  };
}
