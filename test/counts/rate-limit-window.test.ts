import { describe, expect, it } from 'vitest';
import { fixedWindow } from '../../lambdas/counts/rate-limit';

describe('fixedWindow', () => {
  it('puts instants into minute windows and says how long until the next one', () => {
    const t = Date.UTC(2026, 10, 25, 10, 0, 0);
    expect(fixedWindow(t)).toEqual({ windowStart: t, retryAfterSeconds: 60 });
    expect(fixedWindow(t + 59_001)).toEqual({ windowStart: t, retryAfterSeconds: 1 });
    expect(fixedWindow(t + 30_500).retryAfterSeconds).toBe(30);
  });
});
