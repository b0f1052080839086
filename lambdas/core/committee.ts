/**
 * How the members of a role decide together (issue 9, "approvers are people"). Pure: no AWS.
 *
 * A rule is written as text, so admins can type it and the Config table shows it as typed:
 *   `any`                 the first member to decide decides for the role (the default);
 *   `quorum:N`            N approvals approve; a single rejection (or return) decides against;
 *   `quorum:N,reject:M`   N approvals approve; M objections (rejections or returns) decide against.
 * Whatever the rule, a step never waits for votes that can no longer change the outcome: once the members
 * still to vote cannot bring the approvals up to N, the objections decide (the last objection's decision
 * and comment go to the workflow). With `any`, N = M = 1.
 */

export interface CommitteeRule {
  /** Approvals needed to approve. */
  readonly approvals: number;
  /** Objections (reject or return) needed to decide against. */
  readonly objections: number;
}

export const ANY_MEMBER: CommitteeRule = { approvals: 1, objections: 1 };

export const MAX_QUORUM = 20;

const RULE_PATTERN = /^(?:any|quorum:(\d{1,2})(?:,reject:(\d{1,2}|quorum))?)$/;

export const RULE_SYNTAX =
  'any, quorum:N or quorum:N,reject:M (N, M from 1 to 20; reject:quorum means M = N)';

/** The rule written as `text`, or undefined when it is not a rule. */
export function parseCommitteeRule(text: string): CommitteeRule | undefined {
  const match = RULE_PATTERN.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  if (match[1] === undefined) return ANY_MEMBER;
  const approvals = Number(match[1]);
  const objections = match[2] === undefined ? 1 : match[2] === 'quorum' ? approvals : Number(match[2]);
  if (approvals < 1 || approvals > MAX_QUORUM || objections < 1 || objections > MAX_QUORUM) return undefined;
  return { approvals, objections };
}

/** The canonical text of a rule (what `parseCommitteeRule` reads back to the same rule). */
export function formatCommitteeRule(rule: CommitteeRule): string {
  if (rule.approvals === 1 && rule.objections === 1) return 'any';
  return rule.objections === 1
    ? `quorum:${rule.approvals}`
    : `quorum:${rule.approvals},reject:${rule.objections}`;
}

/** Why a rule cannot work with `memberCount` members, or undefined when it can. */
export function ruleProblem(rule: CommitteeRule, memberCount: number): string | undefined {
  if (rule.approvals > memberCount) {
    return `quorum of ${rule.approvals} needs at least ${rule.approvals} members (the role has ${memberCount})`;
  }
  if (rule.objections > memberCount) {
    return `reject:${rule.objections} needs at least ${rule.objections} members (the role has ${memberCount})`;
  }
  return undefined;
}

export type Vote = 'approve' | 'return' | 'reject';

export interface CastVote<V extends Vote = Vote> {
  readonly vote: V;
  /** ISO instant: the order of the votes decides which objection speaks for the role. */
  readonly at: string;
}

export type Tally<V extends CastVote> =
  | {
      readonly kind: 'open';
      readonly approvals: number;
      readonly objections: number;
      readonly needed: number;
    }
  /** The rule is met: `deciding` is the vote that met it (its decision and comment go to the workflow). */
  | { readonly kind: 'approved' | 'objected'; readonly deciding: V };

/**
 * The outcome of the votes cast so far by a committee of `electorate` members. Votes are one per member
 * (the caller keys them by member). The rule is met by the vote that reaches it, in time order.
 */
export function tallyVotes<V extends CastVote>(
  rule: CommitteeRule,
  electorate: number,
  votes: readonly V[],
): Tally<V> {
  const ordered = [...votes].sort((a, b) => a.at.localeCompare(b.at));
  // A committee smaller than the rule (members removed since) decides with everyone it has.
  const neededApprovals = Math.min(rule.approvals, Math.max(electorate, 1));
  const neededObjections = Math.min(rule.objections, Math.max(electorate, 1));
  let approvals = 0;
  let objections = 0;
  for (const [index, cast] of ordered.entries()) {
    if (cast.vote === 'approve') approvals += 1;
    else objections += 1;
    if (approvals >= neededApprovals) return { kind: 'approved', deciding: cast };
    const stillToVote = Math.max(electorate - (index + 1), 0);
    if (
      cast.vote !== 'approve' &&
      (objections >= neededObjections || approvals + stillToVote < neededApprovals)
    ) {
      return { kind: 'objected', deciding: cast };
    }
  }
  return { kind: 'open', approvals, objections, needed: neededApprovals };
}
