import { describe, expect, it } from 'vitest';
import {
  admit,
  BLOCK_AFTER_FAILURES,
  BLOCK_SECONDS,
  backoffSeconds,
  FREE_FAILURES,
  MAX_BACKOFF_SECONDS,
  startsBlock,
  WINDOW_SECONDS,
  windowExpired,
} from '../../lambdas/connector/lockout';

const T0 = Date.UTC(2026, 10, 25, 4, 0, 0);
const seconds = (n: number) => n * 1000;
const record = (failures: number, lastFailureAt = T0, windowStartedAt = T0) => ({
  failures,
  lastFailureAt,
  windowStartedAt,
});

describe('connector lockout rules', () => {
  it('checks an address without failures, or with fewer than the free ones', () => {
    expect(admit(undefined, T0)).toEqual({ kind: 'check' });
    expect(admit(record(FREE_FAILURES - 1), T0)).toEqual({ kind: 'check' });
  });

  it('makes an address wait a doubling back-off after the free failures', () => {
    expect(admit(record(FREE_FAILURES), T0 + 500)).toEqual({ kind: 'backoff', retryAt: T0 + seconds(1) });
    expect(admit(record(FREE_FAILURES), T0 + seconds(1))).toEqual({ kind: 'check' });
    expect(backoffSeconds(FREE_FAILURES + 3)).toBe(8);
    expect(backoffSeconds(FREE_FAILURES + 30)).toBe(MAX_BACKOFF_SECONDS);
  });

  it('blocks for BLOCK_SECONDS after the failure that reached the threshold, past the window', () => {
    const last = T0 + seconds(WINDOW_SECONDS - 1);
    const blocked = record(BLOCK_AFTER_FAILURES, last);
    expect(startsBlock(blocked)).toBe(true);
    expect(startsBlock(record(BLOCK_AFTER_FAILURES + 1))).toBe(false);
    expect(admit(blocked, last + seconds(BLOCK_SECONDS) - 1)).toEqual({
      kind: 'blocked',
      until: last + seconds(BLOCK_SECONDS),
    });
    expect(windowExpired(blocked, T0 + seconds(WINDOW_SECONDS) + 1)).toBe(false);
    expect(admit(blocked, last + seconds(BLOCK_SECONDS))).toEqual({ kind: 'check' });
  });

  it('forgets failures once their window is over (from stored times, not TTL deletion)', () => {
    const old = record(FREE_FAILURES + 2, T0 + seconds(60));
    expect(admit(old, T0 + seconds(61))).toMatchObject({ kind: 'backoff' });
    expect(windowExpired(old, T0 + seconds(WINDOW_SECONDS))).toBe(true);
    expect(admit(old, T0 + seconds(WINDOW_SECONDS))).toEqual({ kind: 'check' });
  });
});
