import { describe, expect, it } from 'vitest';
import { approverFor, delegationProblems, isDelegationActive } from '../../lambdas/core/delegation';

const away = { name: 'A. Gupta', email: 'a.gupta@delhi.gov.in' };
const delegate = { name: 'B. Rao', email: 'b.rao@delhi.gov.in' };
const delegation = { from: away, to: delegate, fromDate: '2026-12-07', until: '2026-12-11' };

describe('delegation date ranges (IST days, both ends included)', () => {
  it.each([
    ['2026-12-06T18:29:59.999Z', false], // 23:59:59 IST on the 6th
    ['2026-12-06T18:30:00.000Z', true], // 00:00 IST on the 7th
    ['2026-12-11T18:29:59.999Z', true], // 23:59:59 IST on the 11th
    ['2026-12-11T18:30:00.000Z', false], // 00:00 IST on the 12th
  ])('at %s the delegation is active: %s', (instant, active) => {
    expect(isDelegationActive(delegation, new Date(instant))).toBe(active);
  });

  it('send the member’s tasks to the delegate, on their behalf, only while active', () => {
    expect(
      approverFor({ ...away, email: 'A.GUPTA@delhi.gov.in' }, [delegation], new Date('2026-12-08T05:00:00Z')),
    ).toEqual({ ...delegate, onBehalfOf: { name: away.name, email: 'A.GUPTA@delhi.gov.in' } });
    expect(approverFor(away, [delegation], new Date('2026-12-12T05:00:00Z'))).toEqual(away);
    expect(approverFor(delegate, [delegation], new Date('2026-12-08T05:00:00Z'))).toEqual(delegate);
  });

  it('do not chain: the delegate of a delegate is not asked', () => {
    const second = {
      from: delegate,
      to: { name: 'C', email: 'c@delhi.gov.in' },
      fromDate: '2026-12-01',
      until: '2026-12-31',
    };
    expect(approverFor(away, [delegation, second], new Date('2026-12-08T05:00:00Z')).email).toBe(
      delegate.email,
    );
  });

  it('refuse a range that ends before it starts, or in the past, and a delegation to oneself', () => {
    const now = new Date('2026-12-07T05:00:00Z');
    expect(delegationProblems(delegation, now)).toEqual([]);
    expect(delegationProblems({ ...delegation, until: '2026-12-06' }, now)).toEqual([
      ['until', 'Must not be before the first day'],
    ]);
    expect(delegationProblems({ ...delegation, fromDate: '2026-12-01', until: '2026-12-06' }, now)).toEqual([
      ['until', 'Must not be in the past (IST)'],
    ]);
    expect(delegationProblems({ ...delegation, until: '2026-02-30' }, now)).toEqual([
      ['until', 'Must be a date, YYYY-MM-DD'],
    ]);
    expect(
      delegationProblems({ ...delegation, to: { name: 'x', email: 'A.Gupta@delhi.gov.in' } }, now),
    ).toEqual([['to', 'Must be someone else: a member cannot delegate to themselves']]);
  });
});
