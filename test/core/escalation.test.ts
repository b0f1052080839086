import { describe, expect, it } from 'vitest';
import { nextEscalationDeadline } from '../../lambdas/core/escalation';

const now = new Date('2026-03-02T04:30:00.000Z');
const twoDays = { dueAt: '2026-03-04T12:30:00.000Z', timeoutSeconds: 2 * 86_400 };

describe('escalations after the limit', () => {
  it('keep the working-day deadline before the limit', () => {
    expect(nextEscalationDeadline({ deadline: twoDays, now, escalations: 2, limit: 3, timeScale: 1 })).toBe(
      twoDays,
    );
  });

  it('come at most weekly from the limit on, time-scaled like every timeout', () => {
    const weekly = nextEscalationDeadline({ deadline: twoDays, now, escalations: 3, limit: 3, timeScale: 1 });
    expect(weekly).toEqual({ dueAt: '2026-03-09T04:30:00.000Z', timeoutSeconds: 7 * 86_400 });
    const fast = nextEscalationDeadline({
      deadline: { ...twoDays, timeoutSeconds: 10 },
      now,
      escalations: 9,
      limit: 3,
      timeScale: 17_280,
    });
    expect(fast.timeoutSeconds).toBe(35);
  });

  it('leave a deadline longer than a week alone', () => {
    const long = { dueAt: '2026-03-20T00:00:00.000Z', timeoutSeconds: 18 * 86_400 };
    expect(nextEscalationDeadline({ deadline: long, now, escalations: 5, limit: 3, timeScale: 1 })).toBe(
      long,
    );
  });
});
