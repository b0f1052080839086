/**
 * `npm run bench -- cold-start`: how long a fresh Node process takes to import each function's bundle,
 * side by side with a bare DynamoDB handler (bench/fixtures/bare-dynamodb-handler.ts) built the same
 * way. Every entry of lambdas/functions.ts is built by `buildFunctionBundle` (lib/function-bundle.ts),
 * the very build CDK runs for the deployed asset (ESM with code splitting, minified, source maps, the
 * AWS SDK bundled in); each bundle's index.mjs is then imported in a new `node` process, RUNS times,
 * each import right after one of the bare handler, and the median of those pairs' ratios is reported.
 *
 * The goal (issue 12): every bundle ≤ 1.3× the bare handler. A second yardstick
 * (bench/fixtures/mandated-stack-handler.ts: the bare handler inside the middy, zod and Powertools that
 * the design requires of every function) separates what the design costs from what a bundle's own code
 * adds (the ×stack column). `--why` prints, per bundle, the npm packages that weigh most in what the
 * import loads (from esbuild's metafile; chunks reached only by `import()` are counted apart, as
 * deferred): the place to look when a ratio is high. The process's
 * environment is a Lambda function's (./cold-start-process.ts), so that libraries which do more when
 * they run in Lambda (Powertools, the X-Ray SDK) do it here too.
 * Absolute times are this machine's; the ratios are what carry over to Lambda's init phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { FUNCTIONS } from '../lambdas/functions';
import {
  buildFunctionBundle,
  bundleLoading,
  bundleOutputs,
  FUNCTION_ENTRY_FILE,
} from '../lib/function-bundle';
import { CPU_MS, inFreshProcess, lambdaEnvironment, median, RUNTIME_GLOBAL } from './cold-start-process';

/** Imports per bundle (`--runs=N` to explore faster; the goal is judged on 7). */
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 7);
const GOAL = 1.3;
const BARE = { id: 'BareDynamoDB', entry: 'bench/fixtures/bare-dynamodb-handler.ts' };
/** The design's own minimum (middy, zod, Powertools Logger and Metrics around the bare handler). */
const STACK = { id: 'MandatedStack', entry: 'bench/fixtures/mandated-stack-handler.ts' };
const YARDSTICKS = new Set([BARE.id, STACK.id]);

interface Bundle {
  readonly id: string;
  /** The module Lambda loads. */
  readonly file: string;
  /** Bytes of the files the import loads: the entry and the chunks it imports statically. */
  readonly loadedBytes: number;
  /** Bytes of the chunks only `import()` reaches: read when a request needs them. */
  readonly deferredBytes: number;
  /** esbuild's metafile entries of the files the import loads. */
  readonly loadedOutputs: readonly Metafile['outputs'][string][];
}

function bundle(id: string, entry: string, outDir: string): Bundle {
  const dir = join(outDir, id);
  const metafile = buildFunctionBundle({ id, entry }, dir);
  const outputs = bundleOutputs(metafile);
  const { atImport, deferred } = bundleLoading(metafile);
  const bytes = (files: readonly string[]) =>
    files.reduce((sum, file) => sum + (outputs.get(file)?.bytes ?? 0), 0);
  return {
    id,
    file: join(dir, FUNCTION_ENTRY_FILE),
    loadedBytes: bytes(atImport),
    deferredBytes: bytes(deferred),
    loadedOutputs: atImport.flatMap((file) => outputs.get(file) ?? []),
  };
}

interface ImportCost {
  /** Wall-clock milliseconds of the import. */
  readonly wallMs: number;
  /** CPU milliseconds (user + system, all threads) the process spent on it: what the import costs. */
  readonly cpuMs: number;
}

/** One fresh process importing the bundle: wall and CPU time from before the import to after it. */
function importCost(file: string): Promise<ImportCost> {
  const script = `${RUNTIME_GLOBAL} const t = performance.now(); const c = ${CPU_MS}; await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(JSON.stringify({ wallMs: performance.now() - t, cpuMs: ${CPU_MS} - c }));`;
  return inFreshProcess<ImportCost>(script, lambdaEnvironment(file));
}

