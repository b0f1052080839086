/**
 * `npm run bench [-- NAME ...]`: runs the benchmarks one after another, each in a fresh process (so one
 * bench's warm caches and emulators do not flatter the next). Without names, all of them. Arguments
 * after a name's `--` go to that bench, e.g. `npm run bench -- cold-start --why`. `--expose-gc` lets a bench
 * measure live memory (the connector's).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** bench/<name>.ts, in the order they run. */
const BENCHES = ['counts', 'reports', 'connector', 'cold-start', 'cold-start-tracer'] as const;

const args = process.argv.slice(2);
const names = args.filter((a) => (BENCHES as readonly string[]).includes(a));
const passThrough = args.filter((a) => !(BENCHES as readonly string[]).includes(a));
const unknown = passThrough.filter((a) => !a.startsWith('--'));
if (unknown.length > 0 && names.length === 0) {
  console.error(`Unknown bench ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const name of names.length > 0 ? names : BENCHES) {
  console.log(`\n== bench/${name}.ts`);
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...passThrough], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
