import type { TableName } from '../../lambdas/shared/tables';
import type { AdminIdentity } from './identity';

/**
 * The shape of an admin CLI command, for the modules under bin/admin/ that bin/admin.ts registers.
 * Options are declared once in bin/admin.ts (node:util parseArgs); a command names those it takes.
 */
export type AdminValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface AdminContext {
  /** Who runs the command (AWS caller identity with --stack, the OS user locally), asked once on use. */
  identity(): Promise<AdminIdentity>;
  readonly stack?: string;
}

export interface AdminCommand {
  readonly table: TableName;
  /** Further tables the command reads or writes. */
  readonly otherTables?: readonly TableName[];
  readonly options: readonly string[];
  readonly required: readonly string[];
  /** Drives the onboarding state machine (STATE_MACHINE_ARN and its endpoint are set). */
  readonly stateMachine?: true;
  /** Sends email (SES endpoint and sender are set from the runtime file or the stack's outputs). */
  readonly email?: true;
  /** Takes positional arguments after the command's words (e.g. an onboarding id). */
  readonly positionals?: true;
  /** `--help` of the command: its synopsis and what it does. */
  readonly usage: string;
  /** The columns of `--format table`, per list of the result ('' for a result that is a list). */
  readonly columns?: Readonly<Record<string, readonly string[]>>;
  /** Turns the JSON result into rows for `--format table`, when they differ. */
  readonly tableView?: (result: unknown) => unknown;
  run(values: AdminValues, positionals: readonly string[], context: AdminContext): Promise<unknown>;
}

/** Input the user can fix; the CLI exits 2 and nothing changed. */
export class AdminUsageError extends Error {}

export function stringOption(values: AdminValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole number option within bounds, or undefined when absent. */
export function integerOption(
  values: AdminValues,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new AdminUsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** Runs `work`, turning the domain's "does not apply" errors (`refusals`) into usage errors (exit 2). */
export async function refusalsAsUsage<T>(
  work: () => Promise<T>,
  refusals: readonly (abstract new (...args: never[]) => Error)[],
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (refusals.some((refusal) => error instanceof refusal))
      throw new AdminUsageError((error as Error).message);
    throw error;
  }
}
