/**
 * Single-item conditional writes are how this system stays consistent without transactions (dynalite has
 * none): a write whose condition does not hold means a retry or a lost race, not a failure.
 */
const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Runs a conditional write and gives its answer (what it returned, e.g. the item after it), or undefined
 * when its condition did not hold; other errors throw.
 */
export async function conditionalWrite<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Runs a conditional write: true when it applied, false when its condition did not hold; other errors throw. */
export async function writeIf(write: Promise<unknown>): Promise<boolean> {
  return (await conditionalWrite(write.then(() => true))) ?? false;
}

/**
 * The `(…)` of a condition's `IN`, one placeholder per value (DynamoDB takes no list), and the values of
 * those placeholders; `tag` keeps them apart from the expression's other placeholders.
 */
export function inList(
  values: readonly string[],
  tag: string,
): { readonly expression: string; readonly values: Record<string, string> } {
  const placeholders = values.map((_, i) => `:${tag}${i}`);
  return {
    expression: `(${placeholders.join(', ')})`,
    values: Object.fromEntries(values.map((value, i) => [`:${tag}${i}`, value])),
  };
}
