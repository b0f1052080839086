import { describe, expect, it } from 'vitest';
import { formatFieldPath, zodIssuesToFieldErrors } from '../../lambdas/core/problem-fields';
import * as z from '../../lambdas/core/zod';

describe('formatFieldPath', () => {
  it('writes paths the way a JavaScript reader would', () => {
    expect(formatFieldPath(['services', 3, 'category'])).toBe('services[3].category');
    expect(formatFieldPath([0, 'name'])).toBe('[0].name');
    expect(formatFieldPath(['headers', 'x-api-key'])).toBe('headers["x-api-key"]');
    expect(formatFieldPath(['a b'])).toBe('["a b"]');
    expect(formatFieldPath([])).toBe('');
  });
});

describe('zodIssuesToFieldErrors', () => {
  const schema = z.strictObject({
    services: z.array(z.strictObject({ name: z.string({ error: 'Name must be text' }) })),
    count: z.number({ error: 'Count must be a number' }),
  });
  const errors = (input: unknown) => {
    const result = schema.safeParse(input);
    if (result.success) throw new Error('expected the input to be rejected');
    return zodIssuesToFieldErrors(result.error);
  };

  it('names each invalid field with its message, in order', () => {
    expect(errors({ services: [{ name: 'ok' }, { name: 7 }], count: 'x' })).toEqual([
      { field: 'services[1].name', message: 'Name must be text' },
      { field: 'count', message: 'Count must be a number' },
    ]);
  });

  it('gives each unknown key its own error on its own path, nested ones included', () => {
    expect(errors({ services: [{ name: 'ok', colour: 'red' }], count: 1, extra: 1, 'x-y': 2 })).toEqual([
      { field: 'services[0].colour', message: 'Unknown field: not part of the expected input' },
      { field: 'extra', message: 'Unknown field: not part of the expected input' },
      { field: '["x-y"]', message: 'Unknown field: not part of the expected input' },
    ]);
  });

  it('reports a wrong root value on the empty field', () => {
    expect(errors('not an object')).toEqual([
      { field: '', message: 'Invalid input: expected object, received string' },
    ]);
  });
});
