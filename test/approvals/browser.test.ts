import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { istDateOf } from '../../lambdas/core/calendar';
import { REPOSITORY_ROOT } from '../../lib/paths';
import {
  approvalLink,
  configureContacts,
  departmentClient,
  mailFor,
  PEOPLE,
  withSystemOnDisk,
} from '../e2e/onboarding-support';

/**
 * The approval pages in a real browser (Debian's chromium driven by playwright-core), on the local
 * system with one onboarding walked through the SoP: every kind of approval page (templates at steps
 * 3-4, services to register at 6, codes at 8, 10 and 12, test counts at 9) renders with its dossier,
 * its form works with a click (the decision is then on the status API), and it stays usable 360 px
 * wide: no sideways scrolling, the radios and the submit button on screen. One browser for the file;
 * screenshots (360 and 1280 px wide) go to test-artifacts/approvals/ (git-ignored).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(REPOSITORY_ROOT, 'test-artifacts', 'approvals');
const NARROW = 360;

const { local } = withSystemOnDisk('etaal-approval-browser-');
let browser: Browser;
let narrow: BrowserContext;
let wide: BrowserContext;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  narrow = await browser.newContext({ viewport: { width: NARROW, height: 740 } });
  wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
});

/** Usable at 360 px: nothing scrolls sideways and every control of the decision form is on screen. */
async function expectUsableNarrow(page: Page): Promise<void> {
  // What sticks out, by tag and text, so a failure names the culprit.
  const wider = await page.$$eval(
    'main *',
    (elements, width) =>
      elements
        .filter((element) => element.getBoundingClientRect().right > width)
        .map((element) => `${element.tagName}: ${(element.textContent ?? '').slice(0, 60)}`),
    NARROW,
  );
  expect(wider).toEqual([]);
  expect(await page.$eval('html', (root) => root.scrollWidth)).toBeLessThanOrEqual(NARROW);
  const controls = await page.$$eval(
    'form:not([enctype]) input[type="radio"], form:not([enctype]) button, textarea',
    (elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        return { tag: element.tagName, left: box.left, right: box.right, width: box.width };
      }),
  );
  expect(controls.length).toBeGreaterThan(0);
  for (const control of controls) {
    expect(control.left, control.tag).toBeGreaterThanOrEqual(0);
    expect(control.right, control.tag).toBeLessThanOrEqual(NARROW);
    expect(control.width, control.tag).toBeGreaterThan(0);
  }
}

/**
 * Opens the link as an approver on a phone, checks the page and its dossier, takes the screenshots,
 * then chooses `decision` by clicking its label and presses the button.
 */
async function decideInBrowser(
  url: string,
  name: string,
  decision: 'approve' | 'return' | 'reject',
  expectOnPage: readonly string[],
  comment?: string,
): Promise<string> {
  const page = await narrow.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  expect((await page.goto(url))?.status()).toBe(200);
  for (const text of expectOnPage) expect(await page.textContent('main'), name).toContain(text);
  await expectUsableNarrow(page);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-360.png`), fullPage: true });
  const wideView = await wide.newPage();
  await wideView.goto(url);
  await wideView.screenshot({ path: join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
  await wideView.close();

  await page.locator(`label:has(input[name="decision"][value="${decision}"])`).click();
  if (comment) await page.fill('#comment', comment);
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Submit decision' }).click(),
  ]);
  expect(await page.textContent('h1')).toBe('Thank you: your decision is recorded');
  expect(await page.$eval('html', (root) => root.scrollWidth)).toBeLessThanOrEqual(NARROW);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-decided-360.png`) });
  const text = (await page.textContent('main')) ?? '';
  expect(problems).toEqual([]);
  await page.close();
  return text;
}

