/**
 * Single-item conditional writes are how this system stays consistent without transactions (dynalite has
 * none): a write whose condition does not hold means a retry or a lost race, not a failure.
 */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Runs a conditional write: true when it applied, false when its condition did not hold; other errors throw. */
export async function writeIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
