import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withSopTable } from '../../lambdas/core/sop-table';

describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('shows the SoP step table exactly as lambdas/core/sop.ts defines it (run `npm run docs` after changing the steps)', () => {
    expect(withSopTable(readme)).toBe(readme);
  });

  it('keeps the quick-start contract: npm ci, npm start, npm test', () => {
    for (const command of ['npm ci', 'npm start', 'npm test']) expect(readme).toContain(command);
  });
});
