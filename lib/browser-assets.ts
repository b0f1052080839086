import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from './paths';

/**
 * Browser scripts that functions serve with their pages (the dashboard's charts): bundled by esbuild for
 * browsers, npm dependencies included (no CDN), into a `browser-assets` folder next to the function's
 * bundle. CDK runs the command after bundling the function (lib/lambda-functions.ts); local mode runs
 * the same command at start (local/system.ts) and names the folder in BROWSER_ASSETS_DIR.
 */
export const BROWSER_ASSETS_FOLDER = 'browser-assets';

/** esbuild CLI arguments that bundle `entry` (and the CSS it imports) into `outDir`. */
export function browserBundleArgs(entry: string, outDir: string): string[] {
  return [
    entry,
    '--bundle',
    '--minify',
    '--format=iife',
    '--target=es2020',
    '--platform=browser',
    '--legal-comments=eof',
    `--outdir=${outDir}`,
    '--log-level=warning',
  ];
}

export const ESBUILD_BIN = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'esbuild');

/** Builds every browser entry into `outDir` (local mode and tests). */
export function buildBrowserAssets(entries: readonly string[], outDir: string): void {
  for (const entry of entries) {
    execFileSync(ESBUILD_BIN, browserBundleArgs(join(REPOSITORY_ROOT, entry), outDir), { stdio: 'inherit' });
  }
}
