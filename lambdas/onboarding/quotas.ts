import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type OnboardingStatus, OPEN_STATUSES } from '../core/workflow';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { ServiceUnavailableError, TooManyRequestsError } from '../shared/errors';
import { readSetting } from '../shared/settings';
import { tableName } from '../shared/tables';
import { takeOrRefuse } from '../shared/windowed-counter';
import { getOnboardingMeta } from './repository';

/**
 * Quotas on what makes the system send email on a department's behalf (every onboarding mails DeGS,
 * e-Taal and the department's own people for weeks): a bounded number of open onboardings per department,
 * and a rate of new ones, like the count API's. Both answer 429 with Retry-After and a problem body.
 */

/** Open as the workflow defines it: ATTENTION (waiting for an admin) still holds its slot. */
const OPEN: ReadonlySet<OnboardingStatus> = new Set(OPEN_STATUSES);
/** A claim whose onboarding never got written (the request failed after claiming) is let go after this. */
const UNWRITTEN_CLAIM_MS = 5 * 60 * 1000;
/** Retry-After for a full quota: onboardings take weeks, so "later", not "in a second". */
const QUOTA_RETRY_AFTER_SECONDS = 24 * 60 * 60;
const CLAIM_ATTEMPTS = 5;

/**
 * Lets a new onboarding in, or throws 429: an onboarding that exists already (an idempotent replay) passes;
 * otherwise the department's hourly allowance is taken, then one of its open-onboarding slots.
 */
export async function admitNewOnboarding(
  departmentId: string,
  onboardingId: string,
  now: Date,
): Promise<void> {
  if (await getOnboardingMeta(onboardingId)) return;
  const perHour = readSetting('onboardingsPerHour');
  await takeOrRefuse(
    {
      table: tableName('limits'),
      key: { pk: `RATELIMIT#${departmentId}`, sk: 'ONBOARDINGS' },
      windowSeconds: 60 * 60,
      limit: perHour,
    },
    now,
    `At most ${perHour} new onboardings an hour per department; wait and send again.`,
    { problemType: 'onboarding-rate-limit' },
  );
  await claimOpenSlot(departmentId, onboardingId, now);
}

/**
 * The department's open onboardings, as one item (`OPEN#<departmentId> / ONBOARDINGS`: id → claimed at,
 * and a version), rewritten with a version condition so two concurrent requests cannot both take the last
 * slot. Finished onboardings leave it the next time a slot is claimed: no hook in the workflow needed.
 */
async function claimOpenSlot(departmentId: string, onboardingId: string, now: Date): Promise<void> {
  const max = readSetting('maxOpenOnboardings');
  const TableName = tableName('limits');
  const Key = { pk: `OPEN#${departmentId}`, sk: 'ONBOARDINGS' };
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const { Item } = await dynamo.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    const claims = (Item?.claims ?? {}) as Record<string, string>;
    const version = Number(Item?.version ?? 0);
    if (onboardingId in claims) return;
    const open: Record<string, string> = {};
    for (const [id, claimedAt] of Object.entries(claims)) {
      const meta = await getOnboardingMeta(id);
      const stillOpen = meta
        ? OPEN.has(meta.status)
        : now.getTime() - Date.parse(claimedAt) < UNWRITTEN_CLAIM_MS;
      if (stillOpen) open[id] = claimedAt;
    }
    if (Object.keys(open).length >= max) {
      throw new TooManyRequestsError(
        `A department may have at most ${max} open onboardings; this one has ${Object.keys(open).length}. Finish one (it goes live, is rejected or is cancelled) before starting another.`,
        QUOTA_RETRY_AFTER_SECONDS,
        { problemType: 'open-onboardings-quota' },
      );
    }
    const claimed = await writeIf(
      dynamo.send(
        new PutCommand({
          TableName,
          Item: { ...Key, claims: { ...open, [onboardingId]: now.toISOString() }, version: version + 1 },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      ),
    );
    if (claimed) return;
  }
  throw new ServiceUnavailableError(
    'Many onboardings are being created at once; send the same request again.',
    1,
  );
}
