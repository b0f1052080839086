/**
 * The life of a department API key, as rules (no AWS): a rotated key keeps working for a grace period,
 * then stops; a revoked key stops at once. ./keys.ts changes keys, ./repository.ts `authenticate` asks.
 */

/** How long a rotated key keeps working when the admin names no grace period: time to deploy the new one. */
export const DEFAULT_KEY_GRACE = '7d';

const DURATION = /^(\d{1,4})([dhms])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;

/** `7d`, `12h`, `30m` or `45s` in milliseconds; undefined when it is none of these (or 0). */
export function parseGrace(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 ? ms : undefined;
}

export type KeyState = 'active' | 'grace' | 'expired' | 'revoked';

/** Whether a key item lets its holder in at `now`. */
export function keyState(item: { graceUntil?: unknown; revokedAt?: unknown }, now: Date): KeyState {
  if (typeof item.revokedAt === 'string') return 'revoked';
  if (typeof item.graceUntil === 'string')
    return Date.parse(item.graceUntil) > now.getTime() ? 'grace' : 'expired';
  return 'active';
}
