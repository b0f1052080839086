import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TotalRow } from '../../lambdas/reports/aggregate';
import { REPOSITORY_ROOT } from '../../lib/paths';
import { istDay } from '../counts/support';
import { onboardingFixture } from '../onboarding/fixtures';
import { withLocalSystem } from '../support/local-system';

/**
 * The public dashboard in a real browser (Debian's chromium driven by playwright-core), on the local
 * system with counts pushed through the count API: every chart draws, the page's numbers equal the
 * admin report API's, nothing breaks the CSP, and the page stays usable 360 px wide. Screenshots go
 * to test-artifacts/ (git-ignored) for people to look at.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(REPOSITORY_ROOT, 'test-artifacts');
/** A SigV4 Authorization header: local mode lets IAM routes through when one is present. */
const ADMIN = {
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIALOCALADMIN/20261125/ap-south-1/execute-api/aws4_request',
};

const local = withLocalSystem();
let browser: Browser;
const asOf = istDay(1);

interface Seeded {
  services: { code: string; department: string; category: string }[];
}

async function seed(): Promise<Seeded> {
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const { putNewOnboarding } = await import('../../lambdas/onboarding/repository');
  const departments = [
    { code: 'REV', name: 'Revenue Department', categories: ['G2C', 'G2C', 'G2B'] },
    { code: 'TPT', name: 'Transport Department', categories: ['G2C', 'B2C'] },
    { code: 'FIN', name: 'Finance Department', categories: ['G2G'] },
  ];
  const seeded: Seeded = { services: [] };
  for (const [d, department] of departments.entries()) {
    const { department: created, apiKey } = await createDepartment({
      code: department.code,
      name: department.name,
    });
    const codes = department.categories.map((_, i) => `DL-${department.code}-000${i + 1}`);
    for (const [i, serviceCode] of codes.entries()) {
      const category = department.categories[i] ?? 'G2C';
      seeded.services.push({ code: serviceCode, department: department.code, category });
      await local.dynamo().send(
        new PutCommand({
          TableName: local.system.tables.serviceCodes,
          Item: {
            pk: `CODE#${serviceCode}`,
            sk: 'SERVICE',
            serviceCode,
            departmentId: created.departmentId,
            onboardingId: `onb-${department.code}`,
            serviceName: `${department.name.split(' ')[0]} service ${i + 1}`,
            category,
            status: 'live',
            gsi1pk: `DEPT#${created.departmentId}`,
            gsi1sk: `CODE#${serviceCode}`,
          },
        }),
      );
    }
    // Counts through the count API, over the last ~80 days (the back-fill window is 90), so the day,
    // month, department and category figures all have data; the last service of FIN stays silent.
    const counts = codes.flatMap((serviceCode, i) =>
      [1, 2, 3, 7, 15, 29, 31, 45, 80]
        .filter((daysAgo) => !(department.code === 'FIN' && daysAgo === 1))
        .map((daysAgo) => ({
          serviceCode,
          date: istDay(daysAgo),
          count: 100 * (d + 1) + 10 * i + daysAgo,
        })),
    );
    const pushed = await local.api('/v1/counts', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ counts }),
    });
    expect(pushed.status, await pushed.text()).toBe(200);
  }
  // The pipeline: two onboardings at step 4 (one past its due date), one at step 8, one live.
  const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const onboardings = [
    { id: 1, step: 4, status: 'IN_PROGRESS', dueAt: past },
    { id: 2, step: 4, status: 'IN_PROGRESS', dueAt: future },
    { id: 3, step: 8, status: 'IN_PROGRESS', dueAt: future },
    { id: 4, step: 12, status: 'LIVE', dueAt: past },
  ] as const;
  for (const o of onboardings) {
    const fixture = onboardingFixture({
      onboardingId: `0b0b0b0b-0000-8000-8000-00000000000${o.id}`,
      status: o.status,
      currentStep: o.step,
    });
    await putNewOnboarding(
      {
        ...fixture,
        steps: {
          ...fixture.steps,
          [String(o.step)]: {
            startedAt: past,
            dueAt: o.dueAt,
            ...(o.status === 'LIVE' ? { completedAt: past } : {}),
          },
        },
      },
      `hash-${o.id}`,
    );
  }
  return seeded;
}

async function report(path: string): Promise<{ rows: TotalRow[]; total: number }> {
  const response = await local.api(path, { headers: ADMIN });
  expect(response.status).toBe(200);
  return (await response.json()) as { rows: TotalRow[]; total: number };
}

const liveRows = (rows: readonly TotalRow[]) => rows.filter((row) => row.phase === 'live');

/** data-value of the number cells of a table's rows, keyed by a row attribute. */
async function tableValues(page: Page, tableId: string, key: string): Promise<Record<string, number[]>> {
  return page.$$eval(
    `#${tableId} tbody tr`,
    (rows, attribute) =>
      Object.fromEntries(
        rows.map((row) => [
          row.getAttribute(attribute) ?? row.querySelector('th')?.textContent ?? '',
          [...row.querySelectorAll('td[data-value]')].map((cell) => Number(cell.getAttribute('data-value'))),
        ]),
      ),
    key,
  );
}

const tileValue = (page: Page, id: string) =>
  page.$eval(`#${id} .tile-value`, (el) => Number(el.getAttribute('data-value')));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
});

