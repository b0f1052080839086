/**
 * ASL Reference Paths (`$.a.b`, `$['a'][0]`, `$$.Execution.Id`): the JSONPath subset the States Language
 * allows where a path must name a single node (TimeoutSecondsPath, HeartbeatSecondsPath, ResultPath).
 */
export interface ReferencePath {
  /** `$` reads the state's (effective) input, `$$` the context object. */
  readonly root: '$' | '$$';
  readonly segments: readonly (string | number)[];
}

export function parseReferencePath(path: string): ReferencePath {
  const root = path.startsWith('$$') ? '$$' : path.startsWith('$') ? '$' : null;
  if (!root) throw new SyntaxError(`Not a reference path: ${path}`);
  const segments: (string | number)[] = [];
  let rest = path.slice(root.length);
  while (rest.length > 0) {
    const match =
      /^\.([^.[\]*@?()]+)/.exec(rest) ?? /^\['([^']*)'\]/.exec(rest) ?? /^\["([^"]*)"\]/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    if (match?.[1] !== undefined) segments.push(match[1]);
    else if (index?.[1] !== undefined) segments.push(Number(index[1]));
    else throw new SyntaxError(`Not a reference path: ${path}`);
    rest = rest.slice((match ?? index)?.[0].length);
  }
  return { root, segments };
}

export function readPath(value: unknown, segments: readonly (string | number)[]): unknown {
  let node = value;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Replaces the node at `segments` in place; false when its parent does not exist. */
export function writePath(
  value: unknown,
  segments: readonly (string | number)[],
  replacement: unknown,
): boolean {
  const last = segments.at(-1);
  if (last === undefined) return false;
  const parent = readPath(value, segments.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return false;
  (parent as Record<string | number, unknown>)[last] = replacement;
  return true;
}
