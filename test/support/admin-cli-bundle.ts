import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * The admin CLI (bin/admin.ts) bundled into one file, for the tests that run it as a process (about 200
 * runs in `npm test`). Through tsx every run resolves, transforms and loads several hundred modules:
 * about 0.9 s of CPU; the bundle loads in about 0.2 s. It is the same code: only how it is loaded differs
 * (`npm run admin` keeps running the sources through tsx, and test/admin covers that entry).
 */
export async function bundleAdminCli(repositoryRoot: string): Promise<{ file: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'etaal-admin-cli-'));
  const file = join(dir, 'admin.mjs');
  await build({
    entryPoints: [join(repositoryRoot, 'bin', 'admin.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'error',
    plugins: [ownModuleUrls(repositoryRoot)],
    // Bundled CommonJS packages call require() for Node's built-in modules.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Every module of the repository keeps its own `import.meta.url` (paths such as the repository root are
 * computed from it), rather than the bundle's.
 */
function ownModuleUrls(repositoryRoot: string): Plugin {
  return {
    name: 'own-module-urls',
    setup(esbuild) {
      esbuild.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(repositoryRoot) || args.path.includes('node_modules')) return undefined;
        const source = readFileSync(args.path, 'utf8')
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(join(args.path, '..')))
          .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents: source, loader: 'ts' };
      });
    },
  };
}
