import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllItems } from '../shared/all-items';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import {
  type ApprovalRecord,
  DECIDED_RETENTION_SECONDS,
  nowEpoch,
  type RecordedDecision,
  SEND_LEASE_SECONDS,
} from './approval';
import { byOnboardingIndexKeys } from './pending-links';

/**
 * Approvals table items:
 *   APPROVAL#<sha256(approvalId)> / APPROVAL -> ApprovalRecord      the link
 *   LINKS#<onboardingId> / <step>#<role>#<seat> -> { approvalHash }  the one live link of a seat
 *   BALLOT#<key> / ...                                               a role's votes (./ballot)
 * A seat is a member of the role (their address, lower case; the absent member's when a delegate holds
 * it), or `role` for a link issued to the role as a whole. One partition per onboarding lists its live
 * links, for resend, reassign and delegation. Every state change is a single-item conditional write
 * (dynalite has no transactions).
 * A link record (APPROVAL#…) is also in the byOnboarding index (./pending-links.ts), for who an onboarding
 * waits for.
 */
export const approvalKey = (approvalHash: string) => ({ pk: `APPROVAL#${approvalHash}`, sk: 'APPROVAL' });

/** Every item of one partition of the Approvals table (whose sort key begins with `skPrefix`, if given). */
export function queryPartition(pk: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
  return queryAllItems({
    TableName: tableName('approvals'),
    KeyConditionExpression: skPrefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ...(skPrefix === undefined ? {} : { ':prefix': skPrefix }) },
    ConsistentRead: true,
  });
}

export interface LinkSeat {
  readonly onboardingId: string;
  readonly step: number;
  readonly role: string;
  /** The member's address (lower case), or undefined for a role-wide link. */
  readonly seat?: string;
}

export const liveLinkKey = (link: LinkSeat) => ({
  pk: `LINKS#${link.onboardingId}`,
  sk: `${link.step}#${link.role}#${link.seat ?? 'role'}`,
});

/** The live links of an onboarding (of one step when given), newest pointer per seat. */
export async function listLiveLinks(
  onboardingId: string,
  step?: number,
): Promise<{ seat: LinkSeat; approvalHash: string }[]> {
  const items = await queryPartition(`LINKS#${onboardingId}`, step === undefined ? undefined : `${step}#`);
  return items.map((item) => {
    const [stepText, role, seat] = String(item.sk).split('#') as [string, string, string];
    return {
      seat: { onboardingId, step: Number(stepText), role, ...(seat === 'role' ? {} : { seat }) },
      approvalHash: String(item.approvalHash),
    };
  });
}

export async function getApproval(approvalHash: string): Promise<ApprovalRecord | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName('approvals'),
      Key: approvalKey(approvalHash),
      ConsistentRead: true,
    }),
  );
  return Item ? (stripKeys(Item) as unknown as ApprovalRecord) : undefined;
}

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}

export async function putNewApproval(record: ApprovalRecord): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName('approvals'),
      Item: { ...approvalKey(record.approvalHash), ...byOnboardingIndexKeys(record), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Points the live link of (onboarding, step, role, seat) at `approvalHash` and returns the link it replaces, if
 * any: a retried callback task (same token) or a re-issued wait (new token after an escalation).
 */
export async function swapLiveLink(
  link: LinkSeat,
  approvalHash: string,
  expiresAtEpoch: number,
): Promise<{ previousApprovalHash?: string }> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: tableName('approvals'),
      Key: liveLinkKey(link),
      UpdateExpression: 'SET approvalHash = :h, expiresAtEpoch = :e, updatedAt = :now',
      ExpressionAttributeValues: {
        ':h': approvalHash,
        ':e': expiresAtEpoch,
        ':now': new Date().toISOString(),
      },
      ReturnValues: 'ALL_OLD',
    }),
  );
  const previous = Attributes?.approvalHash;
  return typeof previous === 'string' && previous !== approvalHash ? { previousApprovalHash: previous } : {};
}

export async function getLiveLinkHash(link: LinkSeat): Promise<string | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName('approvals'), Key: liveLinkKey(link), ConsistentRead: true }),
  );
  return typeof Item?.approvalHash === 'string' ? Item.approvalHash : undefined;
}

/**
 * Closes a still-pending link because a newer one replaced it, or for `reason` (the onboarding ended).
 * False, changing nothing, for a decided or missing link.
 */
export function supersede(approvalHash: string, now: Date, reason = 'superseded'): Promise<boolean> {
  return writeIf(
    updateLink(approvalHash, {
      update: 'SET #status = :superseded, closedReason = :reason, closedAt = :now',
      condition: '#status = :pending',
      values: {
        ':superseded': 'superseded',
        ':reason': reason,
        ':pending': 'pending',
        ':now': now.toISOString(),
      },
    }),
  );
}

/**
 * The one write that decides a link: only a pending, unexpired link can be decided, exactly once. The
 * winner also takes the send lease, so a concurrent second POST cannot resume the execution again.
 * Returns false when the condition failed (someone else decided, or the link expired meanwhile).
 */
