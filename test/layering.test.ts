import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The direction of dependencies (docs/house layout, issue 7), checked over the import graph of lambdas/:
 *   core/    imports nothing outside core (pure rules);
 *   shared/  imports only shared and core (mechanism that knows no domain);
 *   domains  (approvals, counts, onboarding, ...) depend on each other in one direction only: no cycle,
 *            and the directions fixed by the design hold even where no cycle would show it yet.
 * Files directly in lambdas/ and lambdas/entries/ are the composition root and may import any domain.
 */
const ROOT = join(import.meta.dirname, '..');
const LAMBDAS = join(ROOT, 'lambdas');
const COMPOSITION = new Set(['', 'entries']);

/**
 * Domain imports the design forbids, as [from, to]: each goes through a port the importing domain owns
 * (approvals and counts depend on onboarding, so onboarding asks approvals for links and counts tells
 * onboarding that test counts arrived through interfaces wired in lambdas/entries/).
 */
const FORBIDDEN: readonly (readonly [string, string])[] = [
  ['onboarding', 'approvals'],
  ['onboarding', 'counts'],
  ['counts', 'onboarding'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** The folder under lambdas/ a file belongs to ('' for files directly in lambdas/). */
const area = (path: string) => {
  const parts = relative(LAMBDAS, path).split('/');
  return parts.length > 1 ? (parts[0] as string) : '';
};

/** Every relative import of the file, as [from area, to area, file]. */
function imports(file: string): [string, string, string][] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].flatMap((m) => {
    const target = normalize(join(dirname(file), m[1] as string));
    if (!target.startsWith(LAMBDAS)) return [];
    return [[area(file), area(target), relative(ROOT, file)] as [string, string, string]];
  });
}

const edges = sources(LAMBDAS)
  .flatMap(imports)
  .filter(([from, to]) => from !== to);

describe('layering of lambdas/', () => {
  it('core imports nothing outside core', () => {
    expect(edges.filter(([from]) => from === 'core')).toEqual([]);
  });

  it('shared imports only shared and core', () => {
    expect(edges.filter(([from, to]) => from === 'shared' && to !== 'core')).toEqual([]);
  });

  it('domains depend on each other in one direction only (no cycle)', () => {
    const graph = new Map<string, Set<string>>();
    for (const [from, to] of edges) {
      if (COMPOSITION.has(from) || ['core', 'shared'].includes(to)) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of graph.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });

  it.each(FORBIDDEN)('%s does not import %s (it goes through a port)', (from, to) => {
    expect(edges.filter(([f, t]) => f === from && t === to)).toEqual([]);
  });

  it('sees the imports it checks (a guard against a pattern that matches nothing)', () => {
    expect(edges.some(([from, to]) => from === 'approvals' && to === 'onboarding')).toBe(true);
    expect(edges.some(([from, to]) => from === 'shared' && to === 'core')).toBe(true);
    expect(edges.some(([from, to]) => from === 'entries' && to === 'counts')).toBe(true);
  });
});
