/**
 * `npm test`: the type check and the lint run beside the tests rather than before them (the tests spend
 * much of their time waiting, the checks need CPU), and it fails when any of the three fails. The tests'
 * output streams as they run; each check's output is printed when it ends. Plain JavaScript, so that it
 * starts without tsx.
 */
import { spawn } from 'node:child_process';

/** Runs `npm run <script>`; its output streams (`live`) or is kept and printed at its end. */
function run(script, { live }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: live ? 'inherit' : 'pipe' });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code, signal) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const outcome = code === 0 ? 'passed' : `FAILED (${signal ?? `exit code ${code}`})`;
      if (!live) process.stdout.write(`\n── npm run ${script}: ${outcome} in ${seconds} s ──\n${output}`);
      resolve({ script, ok: code === 0, outcome, seconds });
    });
  });
}

const results = await Promise.all([
  run('typecheck', { live: false }),
  run('lint', { live: false }),
  run('test:vitest', { live: true }),
]);
process.stdout.write(
  `\n${results.map((r) => `npm run ${r.script}: ${r.outcome} in ${r.seconds} s`).join('\n')}\n`,
);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
