/**
 * Limits on guessing the connector's credentials, per source address. Pure: the repository stores one
 * record per address and this module decides from it and the clock alone (no TTL expiry is relied on:
 * DynamoDB deletes expired items late, and the local emulator never does).
 *
 * - Failures are counted in a fixed window that starts at the first failure and lasts WINDOW_SECONDS.
 * - From the FREE_FAILURES-th failure on, the next attempt must wait a back-off that doubles with each
 *   failure (1 s, 2 s, 4 s … capped): an attempt inside it is not checked, is answered -2 and counts as a
 *   failure (a client that does not wait reaches the block sooner).
 * - At BLOCK_AFTER_FAILURES failures the address is blocked for BLOCK_SECONDS after its last failure:
 *   every attempt is answered -2 without looking at the credentials, and is not counted (so a block ends).
 * - A correct attempt that was allowed clears the record. Other addresses are never affected: NIC's poller
 *   is not locked out by someone else's guesses.
 *
 * Why not the shared guessing limit (../shared/guessing-limit, a fixed-window count in the Limits table):
 * the connector answers NIC's poller in-band (-2, status 200) and needs what that counter does not have, a
 * back-off that slows guessing long before the block, a window that starts at the first failure, a block
 * that outlives its window, and a correct attempt clearing the record. Moving onto the shared counter would
 * drop those (weaker here) or add them to a counter every API route shares (more writes per request there).
 */

export const FREE_FAILURES = 5;
export const BLOCK_AFTER_FAILURES = 20;
export const WINDOW_SECONDS = 15 * 60;
export const BLOCK_SECONDS = 15 * 60;
export const MAX_BACKOFF_SECONDS = 60;

/** What is stored per source address. Times are epoch milliseconds. */
export interface FailureRecord {
  readonly windowStartedAt: number;
  readonly failures: number;
  readonly lastFailureAt: number;
}

export type Admission =
  | { readonly kind: 'check' }
  | { readonly kind: 'backoff'; readonly retryAt: number }
  | { readonly kind: 'blocked'; readonly until: number };

/** Whether an attempt from this address may have its credentials checked now. */
export function admit(record: FailureRecord | undefined, now: number): Admission {
  if (!record || windowExpired(record, now)) return { kind: 'check' };
  if (record.failures >= BLOCK_AFTER_FAILURES) {
    const until = record.lastFailureAt + BLOCK_SECONDS * 1000;
    return now < until ? { kind: 'blocked', until } : { kind: 'check' };
  }
  if (record.failures >= FREE_FAILURES) {
    const retryAt = record.lastFailureAt + backoffSeconds(record.failures) * 1000;
    if (now < retryAt) return { kind: 'backoff', retryAt };
  }
  return { kind: 'check' };
}

/** The back-off after `failures` failures: 1 s at FREE_FAILURES, doubling, capped. */
export function backoffSeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** (failures - FREE_FAILURES));
}

/**
 * A window is over once WINDOW_SECONDS have passed since it started, unless the address is still serving
 * a block (a block outlives the window it was earned in).
 */
export function windowExpired(record: FailureRecord, now: number): boolean {
  if (record.failures >= BLOCK_AFTER_FAILURES && now < record.lastFailureAt + BLOCK_SECONDS * 1000)
    return false;
  return now >= record.windowStartedAt + WINDOW_SECONDS * 1000;
}

/** The window start a new failure belongs to: the current one, or `now` when it has expired. */
export function windowFloor(now: number): number {
  return now - WINDOW_SECONDS * 1000;
}

/** True exactly once per block: the failure that reached the threshold (what operators are told about). */
export function startsBlock(record: FailureRecord): boolean {
  return record.failures === BLOCK_AFTER_FAILURES;
}

/** When the record may be deleted by DynamoDB TTL (housekeeping only; decisions never rely on it). */
export function expiresAtEpochSeconds(record: FailureRecord): number {
  const end = Math.max(
    record.windowStartedAt + WINDOW_SECONDS * 1000,
    record.lastFailureAt + BLOCK_SECONDS * 1000,
  );
  return Math.ceil(end / 1000) + 60;
}
