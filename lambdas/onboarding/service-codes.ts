import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { formatServiceCode } from '../core/service-code';
import type { Onboarding, ServiceCodeStatus } from '../core/workflow';
import { dynamo } from '../shared/aws';
import { inList, writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';

/**
 * ServiceCodes table items written by the workflow:
 *   CODE#<serviceCode> / SERVICE    the code (read by the counts API), gsi1pk DEPT#<id>, gsi1sk CODE#<code>
 *   COUNTER#<DEPTCODE> / COUNTER    the department's last sequence number (atomic ADD)
 *   ALLOC#<onboardingId>#<sha256(serviceName)> / ALLOC   which code a service of an onboarding got
 * The allocation item makes issuing idempotent per (onboarding, service): a retried registration finds
 * it and reuses the code instead of taking a new number. The CODE put is conditional, so two writers can
 * never own one code even if a counter were ever reset.
 */

const table = () => tableName('serviceCodes');
const codeKey = (serviceCode: string) => ({ pk: `CODE#${serviceCode}`, sk: 'SERVICE' });
const counterKey = (departmentCode: string) => ({ pk: `COUNTER#${departmentCode}`, sk: 'COUNTER' });
const allocationKey = (onboardingId: string, serviceName: string) => ({
  pk: `ALLOC#${onboardingId}#${createHash('sha256').update(serviceName, 'utf8').digest('hex')}`,
  sk: 'ALLOC',
});

async function nextSequence(departmentCode: string): Promise<number> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: table(),
      Key: counterKey(departmentCode),
      UpdateExpression: 'ADD lastSequence :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.lastSequence);
}

/** The code allocated to this service of this onboarding, allocating one the first time. */
async function allocate(onboarding: Onboarding, serviceName: string): Promise<string> {
  const key = allocationKey(onboarding.onboardingId, serviceName);
  const existing = await dynamo.send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
  if (existing.Item) return String(existing.Item.serviceCode);
  const serviceCode = formatServiceCode(
    onboarding.departmentCode,
    await nextSequence(onboarding.departmentCode),
  );
  const allocated = await writeIf(
    dynamo.send(
      new PutCommand({
        TableName: table(),
        Item: { ...key, serviceCode, onboardingId: onboarding.onboardingId, serviceName },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (allocated) return serviceCode;
  // A concurrent attempt allocated first; its code wins and our sequence number stays unused.
  const winner = await dynamo.send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
  return String(winner.Item?.serviceCode);
}

/**
 * Issues one Government Service Code per service of the onboarding (SoP step 6), status `issued`.
 * Idempotent: running it again returns the same codes.
 */
export async function issueServiceCodes(
  onboarding: Onboarding,
  now: Date,
): Promise<{ serviceName: string; serviceCode: string }[]> {
  const templates = new Map((onboarding.templates ?? []).map((t) => [t.serviceName, t]));
  const issued: { serviceName: string; serviceCode: string }[] = [];
  for (const { serviceName } of onboarding.services) {
    const serviceCode = await allocate(onboarding, serviceName);
    const template = templates.get(serviceName);
    const written = await writeIf(
      dynamo.send(
        new PutCommand({
          TableName: table(),
          Item: {
            ...codeKey(serviceCode),
            serviceCode,
            departmentId: onboarding.departmentId,
            onboardingId: onboarding.onboardingId,
            serviceName,
            category: template?.category,
            deliveryMode: template?.deliveryMode,
            missionModeProject: template?.missionModeProject,
            status: 'issued' satisfies ServiceCodeStatus,
            issuedAt: now.toISOString(),
            updatedAt: now.toISOString(),
            gsi1pk: `DEPT#${onboarding.departmentId}`,
            gsi1sk: `CODE#${serviceCode}`,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (onboardingId = :onb AND serviceName = :name)',
          ExpressionAttributeValues: { ':onb': onboarding.onboardingId, ':name': serviceName },
        }),
      ),
    );
    if (!written) {
      throw new Error(`Service code ${serviceCode} already belongs to another service; check COUNTER items`);
    }
    issued.push({ serviceName, serviceCode });
  }
  return issued;
}

/**
 * Moves the onboarding's codes to `status` from one of `from` (issued → testing → live, or → rejected).
 * A code already past `from` is left alone, so retries and late calls change nothing.
 */
export async function setServiceCodeStatus(
  serviceCodes: readonly string[],
  status: ServiceCodeStatus,
  from: readonly ServiceCodeStatus[],
  now: Date,
): Promise<void> {
  const fromList = inList(from, 'from');
  for (const serviceCode of serviceCodes) {
    await writeIf(
      dynamo.send(
        new UpdateCommand({
          TableName: table(),
          Key: codeKey(serviceCode),
          UpdateExpression: 'SET #status = :status, updatedAt = :now',
          ConditionExpression: `attribute_exists(pk) AND #status IN ${fromList.expression}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':now': now.toISOString(), ...fromList.values },
        }),
      ),
    );
  }
}
