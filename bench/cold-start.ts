/**
 * `npm run bench -- cold-start`: how long a fresh Node process takes to import each function's bundle,
 * side by side with a bare DynamoDB handler (bench/fixtures/bare-dynamodb-handler.ts) bundled the same
 * way. Every entry of lambdas/functions.ts is bundled with esbuild exactly as lib/lambda-functions.ts
 * has CDK bundle it (FUNCTION_BUNDLING: ESM, minified, source maps, the AWS SDK bundled in); each
 * bundle is then imported in a new `node` process, RUNS times, interleaved so that machine noise hits
 * every bundle alike, and the median import time is compared with the bare handler's.
 *
 * The goal (issue 12): every bundle ≤ 1.3× the bare handler. `--why` prints, per bundle, the npm
 * packages that weigh most in it (from esbuild's metafile): the place to look when a ratio is high.
 * Absolute times are this machine's; the ratios are what carry over to Lambda's init phase.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { FUNCTIONS } from '../lambdas/functions';
import { settingEnvironment } from '../lambdas/shared/settings';
import { TABLES } from '../lambdas/shared/tables';
import { FUNCTION_BUNDLING, FUNCTION_RUNTIME } from '../lib/lambda-functions';
import { REPOSITORY_ROOT } from '../lib/paths';

/** Imports per bundle (`--runs=N` to explore faster; the goal is judged on 7). */
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 7);
const GOAL = 1.3;
const BARE = { id: 'BareDynamoDB', entry: 'bench/fixtures/bare-dynamodb-handler.ts' };

interface Bundle {
  readonly id: string;
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

/** The esbuild options NodejsFunction derives from FUNCTION_BUNDLING (see its esbuild command line). */
async function bundle(id: string, entry: string, outDir: string): Promise<Bundle> {
  const file = join(outDir, id, 'index.mjs');
  const result = await build({
    entryPoints: [join(REPOSITORY_ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: FUNCTION_RUNTIME.name.replace('.x', '').replace('nodejs', 'node'),
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    banner: { js: FUNCTION_BUNDLING.banner },
    metafile: true,
    logLevel: 'error',
  });
  return { id, file, bytes: statSync(file).size, metafile: result.metafile };
}

/** What a handler module may read at import time: the variables CDK sets, pointing nowhere. */
const importEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'ap-south-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: 'etaal-delhi',
  POWERTOOLS_METRICS_NAMESPACE: 'ETaalDelhi',
  NODE_OPTIONS: '',
  // Set on every function once the API exists (lib/etaal-stack.ts); a module may read it at import.
  ...settingEnvironment({ publicBaseUrl: 'https://bench.invalid' }),
  ...Object.fromEntries(Object.values(TABLES).map((t) => [t.envVar, `bench-${t.id}`])),
};

interface ImportCost {
  /** Wall-clock milliseconds of the import. */
  readonly wallMs: number;
  /** CPU milliseconds (user + system, all threads) the process spent on it: what the import costs. */
  readonly cpuMs: number;
}

/** One fresh process importing the bundle: wall and CPU time from before the import to after it. */
function importCost(file: string): ImportCost {
  // Lambda's Node runtime defines `awslambda` before it loads a handler (a streamed one calls it at import).
  const runtimeGlobal =
    'globalThis.awslambda ??= { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } };';
  const script = `${runtimeGlobal} const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: importEnv,
    encoding: 'utf8',
  });
  return JSON.parse(out) as ImportCost;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Bytes of output per npm package (or `(project)` for our own code), heaviest first. */
function heaviestPackages(metafile: Metafile, top = 6): [string, number][] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match?.[1] ?? '(project)';
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, top);
}

async function main(): Promise<void> {
  const why = process.argv.includes('--why');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const specs = FUNCTIONS.filter((f) => only.length === 0 || only.includes(f.id));
  const outDir = mkdtempSync(join(tmpdir(), 'etaal-cold-start-'));
  try {
    const bundles = await Promise.all([
      bundle(BARE.id, BARE.entry, outDir),
      ...specs.map((spec) => bundle(spec.id, spec.entry, outDir)),
    ]);
    const costs = new Map<string, ImportCost[]>(bundles.map((b) => [b.id, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const b of bundles) costs.get(b.id)?.push(importCost(b.file));
    }
    const medians = (id: string) => ({
      wallMs: median((costs.get(id) ?? []).map((c) => c.wallMs)),
      cpuMs: median((costs.get(id) ?? []).map((c) => c.cpuMs)),
    });
    const bare = medians(BARE.id);
    console.log(
      `Cold start: import of each bundle in a fresh node ${process.version} process, median of ${RUNS}; goal ≤ ${GOAL}× the bare DynamoDB handler.`,
    );
    console.log(
      'Ratios of CPU time (user + system): on a busy machine wall time mostly measures the other processes.',
    );
    console.log(
      `${'bundle'.padEnd(25)} ${'KiB'.padStart(5)} ${'wall ms'.padStart(8)} ${'ratio'.padStart(6)} ${'CPU ms'.padStart(8)} ${'ratio'.padStart(6)}`,
    );
    let worst = 0;
    for (const b of bundles) {
      const { wallMs, cpuMs } = medians(b.id);
      const ratio = cpuMs / bare.cpuMs;
      if (b.id !== BARE.id) worst = Math.max(worst, ratio);
      const flag = b.id !== BARE.id && ratio > GOAL ? '  over goal' : '';
      console.log(
        `${b.id.padEnd(25)} ${(b.bytes / 1024).toFixed(0).padStart(5)} ${wallMs.toFixed(0).padStart(8)} ${(wallMs / bare.wallMs).toFixed(2).padStart(6)} ${cpuMs.toFixed(0).padStart(8)} ${ratio.toFixed(2).padStart(6)}${flag}`,
      );
      if (why) {
        const heavy = heaviestPackages(b.metafile)
          .map(([name, size]) => `${name} ${(size / 1024).toFixed(0)} KiB`)
          .join(', ');
        console.log(`${''.padEnd(24)}${heavy}`);
      }
    }
    console.log(`Worst ratio: ${worst.toFixed(2)} (goal ≤ ${GOAL})`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
