import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BACKFILL_DAYS,
  type CountItem,
  checkCountBatch,
  DEFAULT_LOCATION_CODE,
  gateByServiceCode,
  MAX_ITEMS_PER_REQUEST,
  replacedRevision,
  type ServiceCodeState,
  toStoredCounts,
} from '../../lambdas/core/counts';

// 10:00 IST on 25 Nov 2026.
const NOW = new Date('2026-11-25T04:30:00Z');
const item = (overrides: Record<string, unknown> = {}) => ({
  serviceCode: 'DL-REV-0001',
  date: '2026-11-24',
  count: 12,
  ...overrides,
});

function problemsOf(body: unknown, now = NOW) {
  const result = checkCountBatch(body, now);
  if (result.ok) throw new Error('expected a rejection');
  return result.problems;
}

describe('checkCountBatch', () => {
  it('accepts a valid batch and fills the default location', () => {
    const result = checkCountBatch(
      { counts: [item(), item({ locationCode: 'DL-N-01', date: '2026-11-25' })] },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      value: [
        { serviceCode: 'DL-REV-0001', date: '2026-11-24', count: 12, locationCode: DEFAULT_LOCATION_CODE },
        { serviceCode: 'DL-REV-0001', date: '2026-11-25', count: 12, locationCode: 'DL-N-01' },
      ],
    });
  });

  it('takes today in IST, which starts at 18:30 UTC the evening before', () => {
    const justAfterIstMidnight = new Date('2026-11-24T18:30:00Z');
    expect(checkCountBatch({ counts: [item({ date: '2026-11-25' })] }, justAfterIstMidnight).ok).toBe(true);
    const justBefore = new Date('2026-11-24T18:29:59Z');
    expect(problemsOf({ counts: [item({ date: '2026-11-25' })] }, justBefore)).toEqual([
      expect.objectContaining({ index: 0, field: 'counts[0].date', reason: 'futureDate' }),
    ]);
  });

  it('enforces the back-fill window at its exact edge', () => {
    // 25 Nov minus 90 days = 26 Aug.
    expect(checkCountBatch({ counts: [item({ date: '2026-08-27' })] }, NOW).ok).toBe(true);
    expect(BACKFILL_DAYS).toBe(90);
    expect(problemsOf({ counts: [item({ date: '2026-08-26' })] })).toEqual([
      expect.objectContaining({ field: 'counts[0].date', reason: 'backfillWindow' }),
    ]);
  });

  it('names every bad field of every item, with its index', () => {
    const problems = problemsOf({
      counts: [
        item(),
        item({ count: 1.5, date: '2026-02-30' }),
        item({ serviceCode: 'DL REV#1', count: -1, extra: true }),
        item({ locationCode: 'x'.repeat(33) }),
      ],
    });
    expect(problems.map((p) => [p.field, p.reason])).toEqual([
      ['counts[1].date', 'date'],
      ['counts[1].count', 'count'],
      ['counts[2].extra', 'unknownField'],
      ['counts[2].serviceCode', 'serviceCode'],
      ['counts[2].count', 'count'],
      ['counts[3].locationCode', 'locationCode'],
    ]);
    expect(problems.map((p) => p.index)).toEqual([1, 1, 2, 2, 2, 3]);
  });

  it('refuses the same daily total twice in one batch, the default location included', () => {
    const problems = problemsOf({
      counts: [item(), item({ locationCode: 'A' }), item({ locationCode: DEFAULT_LOCATION_CODE, count: 3 })],
    });
    expect(problems).toEqual([
      expect.objectContaining({
        index: 2,
        field: 'counts[2]',
        reason: 'duplicate',
        message: expect.stringContaining('counts[0]'),
      }),
    ]);
  });

  it('refuses bodies that are not a batch of 1 to 1000 counts', () => {
    for (const body of [null, [], 'counts', { counts: {} }, { counts: [] }, { counts: [item()], more: 1 }]) {
      expect(checkCountBatch(body, NOW).ok).toBe(false);
    }
    const tooMany = Array.from({ length: MAX_ITEMS_PER_REQUEST + 1 }, (_, i) =>
      item({ locationCode: `L${i}` }),
    );
    expect(problemsOf({ counts: tooMany })).toEqual([
      expect.objectContaining({ field: 'counts', index: undefined }),
    ]);
    const max = Array.from({ length: MAX_ITEMS_PER_REQUEST }, (_, i) => item({ locationCode: `L${i}` }));
    expect(checkCountBatch({ counts: max }, NOW).ok).toBe(true);
  });

  it('never throws and never accepts a non-integer, negative or non-number count', () => {
    fc.assert(
      fc.property(fc.anything(), (count) => {
        const result = checkCountBatch({ counts: [item({ count })] }, NOW);
        const valid = typeof count === 'number' && Number.isInteger(count) && count >= 0 && count <= 1e9;
        expect(result.ok).toBe(valid);
      }),
    );
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        checkCountBatch(body, NOW);
        checkCountBatch({ counts: [body] }, NOW);
      }),
    );
  });
});

