import type { StepNumber } from '../core/sop';
import type { DecisionRecord, Onboarding, WaitPhase } from '../core/workflow';
import { conditionalWrite, writeIf } from '../shared/conditional-write';
import { updateMeta } from './meta-item';
import { getOnboardingMeta, setStatus, toOnboarding } from './repository';
import { returnCounterOf } from './workflow/waits';

/**
 * A step's progress on the onboarding item (`steps.<n>` of META, see ./repository.ts): started with its
 * deadline, the wait it is in, escalations, decisions, completion. Each is one UpdateItem whose
 * condition makes a retry of the workflow task harmless.
 */

const stepNames = (step: StepNumber) => ({ '#steps': 'steps', '#n': String(step) });

/** Marks a step started with its deadline; false when it had started already (a retry or a sibling wait). */
export async function startStep(
  onboardingId: string,
  step: StepNumber,
  values: { startedAt: string; dueAt: string; phase?: WaitPhase; timeoutAt: string },
): Promise<boolean> {
  return writeIf(
    updateMeta(onboardingId, {
      UpdateExpression:
        'SET #steps.#n.startedAt = :startedAt, #steps.#n.dueAt = :dueAt, #steps.#n.timeoutAt = :timeoutAt, currentStep = :step, updatedAt = :startedAt' +
        (values.phase ? ', #steps.#n.phase = :phase' : ''),
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#steps.#n.startedAt)',
      ExpressionAttributeNames: stepNames(step),
      ExpressionAttributeValues: {
        ':startedAt': values.startedAt,
        ':dueAt': values.dueAt,
        ':timeoutAt': values.timeoutAt,
        ':step': step,
        ...(values.phase ? { ':phase': values.phase } : {}),
      },
    }),
  );
}

/**
 * Enters a new wait of a started step. With a new deadline (a wait with its own clock) the wait's
 * escalation count restarts. False when the step is already in this phase (a retry).
 */
export async function enterPhase(
  onboardingId: string,
  step: StepNumber,
  phase: WaitPhase,
  deadline?: { dueAt: string; timeoutAt: string },
): Promise<boolean> {
  const now = new Date().toISOString();
  return writeIf(
    updateMeta(onboardingId, {
      UpdateExpression:
        'SET #steps.#n.phase = :phase, updatedAt = :now' +
        (deadline
          ? ', #steps.#n.dueAt = :dueAt, #steps.#n.timeoutAt = :timeoutAt, #steps.#n.escalationsByPhase.#phase = :zero'
          : ''),
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(#steps.#n.phase) OR #steps.#n.phase <> :phase)',
      ExpressionAttributeNames: { ...stepNames(step), ...(deadline ? { '#phase': phase } : {}) },
      ExpressionAttributeValues: {
        ':phase': phase,
        ':now': now,
        ...(deadline ? { ':dueAt': deadline.dueAt, ':timeoutAt': deadline.timeoutAt, ':zero': 0 } : {}),
      },
    }),
  );
}

/**
 * Counts one escalation of a wait and moves its deadline. `seen` is the count the timed-out wait had: a
 * retried escalation finds it already incremented and returns undefined (nothing is sent twice).
 */
export async function recordEscalation(
  onboardingId: string,
  step: StepNumber,
  phase: WaitPhase,
  seen: number,
  deadline: { dueAt: string; timeoutAt: string },
): Promise<Onboarding | undefined> {
  const now = new Date().toISOString();
  const escalated = await conditionalWrite(
    updateMeta(onboardingId, {
      UpdateExpression:
        'SET #steps.#n.escalationsByPhase.#phase = :next, #steps.#n.dueAt = :dueAt, #steps.#n.timeoutAt = :timeoutAt, updatedAt = :now ADD #steps.#n.escalations :one',
      ConditionExpression:
        seen === 0
          ? 'attribute_exists(pk) AND (attribute_not_exists(#steps.#n.escalationsByPhase.#phase) OR #steps.#n.escalationsByPhase.#phase = :seen)'
          : 'attribute_exists(pk) AND #steps.#n.escalationsByPhase.#phase = :seen',
      ExpressionAttributeNames: { ...stepNames(step), '#phase': phase },
      ExpressionAttributeValues: {
        ':seen': seen,
        ':next': seen + 1,
        ':one': 1,
        ':dueAt': deadline.dueAt,
        ':timeoutAt': deadline.timeoutAt,
        ':now': now,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return escalated?.Attributes ? toOnboarding(escalated.Attributes) : undefined;
}

/**
 * Appends a decision to a step and returns the onboarding as it is now. Idempotent per decision (its
 * approval id, or role and time for the test-counts signal): the key goes into a set on the step in the
 * same conditional update, so a retried or concurrent record of the same decision appends nothing.
 */
export async function appendDecision(
  onboardingId: string,
  step: StepNumber,
  decision: DecisionRecord & { approvalId?: string },
): Promise<{ onboarding: Onboarding; appended: boolean }> {
  const key = decisionKey(decision);
  // A return counts against its wait's bound: the reviewer's rounds or the HoD's returns.
  const counter = decision.decision === 'return' ? returnCounterOf(decision.phase) : undefined;
  const appended = await conditionalWrite(
    updateMeta(onboardingId, {
      UpdateExpression:
        'SET #steps.#n.decisions = list_append(if_not_exists(#steps.#n.decisions, :empty), :decision), updatedAt = :now' +
        ' ADD #steps.#n.decisionKeys :keys' +
        (counter ? `, ${counter} :one` : ''),
      ConditionExpression: 'attribute_exists(pk) AND NOT contains(#steps.#n.decisionKeys, :key)',
      ExpressionAttributeNames: stepNames(step),
      ExpressionAttributeValues: {
        ':empty': [],
        ':decision': [decision],
        ':keys': new Set([key]),
        ':key': key,
        ':now': new Date().toISOString(),
        ...(counter ? { ':one': 1 } : {}),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  if (appended) return { onboarding: toOnboarding(appended.Attributes ?? {}), appended: true };
  const current = await getOnboardingMeta(onboardingId);
  if (!current) throw new Error(`No onboarding ${onboardingId}`);
  return { onboarding: current, appended: false };
}

const decisionKey = (d: { approvalId?: string; role: string; decidedAt: string }) =>
  d.approvalId ?? `${d.role}@${d.decidedAt}`;

/** Marks a step complete (once); a STALLED onboarding is back IN_PROGRESS since the stuck step moved. */
export async function completeStep(
  onboardingId: string,
  step: StepNumber,
  completedAt: string,
): Promise<boolean> {
  const completed = await writeIf(
    updateMeta(onboardingId, {
      UpdateExpression: 'SET #steps.#n.completedAt = :at, updatedAt = :at REMOVE #steps.#n.phase',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#steps.#n.completedAt)',
      ExpressionAttributeNames: stepNames(step),
      ExpressionAttributeValues: { ':at': completedAt },
    }),
  );
  if (completed) await setStatus(onboardingId, 'IN_PROGRESS', ['STALLED']);
  return completed;
}

/** An automatic step (2, 5, 7, 11): started and completed at once. */
export async function recordAutomaticStep(
  onboardingId: string,
  step: StepNumber,
  at: string,
): Promise<boolean> {
  return writeIf(
    updateMeta(onboardingId, {
      UpdateExpression:
        'SET #steps.#n.startedAt = :at, #steps.#n.dueAt = :at, #steps.#n.completedAt = :at, currentStep = :step, updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#steps.#n.completedAt)',
      ExpressionAttributeNames: stepNames(step),
      ExpressionAttributeValues: { ':at': at, ':step': step },
    }),
  );
}
