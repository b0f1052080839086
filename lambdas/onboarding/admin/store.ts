import { queryAllItems, scanAllItems } from '../../shared/all-items';
import { tableName } from '../../shared/tables';
import type { Onboarding } from '../repository';
import { onboardingPk, toOnboarding } from '../repository';

/**
 * What the admin CLI reads about onboardings beyond the API's per-department view: every onboarding (a
 * scan of META items: the table holds hundreds of onboardings, not millions) and one onboarding's audit
 * trail, oldest first.
 */

export async function listAllOnboardings(): Promise<Onboarding[]> {
  const items = await scanAllItems({
    TableName: tableName('onboardings'),
    FilterExpression: 'sk = :meta',
    ExpressionAttributeValues: { ':meta': 'META' },
  });
  return items.map(toOnboarding).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** One stored audit entry (lambdas/onboarding/audit.ts), as read back. */
export interface StoredAuditEntry {
  readonly at: string;
  readonly type: string;
  readonly step?: number;
  readonly role?: string;
  readonly by?: { readonly name: string; readonly email: string };
  readonly detail?: Record<string, unknown>;
}

export async function listAudit(onboardingId: string): Promise<StoredAuditEntry[]> {
  const items = await queryAllItems({
    TableName: tableName('onboardings'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
    ExpressionAttributeValues: { ':pk': onboardingPk(onboardingId), ':audit': 'AUDIT#' },
  });
  return items.map((item) => ({
    at: String(item.at),
    type: String(item.type),
    ...(typeof item.step === 'number' ? { step: item.step } : {}),
    ...(typeof item.role === 'string' ? { role: item.role } : {}),
    ...(item.by ? { by: item.by as StoredAuditEntry['by'] & object } : {}),
    ...(item.detail ? { detail: item.detail as Record<string, unknown> } : {}),
  }));
}
