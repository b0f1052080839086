import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';
import { BUNDLED_ASSETS_DIR } from '../lambdas/documents/fonts';
import type { FunctionSpec } from '../lambdas/functions';
import { BROWSER_ASSETS_FOLDER, buildBrowserAssets } from './browser-assets';
import { REPOSITORY_ROOT } from './paths';

/** The runtime every function is built for and tested on (package.json pins Node 22). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

/** What a function's code is built from: its handler module and the files it reads at run time. */
export type FunctionBundleSpec = Pick<FunctionSpec, 'id' | 'entry' | 'assets' | 'files' | 'browserBundle'>;

/** The module Lambda loads (`index.handler`); the chunks it imports lie beside it. */
export const FUNCTION_HANDLER = 'index.handler';
export const FUNCTION_ENTRY_FILE = 'index.mjs';

/** Node options of every function: stack traces through the bundles' source maps. */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/**
 * esbuild emits ESM, where `require` does not exist; CommonJS dependencies bundled into the output still
 * call it, so the banner recreates it from the module URL (in every chunk: each is its own module).
 */
const CJS_REQUIRE_BANNER =
  "import { createRequire as __etaalCreateRequire } from 'node:module'; const require = __etaalCreateRequire(import.meta.url);";

/**
 * Where esbuild is told it writes, whatever the real destination: the source maps' paths and so the
 * chunks' content hashes (in their names) depend on it, and must not depend on where CDK or the bench
 * puts the files. Nothing is written there.
 */
const BUILD_DIR = join(REPOSITORY_ROOT, 'cdk.out', 'function');

/**
 * How every function's code is built: ESM with code splitting, so a module the handler loads with
 * `await import()` (pdf-lib for a request that renders a PDF, pkijs for one that checks a signature,
 * the SDK's credential providers it does not use in Lambda) becomes a chunk file that is read and parsed
 * only when a request needs it, not at every cold start. NodejsFunction cannot do this: it passes
 * esbuild `--outfile`, and splitting needs `--outdir`.
 *
 * Chunks sit beside index.mjs, not in a folder: modules that find files relative to their own URL
 * (lambdas/documents/fonts.ts, lambdas/dashboard/assets.ts) may land in a chunk and must still find them.
 */
function esbuildOptions(entry: string): BuildOptions & { metafile: true; write: false } {
  return {
    absWorkingDir: REPOSITORY_ROOT,
    entryPoints: { index: join(REPOSITORY_ROOT, entry) },
    outdir: BUILD_DIR,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    target: FUNCTION_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    // Stack traces need only the mappings; embedding every dependency's source would triple the asset.
    sourcesContent: false,
    banner: { js: CJS_REQUIRE_BANNER },
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * Builds a function's code into `outDir`: the bundle (index.mjs and its chunks, with source maps), its
 * browser script (if any) into browser-assets/, the npm package files it reads at run time into assets/
 * (where lambdas/documents/fonts.ts looks for them when node_modules is absent), and the repository files
 * it reads at run time (`files`, e.g. the API reference viewer) beside its code.
 *
 * The one build of a function: CDK runs it to make the deployed asset (`functionCode`), and
 * bench/cold-start.ts runs it to measure that asset's import. Returns esbuild's metafile.
 */
export function buildFunctionBundle(spec: FunctionBundleSpec, outDir: string): Metafile {
  const { metafile, outputFiles } = buildSync(esbuildOptions(spec.entry));
  for (const file of outputFiles) {
    const path = join(outDir, relative(BUILD_DIR, file.path));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
  }
  if (spec.browserBundle) buildBrowserAssets([spec.browserBundle], join(outDir, BROWSER_ASSETS_FOLDER));
  const resolve = createRequire(join(REPOSITORY_ROOT, 'package.json')).resolve;
  if ((spec.assets ?? []).length > 0) mkdirSync(join(outDir, BUNDLED_ASSETS_DIR), { recursive: true });
  for (const specifier of spec.assets ?? []) {
    const file = resolve(specifier);
    copyFileSync(file, join(outDir, BUNDLED_ASSETS_DIR, basename(file)));
  }
  for (const file of spec.files ?? []) copyFileSync(join(REPOSITORY_ROOT, file.from), join(outDir, file.to));
  return metafile;
}

/** An output's name in the bundle's folder, from its metafile path (relative to the repository). */
const outputName = (path: string) => relative(BUILD_DIR, join(REPOSITORY_ROOT, path));

/** The bundle's output files by name (relative to its folder), from its metafile. */
export function bundleOutputs(metafile: Metafile): Map<string, Metafile['outputs'][string]> {
  return new Map(Object.entries(metafile.outputs).map(([path, output]) => [outputName(path), output]));
}

/** A bundle's code files (names relative to its folder) by when Lambda loads them. */
export interface BundleLoading {
  /** Read at every cold start: index.mjs and, transitively, the chunks it imports statically. */
  readonly atImport: readonly string[];
  /** Chunks only `import()` reaches: read when a request first needs them. */
  readonly deferred: readonly string[];
}

/** Which code files of a `buildFunctionBundle` (given its metafile) a cold start loads. */
export function bundleLoading(metafile: Metafile): BundleLoading {
  const outputs = bundleOutputs(metafile);
  const imports = new Map(
    [...outputs].map(([file, output]) => [
      file,
      output.imports
        .filter((i) => i.kind === 'import-statement' && !i.external)
        .map((i) => outputName(i.path)),
    ]),
  );
  const atImport = new Set<string>();
  const visit = (file: string): void => {
    if (atImport.has(file) || !imports.has(file)) return;
    atImport.add(file);
    for (const imported of imports.get(file) ?? []) visit(imported);
  };
  visit(FUNCTION_ENTRY_FILE);
  const code = [...imports.keys()].filter((file) => file.endsWith('.mjs'));
  return { atImport: code.filter((f) => atImport.has(f)), deferred: code.filter((f) => !atImport.has(f)) };
}

/**
 * CDK's local bundling hook for one function. Its enumerable fields are part of CDK's asset cache key
 * (AssetStaging hashes the bundling options as JSON), so each function's spec is kept here: two
 * functions never share a cached bundle.
 */
class LocalFunctionBundling implements ILocalBundling {
  constructor(readonly spec: FunctionBundleSpec) {}

  tryBundle(outputDir: string): boolean {
    buildFunctionBundle(this.spec, outputDir);
    return true;
  }
}

/**
 * The function's code as a CDK asset, built by `buildFunctionBundle` on this machine (esbuild is a
 * devDependency), like NodejsFunction's local bundling. The asset is named by the hash of the built
 * output, so an unchanged build keeps its asset and a synth is deterministic. Stacks left out of
 * bundling (`cdk synth` of other stacks, the `bundlingStacks` context) are not built.
 */
export function functionCode(spec: FunctionBundleSpec): Code {
  return Code.fromAsset(REPOSITORY_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: new LocalFunctionBundling(spec),
      // Required by the type, never run: the local build above always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
    },
  });
}
