import { describe, expect, it } from 'vitest';
import { criticalPathLength } from '../../bench/latency-proxy';

/** A request sent at `start` and answered at `end` (a 10 ms round trip unless given). */
const call = (start: number, end = start + 10) => ({ start, end });

describe("the modeled network's critical path", () => {
  it('counts requests in flight together once, and a request sent on an answer once more', () => {
    expect(criticalPathLength([])).toBe(0);
    // Auth, then rate limit and code read together, then two rounds of writes.
    expect(
      criticalPathLength([call(0), call(11), call(11.5), call(22), call(22.2), call(33), call(33.4)]),
    ).toBe(4);
    // One PutItem after another.
    expect(criticalPathLength(Array.from({ length: 50 }, (_, i) => call(i * 11)))).toBe(50);
  });

  it('follows what the last answer waited for, not chains across uneven workers of a pool', () => {
    // Two workers of two chunks each; worker A's answers come fast, worker B's slowly. B's second chunk
    // was sent on B's first answer: two rounds, though A1 → A2 → B2 look like three disjoint intervals.
    const a1 = call(0, 2);
    const a2 = call(3, 5);
    const b1 = call(0, 6);
    const b2 = call(7, 17);
    expect(criticalPathLength([a1, a2, b1, b2])).toBe(2);
  });
});
