import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatServiceCode, isServiceCode, parseServiceCode } from '../../lambdas/core/service-code';

describe('Government Service Codes', () => {
  it('read as DL-<department code>-<four or more digits>', () => {
    expect(formatServiceCode('REV', 7)).toBe('DL-REV-0007');
    expect(formatServiceCode('TRANSPORT', 12_345)).toBe('DL-TRANSPORT-12345');
  });

  it('refuse department codes and sequences that could not be unique or readable', () => {
    expect(() => formatServiceCode('rev', 1)).toThrow(RangeError);
    expect(() => formatServiceCode('A-B', 1)).toThrow(RangeError);
    expect(() => formatServiceCode('REV', 0)).toThrow(RangeError);
    expect(() => formatServiceCode('REV', 1.5)).toThrow(RangeError);
  });

  it('parse back to what they were made from, and only their canonical spelling parses', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9]{2,10}$/),
        fc.integer({ min: 1, max: 10_000_000 }),
        (dept, n) => {
          expect(parseServiceCode(formatServiceCode(dept, n))).toEqual({ departmentCode: dept, sequence: n });
        },
      ),
    );
    expect(isServiceCode('DL-REV-00007')).toBe(false);
    expect(isServiceCode('DL-REV-007')).toBe(false);
    expect(isServiceCode('dl-rev-0007')).toBe(false);
  });

  it('never coincide for different departments or sequence numbers', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.stringMatching(/^[A-Z0-9]{2,10}$/), fc.integer({ min: 1, max: 99_999 })),
        fc.tuple(fc.stringMatching(/^[A-Z0-9]{2,10}$/), fc.integer({ min: 1, max: 99_999 })),
        ([d1, n1], [d2, n2]) => {
          fc.pre(d1 !== d2 || n1 !== n2);
          expect(formatServiceCode(d1, n1)).not.toBe(formatServiceCode(d2, n2));
        },
      ),
    );
  });
});
