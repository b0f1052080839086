import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../core/workflow';
import { dynamo } from '../shared/aws';
import { tableName } from '../shared/tables';
import { onboardingPk } from './repository';

/**
 * The onboarding's audit trail: one item per transition or decision under the onboarding's partition
 * (`AUDIT#<iso timestamp>#<random>`), so it sorts by time and outlives Step Functions' 90-day history.
 * Entries carry roles and ids; `by` names the person where one acted by hand (an admin's cancel, reopen
 * or fix, with the identity the admin CLI found).
 */
export interface AuditEntry {
  readonly type: string;
  readonly step?: number;
  readonly role?: string;
  /** The person who acted by hand: an admin (their AWS or OS identity) or an approver. */
  readonly by?: Actor;
  readonly detail?: Record<string, unknown>;
}

export async function appendAudit(onboardingId: string, entry: AuditEntry): Promise<void> {
  const at = new Date().toISOString();
  await dynamo.send(
    new PutCommand({
      TableName: tableName('onboardings'),
      Item: { pk: onboardingPk(onboardingId), sk: `AUDIT#${at}#${randomUUID()}`, onboardingId, at, ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}
