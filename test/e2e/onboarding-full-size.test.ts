import { describe, expect, it } from 'vitest';
import { eventually } from '../support/local-system';
import {
  admin,
  approvalLink,
  configureContacts,
  createBody,
  decide,
  mailFor,
  PEOPLE,
  runsOnboarding,
  withSystemOnDisk,
} from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = Record<string, any>;
/**
 * The largest onboarding the SoP template allows, in local mode over HTTP: 200 services with
 * descriptions of 500 words, submitted as JSON (about 1.4 MB) and amended as CSV, through the real
 * state machine, the local API Gateway and Lambda payload limits, to the reviewer's step-4 page.
 */
const { local } = withSystemOnDisk('etaal-e2e-full-');

const SERVICES = Array.from({ length: 200 }, (_, i) => `Service number ${i + 1}`);
const description = (n: number, variant: string) =>
  `${variant} ${n} ${Array.from({ length: 498 }, (_, i) => `longerword${i}`).join(' ')}`;
const rowsOnPage = (page: string) =>
  page.match(/<tr><th scope="row" data-label="Service Name">Service number \d+<\/th>/g) ?? [];

describe('an onboarding of 200 services of 500 words (local mode, HTTP only)', () => {
  it('takes the templates as JSON and as CSV and shows each version to the reviewer and via GET', async () => {
    const runtimeFile = local.system.runtimeFile as string;
    const { apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'BIG',
      '--name',
      'Department of Many Services',
    ])) as { apiKey: string };
    await configureContacts(runtimeFile);
    const api = (path: string, init: RequestInit = {}) =>
      local.api(path, {
        ...init,
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
    const put = (onboardingId: string, body: string, contentType: string) =>
      eventually('the workflow to take templates', async () => {
        const r = await api(`/v1/onboardings/${onboardingId}/templates`, {
          method: 'PUT',
          body,
          headers: { 'content-type': contentType },
        });
        return r.status === 409 ? undefined : r;
      });

    const created = await api('/v1/onboardings', {
      method: 'POST',
      body: JSON.stringify(createBody(SERVICES)),
    });
    expect(created.status).toBe(201);
    const { onboardingId } = (await created.json()) as { onboardingId: string };

    // Step 3: all 200 templates as JSON; the HoD approves.
    const json = JSON.stringify({
      services: SERVICES.map((serviceName, i) => ({
        serviceName,
        serviceDescription: description(i + 1, 'first'),
        deliveryMode: 'Online',
        category: 'G2C',
        missionModeProject: false,
      })),
    });
    expect(Buffer.byteLength(json)).toBeGreaterThan(1024 * 1024);
    const submitted = await put(onboardingId, json, 'application/json');
    expect(submitted.status, await submitted.clone().text()).toBe(202);
    await decide(approvalLink(await mailFor(local, PEOPLE.hod, 3)), 'approve');

    // Step 4: the reviewer's page lists every service with its description; returned for amendments.
    const reviewLink = approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4));
    const reviewPage = await (await fetch(reviewLink)).text();
    expect(rowsOnPage(reviewPage)).toHaveLength(200);
    expect(reviewPage).toContain(description(200, 'first'));
    await decide(reviewLink, 'return', 'Say which office delivers each service.');

    // The amendment as CSV replaces all 200 at once: GET and the next review page show only it.
    const csv = [
      'serviceName,serviceDescription,deliveryMode,category,missionModeProject',
      ...SERVICES.map((name, i) => `${name},"${description(i + 1, 'amended')}",OCe,G2B,yes`),
    ].join('\n');
    const resubmitted = await put(onboardingId, csv, 'text/csv');
    expect(resubmitted.status, await resubmitted.clone().text()).toBe(202);
    const status = (await (await api(`/v1/onboardings/${onboardingId}?include=templates`)).json()) as Json;
    expect(status.templatesVersion).toBe(2);
    expect(status.templates).toHaveLength(200);
    expect(status.templates.every((t: Json) => t.serviceDescription.startsWith('amended '))).toBe(true);
    // The HoD signs off the amended version before the reviewer's second round.
    await decide(approvalLink(await mailFor(local, PEOPLE.hod, 4)), 'approve');
    const secondReview = await (
      await fetch(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 1)))
    ).text();
    // Round 2 lists what changed per service, then the full templates.
    expect(secondReview).toContain('Resubmission: round 2');
    expect(secondReview).toContain('Say which office delivers each service.');
    const table = secondReview.slice(secondReview.indexOf('<caption class="muted">Service details template'));
    expect(rowsOnPage(table)).toHaveLength(200);
    expect(Buffer.byteLength(secondReview)).toBeLessThan(6 * 1024 * 1024);
    expect(secondReview).toContain(description(200, 'amended'));
    expect(secondReview).not.toContain('first 200 ');

    // Nothing of the templates travels in the execution's state (Step Functions caps it at 256 KB).
    const execution = local.system.stepFunctions
      ?.listExecutions()
      .find((e) => runsOnboarding(e, onboardingId)) as {
      executionArn: string;
    };
    const history = local.system.stepFunctions?.getExecutionHistory(execution.executionArn) ?? [];
    expect(JSON.stringify(history)).toContain('templatesVersion');
    expect(JSON.stringify(history)).not.toContain('longerword');
  }, 120_000);
});
