import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

export interface AdminCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface AdminCliOptions {
  /** The child's whole environment (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Run bin/admin.ts through tsx, as `npm run admin` does, instead of the bundle of the same sources that
   * test/support/global-setup.ts builds once per run (which starts with a fifth of tsx's CPU).
   */
  readonly fromSources?: boolean;
}

/**
 * Runs the admin CLI as a child process on the same Node as the tests: its exit code and output. Async on
 * purpose: the emulators it talks to run in this process and must keep answering while it waits.
 */
export function runAdminCli(args: readonly string[], options: AdminCliOptions = {}): Promise<AdminCliResult> {
  const entry = options.fromSources
    ? [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bin', 'admin.ts')]
    : [inject('adminCliBundle')];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...entry, ...args],
      { cwd: ROOT, env: options.env ?? process.env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
