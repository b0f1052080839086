import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiHandler } from '../../lambdas/shared/http';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { apiEvent, lambdaContext } from '../support/api-event';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/**
 * Issue 11, no unlimited guessing: a source that keeps sending wrong API keys (401) or opening approval
 * links that do not exist (404) is refused with 429 for the rest of the window, whatever it sends; the
 * failures are a metric and the block an operator signal; another address is not affected.
 */
let db: TestDynamo;
let listOnboardings: ApiHandler;
let approvals: ApiHandler;
let approvalDocuments: ApiHandler;
let apiKey: string;
let GUESSING_LIMIT: typeof import('../../lambdas/shared/guessing-limit').GUESSING_LIMIT;
const emitted: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await startDynalite({ tablePrefix: 'guessing-' });
  db.applyEnv();
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  const write = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array) => boolean;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) if (line.includes('"_aws"')) emitted.push(JSON.parse(line));
    return write(chunk);
  });
  ({ GUESSING_LIMIT } = await import('../../lambdas/shared/guessing-limit'));
  ({ handler: listOnboardings } = await import('../../lambdas/onboarding/api/list'));
  ({ handler: approvals } = await import('../../lambdas/approvals/handler'));
  ({ handler: approvalDocuments } = await import('../../lambdas/approvals/documents-handler'));
  const { createDepartment } = await import('../../lambdas/departments/repository');
  apiKey = (await createDepartment({ code: 'GUESS', name: 'Guessing Test' })).apiKey;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await db?.stop();
});

const listFrom = (sourceIp: string, key: string) =>
  listOnboardings(
    apiEvent({ path: '/v1/onboardings', headers: { 'x-api-key': key }, sourceIp }),
    lambdaContext(),
  );

const openLink = (sourceIp: string, approvalId: string) =>
  approvals(
    apiEvent({ path: `/approvals/${approvalId}`, pathParameters: { approvalId }, sourceIp }),
    lambdaContext(),
  );

const openDocument = (sourceIp: string, approvalId: string) =>
  approvalDocuments(
    apiEvent({
      path: `/approvals/${approvalId}/document.pdf`,
      resource: '/approvals/{approvalId}/document.pdf',
      pathParameters: { approvalId },
      sourceIp,
    }),
    lambdaContext(),
  );

const wrongKey = (i: number) => `etd_${String(i).padStart(43, 'A')}`;

describe('repeated 401s from one source', () => {
  it('are refused with 429 and Retry-After after the limit, even with a valid key; others go on', async () => {
    const attacker = '203.0.113.7';
    for (let i = 0; i < GUESSING_LIMIT.failures; i++) {
      expect((await listFrom(attacker, wrongKey(i))).statusCode).toBe(401);
    }
    const blocked = await listFrom(attacker, wrongKey(999));
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['Retry-After'])).toBeGreaterThan(0);
    expect(JSON.parse(blocked.body)).toMatchObject({
      status: 429,
      type: problemTypeUri('too-many-failed-attempts'),
    });
    // A correct guess during the block is not told apart from a wrong one.
    expect((await listFrom(attacker, apiKey)).statusCode).toBe(429);
    // The department, from its own address, is not affected.
    expect((await listFrom('198.51.100.20', apiKey)).statusCode).toBe(200);

    const failures = emitted.filter((m) => 'GuessingFailures' in m && m.kind === 'api-key');
    expect(failures).toHaveLength(GUESSING_LIMIT.failures);
    expect(emitted.filter((m) => 'GuessingSourceBlocked' in m)).toHaveLength(1);
  });
});

describe('repeated 404s on /approvals/{id} from one source', () => {
  it('are refused with a 429 page and Retry-After after the limit; other addresses still get their page', async () => {
    const scanner = '203.0.113.99';
    for (let i = 0; i < GUESSING_LIMIT.failures; i++) {
      expect((await openLink(scanner, `${String(i).padStart(43, 'x')}`)).statusCode).toBe(404);
    }
    const blocked = await openLink(scanner, 'y'.repeat(43));
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['Content-Type']).toMatch(/^text\/html/);
    expect(Number(blocked.headers['Retry-After'])).toBeGreaterThan(0);
    expect(blocked.body).toContain('Too many attempts');
    expect((await openLink('198.51.100.21', 'z'.repeat(43))).statusCode).toBe(404);
  });
});

describe('repeated 404s on the documents of approval links', () => {
  it('count towards the same limit as the link pages: guessing by PDF URL is refused too', async () => {
    const scanner = '203.0.113.98';
    for (let i = 0; i < GUESSING_LIMIT.failures; i++) {
      expect((await openDocument(scanner, `${String(i).padStart(43, 'q')}`)).statusCode).toBe(404);
    }
    const blocked = await openDocument(scanner, 'w'.repeat(43));
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['Retry-After'])).toBeGreaterThan(0);
    // The same source is refused on the link page too: one budget per source, whatever the route.
    expect((await openLink(scanner, 'v'.repeat(43))).statusCode).toBe(429);
    expect((await openDocument('198.51.100.22', 'u'.repeat(43))).statusCode).toBe(404);
  });
});
