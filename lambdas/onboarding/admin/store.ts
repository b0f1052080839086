import { type AuditType, auditTypeOf } from '../../core/audit-events';
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

/**
 * One stored audit entry (lambdas/onboarding/audit.ts), as read back: its type under today's name (an entry
 * written before the naming of ../../core/audit-events.ts keeps its old name in the table). Its fields are
 * read loosely: the trail is years of history, written by every version of the code.
 */
export interface StoredAuditEntry {
  readonly at: string;
  readonly type: AuditType | (string & {});
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
    type: auditTypeOf(item.type),
    ...(typeof item.step === 'number' ? { step: item.step } : {}),
    ...(typeof item.role === 'string' ? { role: item.role } : {}),
    ...(item.by ? { by: item.by as StoredAuditEntry['by'] & object } : {}),
    ...(item.detail ? { detail: item.detail as Record<string, unknown> } : {}),
  }));
}