export async function recordDecision(
  approvalHash: string,
  decision: RecordedDecision,
  now: Date,
): Promise<boolean> {
  const epoch = nowEpoch(now);
  return writeIf(
    updateLink(approvalHash, {
      update:
        'SET #status = :decided, decision = :decision, sendLeaseUntil = :lease, expiresAtEpoch = :retention',
      condition: '#status = :pending AND expiresAtEpoch > :now',
      values: {
        ':decided': 'decided',
        ':pending': 'pending',
        ':decision': decision,
        ':lease': epoch + SEND_LEASE_SECONDS,
        ':retention': epoch + DECIDED_RETENTION_SECONDS,
        ':now': epoch,
      },
    }),
  );
}

/**
 * Takes the send lease of a decided link whose decision has not reached Step Functions (a retried POST
 * after a transient failure). False when it was resumed meanwhile or another request holds the lease.
 */
export async function claimSendLease(approvalHash: string, now: Date): Promise<boolean> {
  const epoch = nowEpoch(now);
  return writeIf(
    updateLink(approvalHash, {
      update: 'SET sendLeaseUntil = :lease',
      condition:
        '#status = :decided AND attribute_not_exists(resumedAt) AND (attribute_not_exists(sendLeaseUntil) OR sendLeaseUntil < :now)',
      values: { ':decided': 'decided', ':lease': epoch + SEND_LEASE_SECONDS, ':now': epoch },
    }),
  );
}

/** Frees the lease after a failed send, so the approver's retry can try again at once. */
export async function releaseSendLease(approvalHash: string): Promise<void> {
  await updateDecidedLink(approvalHash, 'REMOVE sendLeaseUntil', {}, { notResumed: true });
}

/**
 * The one update of a link after its decision: only while it is decided (with `notResumed`, not yet
 * resumed either). A failed condition throws: the caller's request lost to another.
 */
async function updateDecidedLink(
  approvalHash: string,
  update: string,
  values: Record<string, unknown>,
  options: { notResumed?: boolean } = {},
): Promise<void> {
  await updateLink(approvalHash, {
    update,
    condition: options.notResumed
      ? '#status = :decided AND attribute_not_exists(resumedAt)'
      : '#status = :decided',
    values: { ':decided': 'decided', ...values },
  });
}

/**
 * The one conditional update of a link item (APPROVAL#…); a failed condition rejects with
 * ConditionalCheckFailedException. `#status` names the status attribute (a reserved word) wherever an
 * expression uses it; DynamoDB refuses a name no expression uses, so it is given only then.
 */
function updateLink(
  approvalHash: string,
  change: { update: string; condition: string; values: Record<string, unknown> },
): Promise<unknown> {
  const usesStatus = `${change.update} ${change.condition}`.includes('#status');
  return dynamo.send(
    new UpdateCommand({
      TableName: tableName('approvals'),
      Key: approvalKey(approvalHash),
      UpdateExpression: change.update,
      ConditionExpression: change.condition,
      ...(usesStatus ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: change.values,
    }),
  );
}

export async function markAudited(approvalHash: string, now: Date): Promise<void> {
  await updateLink(approvalHash, {
    update: 'SET auditedAt = :now',
    condition: 'attribute_exists(pk)',
    values: { ':now': now.toISOString() },
  });
}

export async function markResumed(approvalHash: string, now: Date): Promise<void> {
  await updateDecidedLink(approvalHash, 'SET resumedAt = :now REMOVE sendLeaseUntil', {
    ':now': now.toISOString(),
  });
}

/**
 * The decision arrived after Step Functions closed the task (its deadline passed and the workflow moved
 * on to a reminder and a fresh link). The decision stays on the item as a record; the link is expired.
 */
export async function markTaskClosed(approvalHash: string, now: Date): Promise<void> {
  await updateDecidedLink(
    approvalHash,
    'SET #status = :expired, closedReason = :reason, closedAt = :now REMOVE sendLeaseUntil',
    { ':expired': 'expired', ':reason': 'task-closed', ':now': now.toISOString() },
    { notResumed: true },
  );
}

/** The link's vote is in its ballot and did not meet the rule: nothing more to pass on from it. */
export async function markVoteCounted(approvalHash: string, now: Date): Promise<void> {
  await updateDecidedLink(approvalHash, 'SET voteCountedAt = :now REMOVE sendLeaseUntil', {
    ':now': now.toISOString(),
  });
}

/** The role's decision this link passes on (its ballot's deciding vote), kept for a retried send. */
export async function setOutcome(approvalHash: string, outcome: RecordedDecision): Promise<void> {
  await updateDecidedLink(approvalHash, 'SET outcome = :o REMOVE voteCountedAt', { ':o': outcome });
}

/**
 * PENDING#<address> / <onboardingId>#<step>#<role>#<approvalHash>: the links sent to a person, so their
 * pending approvals can be found (a delegation re-sends them). A pointer outlives its link's use; readers
 * check the link itself. TTL removes it with the link's expiry.
 */
export async function notePersonalLink(email: string, record: ApprovalRecord): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName('approvals'),
      Item: {
        pk: `PENDING#${email.trim().toLowerCase()}`,
        sk: `${record.onboardingId}#${record.step}#${record.role}#${record.approvalHash}`,
        approvalHash: record.approvalHash,
        expiresAtEpoch: record.expiresAtEpoch,
      },
    }),
  );
}

/** The hashes of the links sent to a person that may still be pending (check each with getApproval). */
export async function listPersonalLinks(email: string): Promise<string[]> {
  const items = await queryPartition(`PENDING#${email.trim().toLowerCase()}`);
  return items.map((item) => String(item.approvalHash));
}
