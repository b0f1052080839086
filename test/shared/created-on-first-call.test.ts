import { describe, expect, it } from 'vitest';
import { createdOnFirstCall } from '../../lambdas/shared/aws';

describe('createdOnFirstCall', () => {
  it('creates the client once, on the first call, and shares it with every later and concurrent call', async () => {
    let created = 0;
    const client = createdOnFirstCall(async () => ({ id: ++created }));
    expect(created).toBe(0);
    const [first, second] = await Promise.all([client(), client()]);
    expect(await client()).toBe(first);
    expect(second).toBe(first);
    expect(created).toBe(1);
  });

  it('tries again after a failed load instead of failing for the rest of the container', async () => {
    let attempts = 0;
    const client = createdOnFirstCall(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('chunk not readable');
      return { attempts };
    });
    await expect(client()).rejects.toThrow('chunk not readable');
    expect(await client()).toEqual({ attempts: 2 });
    expect(await client()).toEqual({ attempts: 2 });
  });
});
