import { join } from 'node:path';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../lambdas/core/calendar';
import { checkCountBatch } from '../../lambdas/core/counts';
import { SEED_HOLIDAY_CALENDARS } from '../../lambdas/core/holidays-seed';
import { countsExamples } from '../../lambdas/counts/examples';
import { countsPushBodySchema } from '../../lambdas/counts/schemas';
import { buildOpenApiDocument, collectRouteDocs, docContext } from '../../lambdas/docs/openapi-document';
import { ROUTES } from '../../lambdas/functions';
import { onboardingView } from '../../lambdas/onboarding/api/view';
import { onboardingViewSchema } from '../../lambdas/onboarding/openapi';
import { documentedProblems, isDocumented, operation } from '../../lambdas/shared/openapi';
import { PROBLEM_TYPE_SLUGS, problemTypeUri } from '../../lambdas/shared/problem-types';
import { onboardingFixture } from '../onboarding/fixtures';

/**
 * The generated document: valid and lint-clean, complete (every route has an entry), and its hand-stated
 * parts cannot drift from the rules they describe.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const now = new Date();
const context = docContext(now);

describe('the OpenAPI document', () => {
  it('passes redocly lint (recommended rules, redocly.yaml) without a warning', async () => {
    const document = buildOpenApiDocument({ now, serverUrl: 'http://127.0.0.1:3000' });
    const config = await loadConfig({ configPath: join(ROOT, 'redocly.yaml') });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: join(ROOT, 'openapi.json'),
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('documents every route of lambdas/functions.ts, or says why a route is not in the reference', () => {
    const docs = collectRouteDocs(context);
    expect([...docs.keys()].sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const [key, doc] of docs) {
      if (!isDocumented(doc)) expect(doc.notInReference.length, key).toBeGreaterThan(20);
    }
  });

  it('refuses to build when a route has no documentation, or documentation has no route', () => {
    const extra = { method: 'GET', path: '/v1/secret', functionId: 'Health', auth: 'none' } as const;
    expect(() => collectRouteDocs(context, [...ROUTES, extra])).toThrow('GET /v1/secret has no entry');
    const stale = () => ({ 'GET /v1/gone': operation({ responses: {}, problems: {} }) });
    expect(() => collectRouteDocs(context, ROUTES, [stale])).toThrow(/is documented but is not a route/);
  });

  it('explains every problem type in the reference, and each operation lists its problem types by status', () => {
    const document = buildOpenApiDocument({ now });
    for (const slug of PROBLEM_TYPE_SLUGS) {
      expect(document.info.description).toContain(`## ${slug}\n\n\`${problemTypeUri(slug)}\``);
    }
    const counts = collectRouteDocs(context).get('PUT /v1/counts');
    if (!counts || !isDocumented(counts)) throw new Error('PUT /v1/counts is documented');
    expect(Object.fromEntries(documentedProblems(counts))).toMatchObject({
      401: ['missing-api-key', 'invalid-api-key'],
      422: ['invalid-counts', 'idempotency-key-reused'],
      500: ['internal-error'],
    });
  });

  it('documents the onboarding as GET /v1/onboardings/{id} answers it, a paused (ATTENTION) one included', () => {
    const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear: () => {} });
    const paused = onboardingFixture({
      status: 'ATTENTION',
      attention: {
        step: 2,
        task: 'Notify',
        error: 'MessageRejected',
        cause: 'SES',
        at: '2026-11-20T05:00:00.000Z',
      },
    });
    const view = onboardingView(paused, now, calendar, []);
    expect(view.attention?.message).toMatch(/paused because an email could not be sent/);
    expect(onboardingViewSchema.safeParse(view).error).toBeUndefined();
    expect(
      onboardingViewSchema.safeParse(onboardingView(onboardingFixture(), now, calendar, [])).success,
    ).toBe(true);
  });

  it('states the count rules as core/counts.ts enforces them (the push body schema cannot drift from checkCountBatch)', () => {
    const { push } = countsExamples(context.yesterday);
    const item = push.counts[0];
    const cases: unknown[] = [
      push,
      { counts: [] },
      { counts: [{ ...item, count: -1 }] },
      { counts: [{ ...item, count: 1.5 }] },
      { counts: [{ ...item, count: 1_000_000_001 }] },
      { counts: [{ ...item, date: '2026-02-30' }] },
      { counts: [{ ...item, serviceCode: '' }] },
      { counts: [{ ...item, serviceCode: 'DL#1' }] },
      { counts: [{ ...item, serviceCode: 'x'.repeat(65) }] },
      { counts: [{ ...item, locationCode: 'x'.repeat(33) }] },
      { counts: [{ ...item, locationCode: 'EAST ZONE' }] },
      { counts: [{ ...item, extra: 1 }] },
      { counts: [item], extra: 1 },
      { counts: Array.from({ length: 1001 }, (_, i) => ({ ...item, locationCode: `L${i}` })) },
      { counts: Array.from({ length: 1000 }, (_, i) => ({ ...item, locationCode: `L${i}` })) },
    ];
    for (const body of cases) {
      const summary = JSON.stringify(body).slice(0, 120);
      expect(countsPushBodySchema.safeParse(body).success, summary).toBe(checkCountBatch(body, now).ok);
    }
  });
});