const codes = new Map<string, ServiceCodeState>(
  [
    { serviceCode: 'T1', departmentId: 'd1', onboardingId: 'o1', status: 'testing' },
    { serviceCode: 'L1', departmentId: 'd1', onboardingId: 'o1', status: 'live' },
    { serviceCode: 'I1', departmentId: 'd1', onboardingId: 'o2', status: 'issued' },
    { serviceCode: 'R1', departmentId: 'd1', onboardingId: 'o3', status: 'rejected' },
    { serviceCode: 'X1', departmentId: 'd2', onboardingId: 'o9', status: 'live' },
  ].map((c) => [c.serviceCode, c as ServiceCodeState]),
);
const counted = (serviceCode: string, extra: Partial<CountItem> = {}): CountItem => ({
  serviceCode,
  date: '2026-11-24',
  count: 1,
  locationCode: '0',
  ...extra,
});

describe('gateByServiceCode', () => {
  it('stores testing services as test counts and live ones as live', () => {
    const gate = gateByServiceCode([counted('T1'), counted('L1')], codes, 'd1');
    expect(gate.unknown).toEqual([]);
    expect(gate.notAccepting).toEqual([]);
    expect([...gate.phaseOf]).toEqual([
      ['T1', 'test'],
      ['L1', 'live'],
    ]);
  });

  it("reports another department's code exactly like an unknown code", () => {
    const foreign = gateByServiceCode([counted('X1')], codes, 'd1').unknown;
    const unknown = gateByServiceCode([counted('NOPE')], codes, 'd1').unknown;
    expect(foreign).toEqual(unknown);
    expect(foreign).toEqual([expect.objectContaining({ index: 0, field: 'counts[0].serviceCode' })]);
  });

  it('holds issued and rejected services back', () => {
    const gate = gateByServiceCode([counted('L1'), counted('I1'), counted('R1')], codes, 'd1');
    expect(gate.notAccepting.map((p) => [p.index, p.reason])).toEqual([
      [1, 'phase'],
      [2, 'phase'],
    ]);
  });
});

describe('toStoredCounts', () => {
  it("stores every item as its key's current value, in its service's phase, stamped now", () => {
    const phases = new Map([
      ['T1', 'test' as const],
      ['L1', 'live' as const],
    ]);
    expect(toStoredCounts([counted('T1', { count: 7 }), counted('L1')], phases, 'd1', NOW)).toEqual([
      { ...counted('T1', { count: 7 }), departmentId: 'd1', phase: 'test', updatedAt: NOW.toISOString() },
      { ...counted('L1'), departmentId: 'd1', phase: 'live', updatedAt: NOW.toISOString() },
    ]);
  });
});

describe('replacedRevision', () => {
  const before = { count: 5, phase: 'test' as const, updatedAt: '2026-11-24T10:00:00.000Z' };

  it('keeps the replaced value with when it was stored', () => {
    expect(replacedRevision(before, { count: 7, phase: 'test' })).toEqual(before);
  });

  it('keeps nothing for a resend of the same value, but does keep a phase change', () => {
    expect(replacedRevision(before, { count: 5, phase: 'test' })).toBeUndefined();
    expect(replacedRevision(before, { count: 5, phase: 'live' })).toEqual(before);
  });

  it('keeps nothing for a new daily total or a removed one', () => {
    expect(replacedRevision(undefined, { count: 5, phase: 'test' })).toBeUndefined();
    expect(replacedRevision(before, undefined)).toBeUndefined();
  });
});
