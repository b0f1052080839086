import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StepNumber } from '../core/sop';
import { SOP_STEPS } from '../core/sop';
import type { DecisionRecord, Onboarding, OnboardingStatus, StepState, WaitPhase } from '../core/workflow';
import { dynamo } from '../shared/aws';
import { isConditionFailure, writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import { metaKey, type WaitKind, waitKey } from './keys';
import { querySubmission } from './templates-store';
import { returnCounterOf } from './workflow/waits';

/**
 * Onboardings table items (one partition per onboarding):
 *   ONB#<id> / META            the onboarding: status, current step, per-step state, services, and which
 *                              submission of templates is current (templatesVersion, templatesSubmissionId)
 *   ONB#<id> / TEMPLATE#<version>#<submissionId>#<index>   one submitted template each (./templates-store.ts)
 *   ONB#<id> / WAIT#TEMPLATES   the task token of a wait for templates (only while the department may submit)
 *   ONB#<id> / WAIT#SIGNAL      the task token of step 8, for the test-counts signal
 *   ONB#<id> / AUDIT#<iso>#<r>  the audit trail (./audit.ts)
 * META carries gsi1pk = DEPT#<departmentId>, gsi1sk = ONB#<createdAt>#<id> for a department's list.
 * Task tokens live in their own items so reading the onboarding for the API can never leak one; the
 * templates live in their own items so META stays small whatever the department submits.
 */

export type { Onboarding } from '../core/workflow';
export { metaKey, onboardingPk, type WaitKind, waitKey } from './keys';

const table = () => tableName('onboardings');

const INTERNAL_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'requestHash'] as const;

/** An item of the table as an Onboarding, without keys and internal attributes. */
export function toOnboarding(item: Record<string, unknown>): Onboarding {
  const copy = { ...item };
  for (const key of INTERNAL_ATTRIBUTES) delete copy[key];
  return copy as unknown as Onboarding;
}

/** The onboarding without its templates: for the workflow's tasks and checks that do not show them. */
export async function getOnboardingMeta(onboardingId: string): Promise<Onboarding | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table(), Key: metaKey(onboardingId), ConsistentRead: true }),
  );
  return Item ? toOnboarding(Item) : undefined;
}

/** A reader retries when a submission it was pointed at disappeared under it (a reverted submission). */
const TEMPLATE_READ_ATTEMPTS = 3;

/**
 * The onboarding with the templates of its current submission (the one META points to). META is read
 * first: if the submission it names turns out incomplete, it was reverted and deleted meanwhile, so META
 * is read again and points elsewhere.
 */
export async function getOnboarding(onboardingId: string): Promise<Onboarding | undefined> {
  for (let attempt = 1; ; attempt++) {
    const meta = await getOnboardingMeta(onboardingId);
    if (!meta?.templatesSubmissionId) return meta;
    const templates = await querySubmission(onboardingId, meta.templatesVersion, meta.templatesSubmissionId);
    if (templates.length === meta.services.length) return { ...meta, templates };
    if (attempt === TEMPLATE_READ_ATTEMPTS) {
      throw new Error(
        `Templates version ${meta.templatesVersion} of onboarding ${onboardingId} has ${templates.length} of ${meta.services.length} items`,
      );
    }
  }
}

/** The stored request fingerprint of an onboarding, for idempotent creation. */
export async function getOnboardingWithRequestHash(
  onboardingId: string,
): Promise<{ onboarding: Onboarding; requestHash: string | undefined } | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table(), Key: metaKey(onboardingId), ConsistentRead: true }),
  );
  return Item
    ? { onboarding: toOnboarding(Item), requestHash: Item.requestHash as string | undefined }
    : undefined;
}

/** Empty step states, so later updates can set nested attributes (steps.<n>.x) directly. */
export function emptySteps(): Record<string, StepState> {
  return Object.fromEntries(
    SOP_STEPS.map((s) => [String(s.number), { decisions: [], escalationsByPhase: {} }]),
  );
}

