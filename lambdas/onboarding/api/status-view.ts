import { formatIst, istDateOf, type WorkingCalendar } from '../../core/calendar';
import { predictGoLive } from '../../core/deadline';
import { ROLES, type Role, SOP_STEPS, type StepNumber, sopStep } from '../../core/sop';
import { type DecisionRecord, isFinished, type Onboarding, type StepState } from '../../core/workflow';
import { WAITS } from '../workflow/waits';

/**
 * The status API's view of an onboarding's steps (GET /v1/onboardings/{id}, the admin CLI's views):
 * each step's status, who it waits for, its deadline in IST and its decisions with labels, and the
 * predicted go-live date. The rules it reads are in core/workflow.ts.
 */

export type StepStatus = 'pending' | 'active' | 'done' | 'overdue';

export interface StepView {
  readonly step: StepNumber;
  readonly title: string;
  readonly status: StepStatus;
  readonly actingRoles: readonly { role: Role; label: string }[];
  /** Who the step waits for right now (e.g. the department during an amendment); empty unless active. */
  readonly waitingFor: readonly { role: Role; label: string }[];
  readonly workingDays: number;
  readonly startedAt?: string;
  readonly dueAt?: string;
  readonly dueAtIst?: string;
  readonly completedAt?: string;
  readonly escalations: number;
  readonly decisions: readonly (DecisionRecord & { label: string })[];
}

export function stepStatus(state: StepState | undefined, now: Date): StepStatus {
  if (state?.completedAt) return 'done';
  if (!state?.startedAt) return 'pending';
  return state.dueAt && Date.parse(state.dueAt) < now.getTime() ? 'overdue' : 'active';
}

const roleView = (role: Role) => ({ role, label: ROLES[role] });

export function describeSteps(onboarding: Onboarding, now: Date): StepView[] {
  return SOP_STEPS.map((step) => {
    const state = onboarding.steps[String(step.number)] ?? {};
    const status = stepStatus(state, now);
    return {
      step: step.number,
      title: step.title,
      status,
      actingRoles: step.actors.map(roleView),
      waitingFor:
        status === 'active' || status === 'overdue' ? waitingFor(step.number, state).map(roleView) : [],
      workingDays: step.workingDays,
      ...(state.startedAt ? { startedAt: state.startedAt } : {}),
      ...(state.dueAt ? { dueAt: state.dueAt, dueAtIst: formatIst(new Date(state.dueAt)) } : {}),
      ...(state.completedAt ? { completedAt: state.completedAt } : {}),
      escalations: state.escalations ?? 0,
      decisions: (state.decisions ?? []).map((d) => ({
        ...d,
        label: d.role === 'system' ? ROLES.system : ROLES[d.role],
      })),
    };
  });
}

/** The roles a running step waits for: its current wait's, or every approver yet to approve (step 10). */
function waitingFor(step: StepNumber, state: StepState): Role[] {
  if (state.phase) return [WAITS[state.phase].role];
  const approved = new Set(
    (state.decisions ?? []).filter((d) => d.decision === 'approve').map((d) => d.role),
  );
  return Object.values(WAITS)
    .filter((w) => w.step === step && !approved.has(w.role))
    .map((w) => w.role);
}

/**
 * The IST date the onboarding should go live if every remaining step takes its SoP time: what is left of
 * the current step (to its due date) plus the full time of the steps after it. Undefined once finished.
 */
export function predictedGoLive(
  onboarding: Onboarding,
  now: Date,
  calendar: WorkingCalendar,
): string | undefined {
  if (onboarding.status === 'LIVE')
    return onboarding.liveAt ? istDateOf(new Date(onboarding.liveAt)) : undefined;
  if (isFinished(onboarding.status)) return undefined;
  const current = onboarding.steps[String(onboarding.currentStep)];
  const leftOfCurrent = workingDaysLeft(current, onboarding.currentStep, istDateOf(now), calendar);
  const later = SOP_STEPS.filter((s) => s.number > onboarding.currentStep);
  return predictGoLive({ now, remainingSteps: [{ workingDays: leftOfCurrent }, ...later], calendar });
}

function workingDaysLeft(
  state: StepState | undefined,
  step: StepNumber,
  today: string,
  calendar: WorkingCalendar,
): number {
  if (state?.completedAt) return 0;
  if (!state?.dueAt) return sopStep(step).workingDays;
  return Math.max(0, calendar.workingDaysBetween(today, istDateOf(new Date(state.dueAt))));
}
