import type { PendingLink, PendingLinks } from '../onboarding/ports';
import { queryAllItems } from '../shared/all-items';
import { tableName } from '../shared/tables';
import { type ApprovalRecord, nowEpoch } from './approval';

/**
 * Which approval links of an onboarding are still waiting for a decision: the one read the status view
 * and the reminders make of the Approvals table, through the onboarding domain's `PendingLinks` port.
 *
 * Every link item (`APPROVAL#<hash>` / `APPROVAL`) carries `gsi1pk = ONB#<onboardingId>`,
 * `gsi1sk = <createdAt>` (written with the item by ./repository.ts), so one Query of the `byOnboarding`
 * index finds an onboarding's links whatever the keys of the live-link pointers are (per role or per
 * member). The filter keeps the pending, unexpired ones; the projection never reads the task token.
 * Links issued before the index existed are not found: the status then names the role's contacts.
 */
export const BY_ONBOARDING_INDEX = 'byOnboarding';

export const byOnboardingIndexKeys = (record: Pick<ApprovalRecord, 'onboardingId' | 'createdAt'>) => ({
  gsi1pk: `ONB#${record.onboardingId}`,
  gsi1sk: record.createdAt,
});

export async function pendingLinksOf(onboardingId: string, now: Date): Promise<PendingLink[]> {
  const items = await queryAllItems({
    TableName: tableName('approvals'),
    IndexName: BY_ONBOARDING_INDEX,
    KeyConditionExpression: 'gsi1pk = :onboarding',
    FilterExpression: '#status = :pending AND expiresAtEpoch > :now',
    ProjectionExpression: 'onboardingId, step, #role, recipient, createdAt, expiresAt',
    ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
    ExpressionAttributeValues: {
      ':onboarding': byOnboardingIndexKeys({ onboardingId, createdAt: '' }).gsi1pk,
      ':pending': 'pending',
      ':now': nowEpoch(now),
    },
  });
  return items as PendingLink[];
}

export const pendingLinks: PendingLinks = { of: pendingLinksOf };