describe('the approval pages in a browser', () => {
  it('each kind renders with its dossier, decides with a click and fits 360 px', async () => {
    await configureContacts(local.system.runtimeFile as string);
    const rev = await departmentClient(local, 'REV', 'Revenue Department');
    const decisionsOf = async (id: string, index: number): Promise<{ decision: string }[]> =>
      (await rev.status(id)).steps[index]?.decisions ?? [];
    // A long service name: the narrow layout must wrap it, not scroll.
    const services = [
      'Certificate of residence for the purposes of admission to educational institutions',
      'Trade licence',
    ];
    const onboardingId = await rev.start(services);
    const link = async (to: string, step: number, n = 0) =>
      approvalLink(await mailFor(local, to, step, n, onboardingId));

    await rev.submit(onboardingId, services);
    await decideInBrowser(await link(PEOPLE.hod, 3), 'step-03-hod', 'approve', [
      'Submitted service details',
      'No earlier decisions',
    ]);
    expect(await decisionsOf(onboardingId, 2)).toEqual([expect.objectContaining({ decision: 'approve' })]);

    const returned = await decideInBrowser(
      await link(PEOPLE.etaalNodalContact, 4),
      'step-04-review',
      'return',
      ['Reject: this ends the onboarding', 'Competent authority (HoD)'],
      'Say whether each service is OCe.',
    );
    expect(returned).toContain('The templates go back to the department');
    await rev.submit(onboardingId, services, 'OCe');
    // The HoD signs the amended templates off before the reviewer sees them (round 2's changes shown).
    await decideInBrowser(await link(PEOPLE.hod, 4), 'step-04-hod-sign-off-amended', 'approve', ['OCe']);
    await decideInBrowser(await link(PEOPLE.etaalNodalContact, 4, 1), 'step-04-review-round-2', 'approve', [
      'Returned for amendments',
      'Say whether each service is OCe.',
    ]);
    await decideInBrowser(await link(PEOPLE.degsTechnical, 6), 'step-06-registration', 'approve', [
      'Services to register',
    ]);

    // Step 8's page renders and fits; the first test counts then complete the step, and the link says so.
    const step8 = await link(PEOPLE.degsTechnical, 8);
    const integration = await narrow.newPage();
    expect((await integration.goto(step8))?.status()).toBe(200);
    await expectUsableNarrow(integration);
    await integration.screenshot({ path: join(ARTIFACTS, 'step-08-integration-360.png'), fullPage: true });
    const pushed = await rev.api('/v1/counts', {
      method: 'PUT',
      body: JSON.stringify({
        counts: [{ serviceCode: 'DL-REV-0001', date: istDateOf(new Date()), count: 5 }],
      }),
    });
    expect(pushed.status).toBe(200);
    const step9 = await link(PEOPLE.degsTechnical, 9);
    expect((await integration.goto(step8))?.status()).toBe(410);
    expect(await integration.textContent('h1')).toBe('This step is already complete');
    expect(await integration.$$('form')).toEqual([]);
    await integration.screenshot({
      path: join(ARTIFACTS, 'step-08-already-complete-360.png'),
      fullPage: true,
    });
    await integration.close();

    await decideInBrowser(step9, 'step-09-test-confirmation', 'approve', [
      'Test counts received, per service',
      '1 of 2 service(s) sent no test counts: Trade licence.',
    ]);
    await decideInBrowser(
      await link(PEOPLE.etaalNodalContact, 10),
      'step-10-nodal',
      'approve',
      ['State Committee: has not decided yet.'],
      'Examined.',
    );
    await decideInBrowser(await link(PEOPLE.stateCommittee, 10), 'step-10-state', 'approve', [
      'Comment: Examined.',
    ]);
    expect(await decisionsOf(onboardingId, 9)).toHaveLength(2);
    const live = await decideInBrowser(
      await link(PEOPLE.centralCommittee, 12),
      'step-12-central',
      'approve',
      ['State-level decisions (step 10)', 'Approve for national e-Taal (the services go live)'],
    );
    expect(live).toContain('The services are live');
  }, 150_000);
});
