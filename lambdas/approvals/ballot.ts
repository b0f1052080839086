import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CommitteeRule, tallyVotes } from '../core/committee';
import type { Role } from '../core/sop';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import { DECIDED_RETENTION_SECONDS, type RecordedDecision } from './approval';
import { queryPartition } from './repository';

/**
 * The ballot of one role in one wait: every member's personal link votes in it, and the role decides
 * once the committee's rule is met (core/committee.ts). Approvals table items, one partition per ballot:
 *   BALLOT#<key> / BALLOT         -> { onboardingId, step, role, rule, electorate, outcome? }
 *   BALLOT#<key> / VOTE#<address> -> { vote: RecordedDecision, approvalHash }
 * Votes are keyed by the voter's address, so one person has one vote even when they hold two seats (a
 * delegate who is also a member). The outcome is written once, conditionally: whoever writes it is the
 * one request that resumes the workflow. Each vote is written before the votes are read back, so of two
 * concurrent voters the later reader sees both votes (no outcome is missed).
 */

export interface Ballot {
  readonly ballotKey: string;
  readonly onboardingId: string;
  readonly step: number;
  readonly role: Role;
  readonly rule: CommitteeRule;
  /** The voters' addresses, lower case. */
  readonly electorate: readonly string[];
  /** The role's decision, once the rule is met; `approvalHash` names the link that passes it on. */
  readonly outcome?: { readonly decision: RecordedDecision; readonly approvalHash: string };
  readonly expiresAtEpoch: number;
}

export interface CastBallotVote {
  readonly vote: RecordedDecision;
  readonly approvalHash: string;
}

/** One ballot per role and task token: a re-issued wait (new token) starts a fresh ballot. */
export function ballotKeyOf(role: Role, taskToken: string): string {
  return createHash('sha256').update(`ballot:v1:${role}:${taskToken}`, 'utf8').digest('hex');
}

export const voterKey = (email: string) => email.trim().toLowerCase();

const ballotItemKey = (ballotKey: string) => ({ pk: `BALLOT#${ballotKey}`, sk: 'BALLOT' });

/**
 * Opens the ballot for a wait, or (a retried or re-sent issue of the same wait) sets its electorate;
 * votes and an outcome already recorded stay.
 */
export async function openBallot(ballot: Omit<Ballot, 'outcome'>): Promise<void> {
  const retention = ballot.expiresAtEpoch + DECIDED_RETENTION_SECONDS;
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName('approvals'),
      Key: ballotItemKey(ballot.ballotKey),
      UpdateExpression:
        'SET onboardingId = :o, step = :s, #role = :r, #rule = :rule, electorate = :e, expiresAtEpoch = :x',
      ExpressionAttributeNames: { '#role': 'role', '#rule': 'rule' },
      ExpressionAttributeValues: {
        ':o': ballot.onboardingId,
        ':s': ballot.step,
        ':r': ballot.role,
        ':rule': ballot.rule,
        ':e': ballot.electorate,
        ':x': retention,
      },
    }),
  );
}

export async function getBallot(ballotKey: string): Promise<Ballot | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName('approvals'),
      Key: ballotItemKey(ballotKey),
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = Item;
  return { ...(rest as Omit<Ballot, 'ballotKey'>), ballotKey };
}

/** Swaps one voter for another (a reassigned seat); the ballot must still be open. */
export async function replaceVoter(ballotKey: string, from: string, to: string): Promise<void> {
  const ballot = await getBallot(ballotKey);
  if (!ballot || ballot.outcome) return;
  const electorate = [...new Set(ballot.electorate.map((v) => (v === voterKey(from) ? voterKey(to) : v)))];
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName('approvals'),
      Key: ballotItemKey(ballotKey),
      UpdateExpression: 'SET electorate = :e',
      ConditionExpression: 'attribute_not_exists(outcome)',
      ExpressionAttributeValues: { ':e': electorate },
    }),
  );
}

/** Records a vote (idempotent: the same voter's retry writes the same vote again). */
export async function castVote(ballot: Ballot, voter: string, cast: CastBallotVote): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName('approvals'),
      Item: {
        pk: `BALLOT#${ballot.ballotKey}`,
        sk: `VOTE#${voterKey(voter)}`,
        ...cast,
        expiresAtEpoch: ballot.expiresAtEpoch,
      },
    }),
  );
}

export async function listVotes(ballotKey: string): Promise<CastBallotVote[]> {
  const items = await queryPartition(`BALLOT#${ballotKey}`, 'VOTE#');
  return items.map((item) => ({
    vote: item.vote as RecordedDecision,
    approvalHash: String(item.approvalHash),
  }));
}

export type BallotTally =
  | { readonly kind: 'open'; readonly approvals: number; readonly needed: number }
  | { readonly kind: 'decided'; readonly deciding: CastBallotVote };

/** The ballot's tally over the votes of its current electorate (a replaced voter's vote no longer counts). */
export function tallyBallot(ballot: Ballot, votes: readonly CastBallotVote[]): BallotTally {
  const electorate = new Set(ballot.electorate);
  const counted = votes
    .filter((cast) => cast.vote.by === undefined || electorate.has(voterKey(cast.vote.by.email)))
    .map((cast) => ({ vote: cast.vote.decision, at: cast.vote.decidedAt, cast }));
  const tally = tallyVotes(ballot.rule, ballot.electorate.length, counted);
  return tally.kind === 'open'
    ? { kind: 'open', approvals: tally.approvals, needed: tally.needed }
    : { kind: 'decided', deciding: tally.deciding.cast };
}

/** Writes the role's decision once; false when another request wrote it first. */
export async function recordOutcome(
  ballotKey: string,
  outcome: { decision: RecordedDecision; approvalHash: string },
): Promise<boolean> {
  return writeIf(
    dynamo.send(
      new UpdateCommand({
        TableName: tableName('approvals'),
        Key: ballotItemKey(ballotKey),
        UpdateExpression: 'SET outcome = :o',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(outcome)',
        ExpressionAttributeValues: { ':o': outcome },
      }),
    ),
  );
}
