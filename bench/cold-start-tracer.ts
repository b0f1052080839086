/**
 * `npm run bench -- cold-start-tracer`: what Powertools Tracer (the X-Ray SDK) costs a function, at its
 * import and at its first invocation, so that deferring the import is not mistaken for removing the
 * cost. Two bundles built like the functions (lib/function-bundle.ts): the bare DynamoDB handler and
 * the same handler traced as the functions were until issue 12 (bench/fixtures/traced-dynamodb-handler.ts).
 * Each run is a fresh process with a Lambda function's environment (X-Ray active: a trace header per
 * invocation, the daemon address) that imports the bundle and invokes it twice against a DynamoDB
 * stand-in on localhost; this process plays the X-Ray daemon and counts the segments it receives, so a
 * run that traced nothing is noticed. docs/dashboard.md (Cold start) records the numbers and the choice.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFunctionBundle, FUNCTION_ENTRY_FILE } from '../lib/function-bundle';
import { CPU_MS, inFreshProcess, lambdaEnvironment, median, RUNTIME_GLOBAL } from './cold-start-process';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 7);
const HANDLERS = [
  { id: 'BareDynamoDB', entry: 'bench/fixtures/bare-dynamodb-handler.ts' },
  { id: 'TracedDynamoDB', entry: 'bench/fixtures/traced-dynamodb-handler.ts' },
] as const;

/** CPU milliseconds of each phase in one fresh process. */
interface PhaseCosts {
  readonly importMs: number;
  readonly firstInvocationMs: number;
  readonly secondInvocationMs: number;
}

/** A trace header as Lambda sets it for an invocation that X-Ray samples. */
const traceHeader = (n: number) =>
  `Root=1-67890abc-${String(n).padStart(24, '0')};Parent=${String(n).padStart(16, '0')};Sampled=1`;

function runScript(file: string): string {
  const invoke = (n: number) =>
    `process.env._X_AMZN_TRACE_ID = ${JSON.stringify(traceHeader(n))}; await handler({ id: 'item-${n}' }, { awsRequestId: 'request-${n}', functionName: 'bench', getRemainingTimeInMillis: () => 10000 });`;
  return [
    RUNTIME_GLOBAL,
    `let c = ${CPU_MS}; const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)}); const importMs = ${CPU_MS} - c;`,
    `c = ${CPU_MS}; ${invoke(1)} const firstInvocationMs = ${CPU_MS} - c;`,
    `c = ${CPU_MS}; ${invoke(2)} const secondInvocationMs = ${CPU_MS} - c;`,
    'process.stdout.write(JSON.stringify({ importMs, firstInvocationMs, secondInvocationMs }));',
  ].join('\n');
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'etaal-cold-start-tracer-'));
  // DynamoDB's answer to GetItem (JSON 1.0), whatever is asked.
  const dynamodb = createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ Item: { pk: { S: 'item' } } }));
    });
  });
  const daemon = createSocket('udp4');
  let segments = 0;
  daemon.on('message', () => {
    segments++;
  });
  try {
    await new Promise<void>((resolve) => dynamodb.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}`;
    const daemonAddress = `127.0.0.1:${daemon.address().port}`;
    const bundles = HANDLERS.map(({ id, entry }) => {
      buildFunctionBundle({ id, entry }, join(outDir, id));
      return { id, file: join(outDir, id, FUNCTION_ENTRY_FILE) };
    });
    const costs = new Map<string, PhaseCosts[]>(bundles.map((b) => [b.id, []]));
    const segmentsPerRun = new Map<string, number[]>(bundles.map((b) => [b.id, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const { id, file } of bundles) {
        const before = segments;
        const env = lambdaEnvironment(file, {
          AWS_ENDPOINT_URL_DYNAMODB: endpoint,
          AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
        });
        costs.get(id)?.push(await inFreshProcess<PhaseCosts>(runScript(file), env));
        // Datagrams sent just before the process exits may arrive a moment later.
        await new Promise((resolve) => setTimeout(resolve, 50));
        segmentsPerRun.get(id)?.push(segments - before);
      }
    }
    const phase = (id: string, key: keyof PhaseCosts) => median((costs.get(id) ?? []).map((c) => c[key]));
    console.log(
      `Powertools Tracer: CPU ms per phase in a fresh node ${process.version} process with X-Ray active, median of ${RUNS}.`,
    );
    console.log(
      `${'handler'.padEnd(16)} ${'import'.padStart(7)} ${'1st call'.padStart(9)} ${'2nd call'.padStart(9)} ${'import+1st'.padStart(11)} ${'segments'.padStart(9)}`,
    );
    for (const { id } of bundles) {
      const importMs = phase(id, 'importMs');
      const first = phase(id, 'firstInvocationMs');
      console.log(
        `${id.padEnd(16)} ${importMs.toFixed(1).padStart(7)} ${first.toFixed(1).padStart(9)} ${phase(id, 'secondInvocationMs').toFixed(1).padStart(9)} ${(importMs + first).toFixed(1).padStart(11)} ${median(
          segmentsPerRun.get(id) ?? [],
        )
          .toFixed(0)
          .padStart(9)}`,
      );
    }
    const [bare, traced] = [HANDLERS[0].id, HANDLERS[1].id];
    if (median(segmentsPerRun.get(traced) ?? []) === 0) {
      throw new Error('The traced handler sent no segments: the measurement did not trace.');
    }
    const delta = (key: keyof PhaseCosts) => phase(traced, key) - phase(bare, key);
    console.log(
      `Tracer adds (traced − bare): ${delta('importMs').toFixed(1)} ms at import, ${delta('firstInvocationMs').toFixed(1)} ms to the first invocation, ${delta('secondInvocationMs').toFixed(1)} ms to each later one; import + first invocation: ${(delta('importMs') + delta('firstInvocationMs')).toFixed(1)} ms.`,
    );
  } finally {
    dynamodb.close();
    daemon.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
