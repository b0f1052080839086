import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSetting } from '../shared/settings';

/**
 * The dashboard's browser assets: its chart script (Chart.js bundled in) and stylesheet, built by esbuild
 * from ./client (lib/browser-assets.ts) into a `browser-assets` folder next to the function's bundle
 * (in Lambda: /var/task/browser-assets). Local mode builds them at start and names the folder in
 * BROWSER_ASSETS_DIR. Served by the function itself: no CDN, and the page's CSP allows only 'self'.
 */

export interface BrowserAsset {
  readonly body: string;
  readonly contentType: string;
  /** Short content hash: the page links `?v=<version>` so a new deployment is never served stale. */
  readonly version: string;
}

export const DASHBOARD_ASSETS = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
} as const;
export type DashboardAssetName = keyof typeof DASHBOARD_ASSETS;

export function isDashboardAsset(name: string): name is DashboardAssetName {
  return Object.hasOwn(DASHBOARD_ASSETS, name);
}

function assetsDir(): string {
  return readSetting('browserAssetsDir') ?? fileURLToPath(new URL('./browser-assets/', import.meta.url));
}

const loaded = new Map<DashboardAssetName, BrowserAsset>();

/** Read once per container: the files do not change while it runs. */
export function dashboardAsset(name: DashboardAssetName): BrowserAsset {
  let asset = loaded.get(name);
  if (!asset) {
    const body = readFileSync(join(assetsDir(), name), 'utf8');
    asset = {
      body,
      contentType: DASHBOARD_ASSETS[name],
      version: createHash('sha256').update(body).digest('hex').slice(0, 12),
    };
    loaded.set(name, asset);
  }
  return asset;
}
