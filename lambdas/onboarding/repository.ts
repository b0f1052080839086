import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SOP_STEPS } from '../core/sop';
import type { Onboarding, OnboardingStatus, StepState } from '../core/workflow';
import { dynamo } from '../shared/aws';
import { inList, writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import { metaKey } from './keys';
import { readMeta, updateMeta } from './meta-item';
import { querySubmission } from './templates-store';

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
 *
 * This module reads and writes the onboarding record (META) as a whole: create, read, list, status,
 * execution and services. A step's progress on it: ./step-state.ts; the wait tokens: ./wait-tokens.ts.
 */

export type { Onboarding } from '../core/workflow';
export { onboardingPk } from './keys';

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
  const item = await readMeta(onboardingId);
  return item ? toOnboarding(item) : undefined;
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
  const item = await readMeta(onboardingId);
  return item
    ? { onboarding: toOnboarding(item), requestHash: item.requestHash as string | undefined }
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
  await updateMeta(onboardingId, {
    UpdateExpression: 'SET executionArn = :arn',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':arn': executionArn },
  });
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

/** Sets the onboarding's status, from one of `from` only (so LIVE/REJECTED are never undone). */
export async function setStatus(
  onboardingId: string,
  status: OnboardingStatus,
  from: readonly OnboardingStatus[],
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const now = new Date().toISOString();
  const fromList = inList(from, 'from');
  const extraNames = Object.fromEntries(Object.keys(extra).map((k, i) => [`#x${i}`, k]));
  const extraValues = Object.fromEntries(Object.values(extra).map((v, i) => [`:x${i}`, v]));
  return writeIf(
    updateMeta(onboardingId, {
      UpdateExpression: `SET #status = :status, updatedAt = :now${Object.keys(extra)
        .map((_, i) => `, #x${i} = :x${i}`)
        .join('')}`,
      ConditionExpression: `attribute_exists(pk) AND #status IN ${fromList.expression}`,
      ExpressionAttributeNames: { '#status': 'status', ...extraNames },
      ExpressionAttributeValues: { ':status': status, ':now': now, ...fromList.values, ...extraValues },
    }),
  );
}

/** Records the issued codes on the onboarding's services (for the status API and approval pages). */
export async function setServiceCodesOnServices(
  onboardingId: string,
  services: readonly { serviceName: string; serviceCode?: string }[],
  status: string,
): Promise<void> {
  await updateMeta(onboardingId, {
    UpdateExpression: 'SET services = :services, serviceCodeStatus = :status, updatedAt = :now',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: {
      ':services': services,
      ':status': status,
      ':now': new Date().toISOString(),
    },
  });
}
