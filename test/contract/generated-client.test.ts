import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { putServiceCode } from '../counts/support';
import { withLocalSystem } from '../support/local-system';

/**
 * What a department's developer does with nothing but the API's URL and an API key: open /docs, find the
 * OpenAPI document it renders, generate a typed client with a standard generator (openapi-typescript's
 * CLI, reading the document from the URL), write a program against it (openapi-fetch), typecheck it with
 * strict TypeScript, and run it to push counts and read them back. Only the service code is arranged
 * here, as the onboarding workflow would have issued it.
 */
const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const local = withLocalSystem();
let workDir: string | undefined;

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The department's program: only the generated types, openapi-fetch, the URL and the key. */
const PROGRAM = `import createClient from 'openapi-fetch';
import type { paths } from './api';

const client = createClient<paths>({
  baseUrl: process.env.API_URL,
  headers: { 'x-api-key': process.env.API_KEY ?? '' },
});
const serviceCode = process.env.SERVICE_CODE ?? '';
const date = process.env.COUNT_DATE ?? '';

const pushed = await client.PUT('/v1/counts', {
  body: { counts: [{ serviceCode, date, count: 41 }, { serviceCode, date, count: 2, locationCode: 'NORTH' }] },
  headers: { 'idempotency-key': 'first-push' },
});
if (!pushed.data) throw new Error(JSON.stringify(pushed.error));
const accepted: number = pushed.data.accepted;

const read = await client.GET('/v1/counts', { params: { query: { serviceCode, from: date, to: date } } });
if (!read.data) throw new Error(JSON.stringify(read.error));
const totals = read.data.counts.map((c) => ({ locationCode: c.locationCode, count: c.count, phase: c.phase }));

const refused = await client.PUT('/v1/counts', { body: { counts: [{ serviceCode, date: '1999-01-01', count: 1 }] } });
console.log(JSON.stringify({ accepted, totals, refusedStatus: refused.response.status, refusedType: refused.error?.type }));
`;

describe('a client generated from the served document', () => {
  it('pushes counts and reads them back, knowing only the URL and an API key', async () => {
    const { createDepartment } = await import('../../lambdas/departments/repository');
    const { department, apiKey } = await createDepartment({ code: 'EDU', name: 'Education' });
    await putServiceCode(
      { client: local.dynamo(), tables: local.system.tables },
      {
        serviceCode: 'DL-EDU-0001',
        departmentId: department.departmentId,
        onboardingId: 'onb-edu',
        status: 'testing',
      },
    );

    const docsUrl = `${local.system.apiUrl}/docs`;
    const page = await (await fetch(docsUrl)).text();
    const specUrl = new URL(/spec-url="([^"]+)"/.exec(page)?.[1] ?? '', docsUrl).href;
    expect(specUrl).toBe(`${local.system.apiUrl}/v1/openapi.json`);

    // Inside the repository's node_modules, so the program resolves openapi-fetch as a department's would.
    workDir = await mkdtemp(join(ROOT, 'node_modules', '.cache-generated-client-'));
    await run(join(BIN, 'openapi-typescript'), [specUrl, '--output', join(workDir, 'api.d.ts')]);
    await writeFile(join(workDir, 'program.mts'), PROGRAM);
    await run(join(BIN, 'tsc'), [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--target',
      'es2022',
      '--module',
      'preserve',
      '--moduleResolution',
      'bundler',
      '--types',
      'node',
      join(workDir, 'program.mts'),
    ]).catch((error: { stdout?: string }) => {
      throw new Error(`The program does not typecheck against the generated client:\n${error.stdout}`);
    });

    const { docContext } = await import('../../lambdas/docs/openapi-document');
    const date = docContext(new Date()).yesterday;
    const { stdout } = await run(
      process.execPath,
      [join(BIN, '..', 'tsx', 'dist', 'cli.mjs'), join(workDir, 'program.mts')],
      {
        env: {
          PATH: process.env.PATH,
          API_URL: local.system.apiUrl,
          API_KEY: apiKey,
          SERVICE_CODE: 'DL-EDU-0001',
          COUNT_DATE: date,
        },
      },
    );
    expect(JSON.parse(stdout)).toEqual({
      accepted: 2,
      totals: [
        { locationCode: '0', count: 41, phase: 'test' },
        { locationCode: 'NORTH', count: 2, phase: 'test' },
      ],
      refusedStatus: 422,
      refusedType: problemTypeUri('invalid-counts', local.system.apiUrl),
    });
  });
});
