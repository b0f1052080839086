import type { RouteSpec } from '../lambdas/functions';
import { type PerIpRateLimit, perIpLimitFor, RATE_WINDOW_SECONDS, routeBudget } from '../lib/edge-limits';

/**
 * The WAF web ACL's per-IP rate-based rules (lib/edge-limits.ts), enforced by local mode's API server so
 * tests can show them: the same rules and limits, counted per source address over fixed windows of
 * RATE_WINDOW_SECONDS (WAF slides its window; the limit and the answer are the same).
 */
export class PerIpLimiter {
  readonly #windows = new Map<string, { start: number; requests: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts the request; the seconds until the address may send again when it is over the limit. */
  take(sourceIp: string, route: Pick<RouteSpec, 'path' | 'auth'>): { retryAfterSeconds: number } | null {
    const rule: PerIpRateLimit = perIpLimitFor(routeBudget(route));
    const windowMs = RATE_WINDOW_SECONDS * 1000;
    const now = this.now();
    const start = Math.floor(now / windowMs) * windowMs;
    const key = `${rule.name} ${sourceIp}`;
    let window = this.#windows.get(key);
    if (!window || window.start !== start) {
      if (this.#windows.size > 10_000) this.#forgetOldWindows(start);
      window = { start, requests: 0 };
      this.#windows.set(key, window);
    }
    window.requests++;
    if (window.requests <= rule.limit) return null;
    return { retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
  }

  #forgetOldWindows(current: number): void {
    for (const [key, window] of this.#windows) if (window.start !== current) this.#windows.delete(key);
  }
}
