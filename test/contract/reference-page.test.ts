import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalSystem } from '../support/local-system';

/**
 * The API reference in a real browser (Debian's chromium driven by playwright-core): Redoc renders the
 * served document under the page's Content-Security-Policy, without a single request leaving the API, and
 * a problem type's link lands on its explanation.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const local = withLocalSystem();
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});

describe('GET /docs in a browser', () => {
  it('renders every operation and the problem types under its CSP, loading nothing from elsewhere', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    const foreign: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('response', (response) => {
      const request = response.request();
      if (
        !request.url().startsWith(local.system.apiUrl) &&
        !request.url().startsWith('blob:') &&
        !request.url().startsWith('data:')
      )
        foreign.push(request.url());
    });
    await page.goto(`${local.system.apiUrl}/docs`);
    await page.locator('h2', { hasText: 'Set daily e-transaction totals' }).waitFor({ timeout: 20_000 });
    for (const summary of [
      'Start an onboarding (SoP step 1)',
      'Your hand-over kit',
      'The issued Service Details Template (PDF)',
      'e-Transaction Count (form POST or SOAP 1.1), for NIC',
    ]) {
      expect(await page.locator('h2', { hasText: summary }).count()).toBe(1);
    }
    // Redoc's footer always asks for its logo on Redocly's CDN; the CSP blocks it (and Redoc then hides
    // the image), which is the point of the CSP. Nothing else may be refused, and nothing may go out.
    expect(violations.filter((v) => !v.includes("'https://cdn.redoc.ly/redoc/logo-mini.svg'"))).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('leads from a problem type to its explanation', async () => {
    const page = await browser.newPage();
    await page.goto(`${local.system.apiUrl}/docs/problems/invalid-counts`);
    expect(page.url()).toBe(`${local.system.apiUrl}/docs#section/Problem-types/invalid-counts`);
    const section = page.locator('[id="section/Problem-types/invalid-counts"]');
    await section.waitFor({ timeout: 20_000 });
    expect(await section.textContent()).toContain(`${local.system.apiUrl}/docs/problems/invalid-counts`);
    await page.close();
  });
});