/** Bytes of output per npm package (or `(project)` for our own code), heaviest first. */
function heaviestPackages(outputs: Bundle['loadedOutputs'], top = 6): [string, number][] {
  const bytes = new Map<string, number>();
  for (const output of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match?.[1] ?? '(project)';
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/** Medians of the samples of one bundle: its import's times, and its ratios to the bare handler's. */
interface Measured {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly wallRatio: number;
  readonly cpuRatio: number;
}

/**
 * Every bundle imported RUNS times, each import right after one of the bare handler, and the ratio taken
 * per pair: the machine's speed drifts (other processes, the host), and a ratio of two medians taken
 * minutes apart would carry that drift, while two imports a fraction of a second apart share it.
 */
async function measure(bare: Bundle, others: readonly Bundle[]): Promise<Map<string, Measured>> {
  const samples = new Map<string, { cost: ImportCost; base: ImportCost }[]>(others.map((b) => [b.id, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const b of others) {
      const base = await importCost(bare.file);
      samples.get(b.id)?.push({ base, cost: await importCost(b.file) });
    }
  }
  const all = [...samples.values()].flat();
  const measured = new Map<string, Measured>([
    [
      bare.id,
      {
        wallMs: median(all.map((s) => s.base.wallMs)),
        cpuMs: median(all.map((s) => s.base.cpuMs)),
        wallRatio: 1,
        cpuRatio: 1,
      },
    ],
  ]);
  for (const [id, pairs] of samples) {
    measured.set(id, {
      wallMs: median(pairs.map((s) => s.cost.wallMs)),
      cpuMs: median(pairs.map((s) => s.cost.cpuMs)),
      wallRatio: median(pairs.map((s) => s.cost.wallMs / s.base.wallMs)),
      cpuRatio: median(pairs.map((s) => s.cost.cpuMs / s.base.cpuMs)),
    });
  }
  return measured;
}

async function main(): Promise<void> {
  const why = process.argv.includes('--why');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const specs = FUNCTIONS.filter((f) => only.length === 0 || only.includes(f.id));
  const outDir = mkdtempSync(join(tmpdir(), 'etaal-cold-start-'));
  try {
    const [bare, ...others] = [BARE, STACK, ...specs].map(({ id, entry }) => bundle(id, entry, outDir));
    if (!bare) throw new Error('No bare handler');
    const measured = await measure(bare, others);
    const stackRatio = measured.get(STACK.id)?.cpuRatio ?? Number.NaN;
    console.log(
      `Cold start: import of each bundle in a fresh node ${process.version} process, ${RUNS} times, each right after an import of the bare DynamoDB handler; ratios are medians of those pairs. Goal ≤ ${GOAL}× the bare handler.`,
    );
    console.log(
      'Ratios of CPU time (user + system): on a busy machine wall time mostly measures the other processes.',
    );
    console.log(
      'KiB: what the import loads (index.mjs and the chunks it imports); later: chunks only import() reaches.',
    );
    console.log(
      `×stack: the CPU ratio against ${STACK.id}'s (bench/fixtures/mandated-stack-handler.ts: the bare handler with the middy, zod and Powertools every function must carry): what a bundle's own code adds.`,
    );
    console.log(
      `${'bundle'.padEnd(25)} ${'KiB'.padStart(5)} ${'later'.padStart(5)} ${'wall ms'.padStart(8)} ${'ratio'.padStart(6)} ${'CPU ms'.padStart(8)} ${'ratio'.padStart(6)} ${'×stack'.padStart(6)}`,
    );
    let worst = 0;
    for (const b of [bare, ...others]) {
      const m = measured.get(b.id);
      if (!m) continue;
      const yardstick = YARDSTICKS.has(b.id);
      if (!yardstick) worst = Math.max(worst, m.cpuRatio);
      const flag = !yardstick && m.cpuRatio > GOAL ? '  over goal' : '';
      console.log(
        `${b.id.padEnd(25)} ${(b.loadedBytes / 1024).toFixed(0).padStart(5)} ${(b.deferredBytes / 1024).toFixed(0).padStart(5)} ${m.wallMs.toFixed(0).padStart(8)} ${m.wallRatio.toFixed(2).padStart(6)} ${m.cpuMs.toFixed(0).padStart(8)} ${m.cpuRatio.toFixed(2).padStart(6)} ${(m.cpuRatio / stackRatio).toFixed(2).padStart(6)}${flag}`,
      );
      if (why) {
        const heavy = heaviestPackages(b.loadedOutputs)
          .map(([name, size]) => `${name} ${(size / 1024).toFixed(0)} KiB`)
          .join(', ');
        console.log(`${''.padEnd(24)}${heavy}`);
      }
    }
    console.log(
      `Worst ratio: ${worst.toFixed(2)} (goal ≤ ${GOAL}); the mandated stack alone: ${stackRatio.toFixed(2)}`,
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