describe('the public dashboard in a browser', () => {
  it('draws every chart from the seeded counts, and its numbers are the report API’s', async () => {
    const seeded = await seed();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const response = await page.goto(`${local.system.apiUrl}/dashboard?date=${asOf}`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('canvas[data-rendered="true"]#chart-pipeline');

    // Every chart drew, something visible, and shows the same sum as its table.
    const charts = await page.$$eval('canvas', (canvases) =>
      canvases.map((canvas) => {
        const context = canvas.getContext('2d');
        const pixels =
          context?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
        return {
          id: canvas.id,
          rendered: canvas.dataset.rendered,
          total: Number(canvas.dataset.total),
          painted,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual([
      'chart-by-day',
      'chart-by-month',
      'chart-by-category',
      'chart-by-department',
      'chart-pipeline',
    ]);
    for (const chart of charts) {
      expect(chart.rendered, chart.id).toBe('true');
      expect(chart.painted, chart.id).toBeGreaterThan(500);
    }

    // The figures as the admin report API answers them for the same windows.
    const days = { from: istDay(30), to: asOf };
    const byDate = liveRows(
      (await report(`/admin/reports/totals?from=${days.from}&to=${days.to}&groupBy=date,phase`)).rows,
    );
    const windowTotal = byDate.reduce((sum, row) => sum + row.total, 0);
    expect(windowTotal).toBeGreaterThan(0);
    expect(await tileValue(page, 'tile-window')).toBe(windowTotal);
    expect(await tileValue(page, 'tile-as-of-day')).toBe(byDate.find((r) => r.date === asOf)?.total);
    const dayTable = await tableValues(page, 'table-by-day', 'data-date');
    const pageDays = Object.entries(dayTable).filter(([, [total]]) => (total ?? 0) > 0);
    expect(Object.fromEntries(pageDays)).toEqual(Object.fromEntries(byDate.map((r) => [r.date, [r.total]])));
    expect(charts.find((c) => c.id === 'chart-by-day')?.total).toBe(windowTotal);

    const byDepartment = liveRows(
      (await report(`/admin/reports/totals?from=${days.from}&to=${days.to}&groupBy=department,phase`)).rows,
    );
    expect(await tableValues(page, 'table-by-department', 'data-department')).toEqual(
      Object.fromEntries(byDepartment.map((r) => [r.departmentCode, [r.total]])),
    );
    const byCategory = liveRows(
      (await report(`/admin/reports/totals?from=${days.from}&to=${days.to}&groupBy=category,phase`)).rows,
    );
    const categoryTable = await tableValues(page, 'table-by-category', 'data-category');
    expect(Object.keys(categoryTable)).toEqual(['G2C', 'G2B', 'B2C', 'G2G']);
    for (const row of byCategory) expect(categoryTable[row.category ?? '']).toEqual([row.total]);

    const months = await report(
      `/admin/reports/totals?from=${istDay(80).slice(0, 8)}01&to=${asOf}&groupBy=date,phase`,
    );
    const monthTable = await page.$$eval('#table-by-month tbody tr', (rows) =>
      rows.map((row) => [
        row.querySelector('th')?.getAttribute('data-month') ?? '',
        Number(row.querySelector('td')?.getAttribute('data-value')),
      ]),
    );
    expect(monthTable).toHaveLength(12);
    const reportMonths = new Map<string, number>();
    for (const row of liveRows(months.rows)) {
      const month = (row.date ?? '').slice(0, 7);
      reportMonths.set(month, (reportMonths.get(month) ?? 0) + row.total);
    }
    expect(Object.fromEntries(monthTable.filter(([, total]) => Number(total) > 0))).toEqual(
      Object.fromEntries(reportMonths),
    );

    const silent = await local.api(`/admin/reports/silent-services?date=${asOf}`, { headers: ADMIN });
    const silentReport = (await silent.json()) as { liveServices: number; silent: { serviceCode: string }[] };
    expect(silentReport.silent.map((s) => s.serviceCode)).toEqual(['DL-FIN-0001']);
    expect(await tileValue(page, 'tile-silent-services')).toBe(1);
    expect(await tileValue(page, 'tile-live-services')).toBe(seeded.services.length);
    expect(
      await page.$$eval('#table-silent-services tbody tr', (rows) => rows.map((r) => r.dataset.service)),
    ).toEqual(['DL-FIN-0001']);

    const topServices = await tableValues(page, 'table-top-services', 'data-service');
    expect(Object.keys(topServices)).toHaveLength(seeded.services.length);

    // Pipeline: counts per step, overdue apart; the live onboarding is not in progress.
    const pipeline = await tableValues(page, 'table-pipeline', 'data-step');
    expect(pipeline['4']).toEqual([2, 1]);
    expect(pipeline['8']).toEqual([1, 0]);
    expect(pipeline['12']).toEqual([0, 0]);
    expect(await tileValue(page, 'tile-onboarding')).toBe(3);
    expect(await tileValue(page, 'tile-overdue')).toBe(1);

    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-1280.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('stays usable 360 px wide: no sideways scrolling, charts fit the screen', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(`${local.system.apiUrl}/dashboard?date=${asOf}`);
    await page.waitForSelector('canvas[data-rendered="true"]#chart-pipeline');
    const layout = {
      scrollWidth: await page.$eval('html', (root) => root.scrollWidth),
      canvases: await page.$$eval('canvas', (canvases) =>
        canvases.map((c) => c.getBoundingClientRect().width),
      ),
    };
    expect(layout.scrollWidth).toBeLessThanOrEqual(360);
    for (const width of layout.canvases) {
      expect(width).toBeGreaterThan(250);
      expect(width).toBeLessThanOrEqual(360);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-360-first-screen.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-360.png'), fullPage: true });
    await context.close();
  });

  it('answers a bad date with a page saying what is wrong, and unknown assets with 404', async () => {
    const bad = await local.api('/dashboard?date=2026-02-30');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('YYYY-MM-DD');
    const future = await local.api(`/dashboard?date=${istDay(-2)}`);
    expect(future.status).toBe(400);
    const missing = await local.api('/dashboard/assets/..%2Fhandler.ts');
    expect(missing.status).toBe(404);
  });
});
