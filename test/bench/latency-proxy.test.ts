import { describe, expect, it } from 'vitest';
import { criticalPathLength } from '../../bench/latency-proxy';

/** A request sent at `start` and answered at `end` (a 10 ms round trip unless given). */
const call = (start: number, end = start + 10) => ({ start, end });
/** Half the 10 ms round trip: how long after an answer a request may still have been sent on it. */
const WINDOW = 5;

describe("the modeled network's critical path", () => {
  it('counts requests in flight together once, and a request sent on an answer once more', () => {
    expect(criticalPathLength([], WINDOW)).toBe(0);
    // Auth, then rate limit and code read together, then two rounds of writes.
    const push = [call(0), call(11), call(11.5), call(22), call(22.2), call(33), call(33.4)];
    expect(criticalPathLength(push, WINDOW)).toBe(4);
    // One PutItem after another.
    expect(
      criticalPathLength(
        Array.from({ length: 50 }, (_, i) => call(i * 11)),
        WINDOW,
      ),
    ).toBe(50);
    // A retry sent after a backoff longer than the window still follows the answer before it.
    expect(criticalPathLength([call(0), call(40)], WINDOW)).toBe(2);
  });

  it('does not chain rounds across the uneven workers of a pool', () => {
    // Two workers of two chunks each, answered one by one: worker B's first chunk fast, worker A's slowly.
    // A's second chunk is sent on A's first answer, just after B's second answer came: two rounds, not
    // three (B1 → B2 → A2 are disjoint intervals one after another).
    const a1 = call(0, 10);
    const b1 = call(0, 3);
    const b2 = call(3.2, 9.5);
    const a2 = call(10.3, 20);
    expect(criticalPathLength([a1, b1, b2, a2], WINDOW)).toBe(2);
  });
});