/** Writes a new onboarding; false when one with this id exists already (a duplicate request). */
export async function putNewOnboarding(onboarding: Onboarding, requestHash: string): Promise<boolean> {
  return writeIf(
    dynamo.send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...metaKey(onboarding.onboardingId),
          ...onboarding,
          requestHash,
          gsi1pk: `DEPT#${onboarding.departmentId}`,
          gsi1sk: `ONB#${onboarding.createdAt}#${onboarding.onboardingId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

export async function setExecutionArn(onboardingId: string, executionArn: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: table(),
      Key: metaKey(onboardingId),
      UpdateExpression: 'SET executionArn = :arn',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':arn': executionArn },
    }),
  );
}

/** A department's onboardings, newest first, through the byDepartment index. */
export async function listOnboardings(
  departmentId: string,
  options: { limit: number; cursor?: Record<string, unknown> },
): Promise<{ items: Onboarding[]; lastKey?: Record<string, unknown> }> {
  const page = await dynamo.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byDepartment',
      KeyConditionExpression: 'gsi1pk = :dept',
      ExpressionAttributeValues: { ':dept': `DEPT#${departmentId}` },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: options.cursor,
    }),
  );
  return {
    items: (page.Items ?? []).map(toOnboarding),
    ...(page.LastEvaluatedKey ? { lastKey: page.LastEvaluatedKey } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Step state updates (each one UpdateItem; conditions make retries harmless)

const stepNames = (step: StepNumber) => ({ '#steps': 'steps', '#n': String(step) });

/** Marks a step started with its deadline; false when it had started already (a retry or a sibling wait). */
export async function startStep(
  onboardingId: string,
  step: StepNumber,
  values: { startedAt: string; dueAt: string; phase?: WaitPhase; timeoutAt: string },
): Promise<boolean> {
  return writeIf(
    dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
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
    ),
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
    dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
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
    ),
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
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
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
    return Attributes ? toOnboarding(Attributes) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Sets the onboarding's status, from one of `from` only (so LIVE/REJECTED are never undone). */
export async function setStatus(
  onboardingId: string,
  status: OnboardingStatus,
  from: readonly OnboardingStatus[],
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const now = new Date().toISOString();
  const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  const extraNames = Object.fromEntries(Object.keys(extra).map((k, i) => [`#x${i}`, k]));
  const extraValues = Object.fromEntries(Object.values(extra).map((v, i) => [`:x${i}`, v]));
  return writeIf(
    dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
        UpdateExpression: `SET #status = :status, updatedAt = :now${Object.keys(extra)
          .map((_, i) => `, #x${i} = :x${i}`)
          .join('')}`,
        ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(fromValues).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status', ...extraNames },
        ExpressionAttributeValues: { ':status': status, ':now': now, ...fromValues, ...extraValues },
      }),
    ),
  );
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
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
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
    return { onboarding: toOnboarding(Attributes ?? {}), appended: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const current = await getOnboardingMeta(onboardingId);
    if (!current) throw new Error(`No onboarding ${onboardingId}`);
    return { onboarding: current, appended: false };
  }
}

const decisionKey = (d: { approvalId?: string; role: string; decidedAt: string }) =>
  d.approvalId ?? `${d.role}@${d.decidedAt}`;

/** Marks a step complete (once); a STALLED onboarding is back IN_PROGRESS since the stuck step moved. */
export async function completeStep(
  onboardingId: string,
  step: StepNumber,
  completedAt: string,
): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
        UpdateExpression: 'SET #steps.#n.completedAt = :at, updatedAt = :at REMOVE #steps.#n.phase',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#steps.#n.completedAt)',
        ExpressionAttributeNames: stepNames(step),
        ExpressionAttributeValues: { ':at': completedAt },
      }),
    );
    await setStatus(onboardingId, 'IN_PROGRESS', ['STALLED']);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** An automatic step (2, 5, 7, 11): started and completed at once. */
export async function recordAutomaticStep(
  onboardingId: string,
  step: StepNumber,
  at: string,
): Promise<boolean> {
  return writeIf(
    dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
        UpdateExpression:
          'SET #steps.#n.startedAt = :at, #steps.#n.dueAt = :at, #steps.#n.completedAt = :at, currentStep = :step, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#steps.#n.completedAt)',
        ExpressionAttributeNames: stepNames(step),
        ExpressionAttributeValues: { ':at': at, ':step': step },
      }),
    ),
  );
}

/** Records the issued codes on the onboarding's services (for the status API and approval pages). */
export async function setServiceCodesOnServices(
  onboardingId: string,
  services: readonly { serviceName: string; serviceCode?: string }[],
  status: string,
): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: table(),
      Key: metaKey(onboardingId),
      UpdateExpression: 'SET services = :services, serviceCodeStatus = :status, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':services': services,
        ':status': status,
        ':now': new Date().toISOString(),
      },
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// Task tokens of waits the API or the counts signal resume

export async function putWaitToken(
  onboardingId: string,
  kind: WaitKind,
  value: { taskToken: string; step: StepNumber; phase: WaitPhase },
): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: table(),
      Item: { ...waitKey(onboardingId, kind), ...value, createdAt: new Date().toISOString() },
    }),
  );
}

/** Takes the token (deletes it atomically): only one caller can resume a given wait. */
export async function claimWaitToken(
  onboardingId: string,
  kind: WaitKind,
): Promise<{ taskToken: string; step: StepNumber; phase: WaitPhase } | undefined> {
  const { Attributes } = await dynamo.send(
    new DeleteCommand({ TableName: table(), Key: waitKey(onboardingId, kind), ReturnValues: 'ALL_OLD' }),
  );
  return Attributes ? (Attributes as { taskToken: string; step: StepNumber; phase: WaitPhase }) : undefined;
}

/** Puts a claimed token back (the resume failed for a transient reason), unless a newer one exists. */
export async function restoreWaitToken(
  onboardingId: string,
  kind: WaitKind,
  value: { taskToken: string; step: StepNumber; phase: WaitPhase },
): Promise<void> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: table(),
        Item: { ...waitKey(onboardingId, kind), ...value, createdAt: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Notes (once) that test counts of the onboarding arrived, so a step-8 wait set up after them still
 * learns of them (see integration-signal.ts). Answers whether this call set it.
 */
export async function markTestCountsReceived(onboardingId: string, at: string): Promise<boolean> {
  return writeIf(
    dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(onboardingId),
        UpdateExpression: 'SET testCountsReceivedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(testCountsReceivedAt)',
        ExpressionAttributeValues: { ':at': at },
      }),
    ),
  );
}

export async function testCountsReceivedAt(onboardingId: string): Promise<string | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: table(),
      Key: metaKey(onboardingId),
      ConsistentRead: true,
      ProjectionExpression: 'testCountsReceivedAt',
    }),
  );
  return typeof Item?.testCountsReceivedAt === 'string' ? Item.testCountsReceivedAt : undefined;
}

export async function peekWaitToken(onboardingId: string, kind: WaitKind): Promise<boolean> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table(), Key: waitKey(onboardingId, kind), ConsistentRead: true }),
  );
  return Item !== undefined;
}
