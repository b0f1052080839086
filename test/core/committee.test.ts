import { describe, expect, it } from 'vitest';
import {
  ANY_MEMBER,
  formatCommitteeRule,
  parseCommitteeRule,
  ruleProblem,
  tallyVotes,
  type Vote,
} from '../../lambdas/core/committee';

const votes = (...cast: Vote[]) =>
  cast.map((vote, i) => ({ vote, at: `2026-12-07T10:0${i}:00.000Z`, who: i }));

describe('committee rules', () => {
  it.each([
    ['any', { approvals: 1, objections: 1 }],
    [' Quorum:2 ', { approvals: 2, objections: 1 }],
    ['quorum:3,reject:2', { approvals: 3, objections: 2 }],
    ['quorum:2,reject:quorum', { approvals: 2, objections: 2 }],
  ])('read %j', (text, rule) => {
    expect(parseCommitteeRule(text)).toEqual(rule);
    expect(parseCommitteeRule(formatCommitteeRule(rule))).toEqual(rule);
  });

  it.each([
    '',
    'all',
    'quorum',
    'quorum:0',
    'quorum:21',
    'quorum:2,reject:0',
    'quorum:2;reject:1',
    'majority',
  ])('refuse %j', (text) => {
    expect(parseCommitteeRule(text)).toBeUndefined();
  });

  it('need as many members as the quorum', () => {
    expect(ruleProblem({ approvals: 2, objections: 1 }, 3)).toBeUndefined();
    expect(ruleProblem({ approvals: 4, objections: 1 }, 3)).toMatch(/at least 4 members/);
    expect(ruleProblem({ approvals: 2, objections: 3 }, 2)).toMatch(/reject:3/);
  });
});

describe('tallying a committee of three', () => {
  const quorum2 = { approvals: 2, objections: 1 };

  it('with any: the first vote decides, whatever it is', () => {
    expect(tallyVotes(ANY_MEMBER, 3, votes('approve'))).toMatchObject({
      kind: 'approved',
      deciding: { who: 0 },
    });
    expect(tallyVotes(ANY_MEMBER, 3, votes('reject'))).toMatchObject({
      kind: 'objected',
      deciding: { who: 0 },
    });
  });

  it('with quorum 2: one approval waits, the second approves', () => {
    expect(tallyVotes(quorum2, 3, votes('approve'))).toEqual({
      kind: 'open',
      approvals: 1,
      objections: 0,
      needed: 2,
    });
    expect(tallyVotes(quorum2, 3, votes('approve', 'approve'))).toMatchObject({
      kind: 'approved',
      deciding: { who: 1 },
    });
  });

  it('with quorum 2: a single rejection rejects, even after an approval', () => {
    expect(tallyVotes(quorum2, 3, votes('approve', 'reject'))).toMatchObject({
      kind: 'objected',
      deciding: { vote: 'reject', who: 1 },
    });
  });

  it('with reject:2: one rejection waits; a second one, or a quorum that can no longer be reached, decides', () => {
    const rule = { approvals: 2, objections: 2 };
    expect(tallyVotes(rule, 3, votes('reject'))).toMatchObject({ kind: 'open' });
    expect(tallyVotes(rule, 3, votes('reject', 'approve'))).toMatchObject({ kind: 'open' });
    expect(tallyVotes(rule, 3, votes('reject', 'approve', 'approve'))).toMatchObject({ kind: 'approved' });
    expect(tallyVotes(rule, 3, votes('reject', 'reject'))).toMatchObject({
      kind: 'objected',
      deciding: { who: 1 },
    });
    // Quorum 3 of 3 with reject:3: the first rejection already makes three approvals impossible.
    expect(tallyVotes({ approvals: 3, objections: 3 }, 3, votes('reject'))).toMatchObject({
      kind: 'objected',
    });
  });

  it('decide in the order the votes were cast, not the order they are listed', () => {
    const cast = [
      { vote: 'approve' as const, at: '2026-12-07T10:05:00.000Z', who: 'late' },
      { vote: 'reject' as const, at: '2026-12-07T10:01:00.000Z', who: 'early' },
    ];
    expect(tallyVotes(quorum2, 3, cast)).toMatchObject({ kind: 'objected', deciding: { who: 'early' } });
  });

  it('let a committee that lost members decide with those it has', () => {
    expect(tallyVotes({ approvals: 3, objections: 1 }, 2, votes('approve', 'approve'))).toMatchObject({
      kind: 'approved',
    });
  });
});
