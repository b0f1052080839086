import { describe, expect, it } from 'vitest';
import {
  decisionFormSchema,
  formNonce,
  generateApprovalId,
  generateNonceSalt,
  hashApprovalId,
  isWellFormedApprovalId,
  linkState,
  nonceMatches,
  stepAllowsReturn,
  taskOutput,
} from '../../lambdas/approvals/approval';
import { approvalRecordFixture } from './fixtures';

const record = approvalRecordFixture;

describe('approval ids', () => {
  it('are 256 random bits in base64url, distinct each time, and stored as a sha256 that reveals nothing', () => {
    const ids = new Set(Array.from({ length: 100 }, generateApprovalId));

    expect(ids.size).toBe(100);
    for (const id of ids) expect(isWellFormedApprovalId(id)).toBe(true);
    const [id] = ids;
    expect(hashApprovalId(id as string)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApprovalId(id as string)).not.toContain(id);
  });

  it('rejects anything that is not such an id before any lookup', () => {
    for (const candidate of ['', 'abc', `${generateApprovalId()}x`, '../'.repeat(15)]) {
      expect(isWellFormedApprovalId(candidate)).toBe(false);
    }
  });
});

describe('form nonce', () => {
  it('needs both the link id and the stored salt: neither alone gives the nonce of a page', () => {
    const approvalId = generateApprovalId();
    const salt = generateNonceSalt();
    const nonce = formNonce(approvalId, salt);

    expect(nonceMatches(approvalId, salt, nonce)).toBe(true);
    expect(nonceMatches(approvalId, generateNonceSalt(), nonce)).toBe(false);
    expect(nonceMatches(generateApprovalId(), salt, nonce)).toBe(false);
    expect(nonce).not.toContain(approvalId);
    expect(nonceMatches(approvalId, salt, '')).toBe(false);
    expect(nonceMatches(approvalId, salt, `${nonce}=`)).toBe(false);
  });
});

describe('decision form rules', () => {
  const step4 = decisionFormSchema(['approve', 'return', 'reject']);

  it('accepts an approval without comment and trims control characters from comments', () => {
    expect(step4.parse({ nonce: 'n', decision: 'approve' })).toEqual({
      nonce: 'n',
      decision: 'approve',
      comment: '',
    });
    expect(step4.parse({ nonce: 'n', decision: 'return', comment: ' Fix\u0000 row 2\n ' }).comment).toBe(
      'Fix row 2',
    );
  });

  it('requires a comment to return or reject, and refuses choices the link does not offer', () => {
    expect(step4.safeParse({ nonce: 'n', decision: 'return', comment: '  ' }).error?.issues[0]?.path).toEqual(
      ['comment'],
    );
    expect(step4.safeParse({ nonce: 'n', decision: 'reject' }).success).toBe(false);
    expect(
      decisionFormSchema(['approve', 'reject']).safeParse({ nonce: 'n', decision: 'return', comment: 'x' })
        .success,
    ).toBe(false);
    expect(step4.safeParse({ nonce: 'n', decision: ['approve', 'reject'] }).success).toBe(false);
  });

  it('offers return only at the steps where the HoD (3, 4) or the reviewer (4) may return templates', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter(stepAllowsReturn)).toEqual([3, 4]);
  });
});

describe('link state', () => {
  const before = new Date('2026-11-27T12:29:59Z');
  const after = new Date('2026-11-27T12:30:00Z');
  const decision = {
    decision: 'approve',
    role: 'etaalNodalContact',
    decidedAt: '2026-11-26T10:00:00.000Z',
  } as const;

  it('is open until the deadline and expired from it on', () => {
    expect(linkState(record(), before).kind).toBe('open');
    expect(linkState(record(), after).kind).toBe('expired');
  });

  it('stays decided after the deadline, and says whether the workflow has the decision', () => {
    const decided = record({ status: 'decided', decision, expiresAtEpoch: 0 });
    expect(linkState(decided, after)).toEqual({ kind: 'decided', decision, resumed: false });
    expect(linkState({ ...decided, resumedAt: '2026-11-26T10:00:01.000Z' }, after)).toMatchObject({
      resumed: true,
    });
  });

  it('puts the link hash, not the link id or token, into the task output', () => {
    const output = taskOutput(record(), decision);
    expect(output).toEqual({
      decision: 'approve',
      role: 'etaalNodalContact',
      approvalId: 'h'.repeat(64),
      decidedAt: decision.decidedAt,
    });
  });
});
