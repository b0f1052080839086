import { describe, expect, it } from 'vitest';
import {
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
  newDepartmentSchema,
} from '../../lambdas/departments/department';

describe('API keys', () => {
  it('are prefixed, carry 256 random bits and never repeat', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);

    for (const key of keys) {
      expect(key).toMatch(/^etd_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('hash to a stable sha256 hex digest that differs per key', () => {
    const key = generateApiKey();

    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toBe(hashApiKey(generateApiKey()));
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each(['', 'etd_', `etd_${'A'.repeat(42)}`, `xyz_${'A'.repeat(43)}`, `etd_${'A'.repeat(42)}=`])(
    'rejects the malformed key %j without a lookup',
    (candidate) => {
      expect(isWellFormedApiKey(candidate)).toBe(false);
    },
  );
});

describe('department validation', () => {
  it('accepts an uppercase code and a plain name, trimming whitespace', () => {
    expect(newDepartmentSchema.parse({ code: ' REV ', name: ' Revenue Department ' })).toEqual({
      code: 'REV',
      name: 'Revenue Department',
    });
  });

  it.each([
    [{ code: 'rev', name: 'Revenue' }, 'code'],
    [{ code: 'R', name: 'Revenue' }, 'code'],
    [{ code: 'TRANSPORT01', name: 'Transport' }, 'code'],
    [{ code: 'RE-V', name: 'Revenue' }, 'code'],
    [{ code: 'REV', name: 'Rv' }, 'name'],
    [{ code: 'REV', name: 'x'.repeat(201) }, 'name'],
    [{ code: 'REV', name: 'Reve\nnue' }, 'name'],
  ])('rejects %j on %s', (input, field) => {
    const result = newDepartmentSchema.safeParse(input);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});
