import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One SoP step, one module (issue 7): step-specific behaviour lives in lambdas/onboarding/steps/, and
 * the generic code reads it from there. This fails on a step-number test or literal in generic code
 * (`step === 8`, `case 6:`, `compose(onboarding, 7, …)`, `steps['4']`, `step: 12`, `sopStep(3)`), so a
 * new special case cannot creep back into a handler, a page or an email.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const GENERIC = [
  'lambdas/onboarding',
  'lambdas/approvals',
  'lambdas/counts',
  'lambdas/shared',
  'lambdas/core',
];
/** The step modules, and the SoP table with its README rendering: they number the steps by right. */
const EXEMPT = /(^|\/)steps\/|^lambdas\/core\/sop(-table)?\.ts$|\.test\.ts$/;

const STEP_LITERALS: readonly RegExp[] = [
  /\bstep\s*[!=]==?\s*\d/,
  /\d\s*[!=]==?\s*(record\.|spec\.|input\.)?step\b/,
  /\bcase\s+\d+\s*:/,
  /\bcompose\(\s*\w+\s*,\s*\d/,
  /\bsteps\[\s*['"]?\d/,
  /\bstep:\s*\d/,
  /\bsopStep\(\s*\d/,
  /\bz\.literal\(\s*\d/,
];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The code of a line, without its // comment; whole lines of a block comment are skipped. */
const code = (line: string) => (/^\s*(\*|\/\*|\/\/)/.test(line) ? '' : line.replace(/\/\/.*$/, ''));

function stepLiterals(source: string): string[] {
  return source
    .split('\n')
    .map(code)
    .filter((line) => STEP_LITERALS.some((pattern) => pattern.test(line)))
    .map((line) => line.trim());
}

describe('step specifics live in lambdas/onboarding/steps/', () => {
  it('finds no step-number literal in generic code', () => {
    const found = GENERIC.flatMap(files)
      .filter((path) => !EXEMPT.test(path))
      .flatMap((path) => stepLiterals(readFileSync(join(ROOT, path), 'utf8')).map((l) => `${path}: ${l}`));
    expect(found).toEqual([]);
  });

  it('would catch the shapes special cases take', () => {
    for (const line of [
      'if (step === 8) await x();',
      'if (record.step !== 9) {',
      '    case 6:',
      "return compose(onboarding, 7, 'codes', []);",
      "onboarding.steps['4']?.decisions",
      '  step: 12,',
      'const s = sopStep(3);',
      'z.union([z.literal(2), z.literal(5)])',
    ])
      expect(stepLiterals(line), line).toHaveLength(1);
    expect(stepLiterals('// step === 8 in a comment\n * case 6: in a doc comment')).toEqual([]);
  });

  it('checks the state-machine generator and the wait table: they read the step modules', () => {
    const checked = GENERIC.flatMap(files).filter((path) => !EXEMPT.test(path));
    expect(checked).toEqual(
      expect.arrayContaining([
        'lambdas/onboarding/workflow/definition.ts',
        'lambdas/onboarding/workflow/waits.ts',
        'lambdas/core/workflow.ts',
      ]),
    );
  });
});
