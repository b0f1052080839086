import { describe, expect, it } from 'vitest';
import { istDateOf } from '../../lambdas/core/calendar';
import { eventually } from '../support/local-system';
import {
  admin,
  approvalLink,
  configureContacts,
  createBody,
  decide,
  description,
  mailFor,
  PEOPLE,
  runsOnboarding,
  submitTemplates,
  withSystemOnDisk,
} from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = Record<string, any>;
/**
 * A whole onboarding in local mode, over HTTP only: the admin CLI creates the department and sets the
 * contacts; the department uses the API; every approver acts from the link in their email, through the
 * page's form. One return for amendments at step 4 (the HoD signs off the amended version); test counts
 * complete step 8; all services go live.
 */
const { local } = withSystemOnDisk('etaal-e2e-');

const HOSTILE = '<b>Birth</b> certificate & "copies"';
const SERVICES = [HOSTILE, 'Trade licence'];

describe('an onboarding through all 12 SoP steps (local mode, HTTP only)', () => {
  it('goes from POST to all services live with their codes, through one return for amendments', async () => {
    const runtimeFile = local.system.runtimeFile as string;
    const { apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'REV',
      '--name',
      'Revenue Department',
    ])) as { apiKey: string };
    const other = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'TPT',
      '--name',
      'Transport Department',
    ])) as { apiKey: string };
    await configureContacts(runtimeFile);
    const api = (path: string, init: RequestInit & { key?: string } = {}) =>
      local.api(path, {
        ...init,
        headers: {
          'x-api-key': init.key ?? apiKey,
          'content-type': 'application/json',
          ...(init.headers ?? {}),
        },
      });
    const status = async (id: string) => (await (await api(`/v1/onboardings/${id}`)).json()) as Json;

    // Step 1: the department lists its services and nominates its nodal officer.
    const created = await api('/v1/onboardings', {
      method: 'POST',
      body: JSON.stringify(createBody(SERVICES)),
    });
    expect(created.status).toBe(201);
    const { onboardingId } = (await created.json()) as { onboardingId: string };
    expect((await api(`/v1/onboardings/${onboardingId}`, { key: other.apiKey })).status).toBe(404);

    // Step 2: the template and its rules reach the nodal officer; department text is escaped.
    const templateMail = await mailFor(local, PEOPLE.nodalOfficer, 2);
    expect(templateMail.text).toContain('100 to 500 words');
    expect(templateMail.html).toContain('&lt;b&gt;Birth&lt;/b&gt;');
    expect(templateMail.html).not.toContain('<b>Birth</b>');

    // Step 3: templates (JSON), then the HoD approves from the emailed link.
    const templates = SERVICES.map((serviceName, i) => ({
      serviceName,
      serviceDescription: description(120 + i),
      deliveryMode: 'Online',
      category: 'G2C',
      missionModeProject: i === 0,
    }));
    await submitTemplates(api, onboardingId, templates);
    const hodLink = approvalLink(await mailFor(local, PEOPLE.hod, 3));
    // Opening a link (as a mail scanner would) changes nothing.
    const before = await status(onboardingId);
    expect((await fetch(hodLink)).status).toBe(200);
    expect((await fetch(hodLink, { method: 'HEAD' })).status).toBe(200);
    expect(await status(onboardingId)).toEqual(before);
    await decide(hodLink, 'approve');

    // Step 4: the e-Taal Nodal Contact returns the templates with a comment; the department resubmits as CSV.
    await decide(
      approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4)),
      'return',
      'Please describe the <fees>.',
    );
    const amendment = await mailFor(local, PEOPLE.nodalOfficer, 4);
    expect(amendment.html).toContain('Please describe the &lt;fees&gt;.');
    const atStep4 = await status(onboardingId);
    expect(atStep4.steps[3]).toMatchObject({ status: 'active', waitingFor: [{ role: 'department' }] });
    expect(atStep4.steps[3].decisions[0]).toMatchObject({
      decision: 'return',
      comment: 'Please describe the <fees>.',
    });
    const csv = [
      'serviceName,serviceDescription,deliveryMode,category,missionModeProject',
      `"${HOSTILE.replaceAll('"', '""')}",${description(200)},OCe,G2C,yes`,
      `Trade licence,${description(150)},Online,G2B,no`,
    ].join('\n');
    const resubmitted = await eventually('the workflow to take the amended templates', async () => {
      const r = await api(`/v1/onboardings/${onboardingId}/templates`, {
        method: 'PUT',
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      return r.status === 409 ? undefined : r;
    });
    expect(resubmitted.status).toBe(202);
    // The HoD signs off the amended templates before the e-Taal Nodal Contact sees them again.
    await decide(approvalLink(await mailFor(local, PEOPLE.hod, 4)), 'approve');
    await decide(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 1)), 'approve');

    // Step 5: the approved templates reach DeGS; step 6: "Register services" issues the codes.
    expect((await mailFor(local, PEOPLE.degsTechnical, 5)).text).toContain('OCe');
    await decide(approvalLink(await mailFor(local, PEOPLE.degsTechnical, 6)), 'approve');

    // Step 7: the codes, the web-service URL and the integration steps reach the nodal officer.
    const handOver = await mailFor(local, PEOPLE.nodalOfficer, 7);
    const codes = [...(handOver.text ?? '').matchAll(/DL-REV-\d{4}/g)].map((m) => m[0]);
    expect(new Set(codes)).toEqual(new Set(['DL-REV-0001', 'DL-REV-0002']));
    expect(handOver.text).toContain(`${local.system.apiUrl}/v1/counts`);

    // Step 8: the department's first test counts complete the step.
    const pushed = await eventually('codes to take test counts', async () => {
      const r = await api('/v1/counts', {
        method: 'PUT',
        body: JSON.stringify({
          counts: [{ serviceCode: 'DL-REV-0001', date: istDateOf(new Date()), count: 5 }],
        }),
      });
      return r.status === 200 ? r : undefined;
    });
    expect(pushed.status).toBe(200);

    // Step 9: DeGS confirms the test; step 10: both state-level approvals.
    await decide(approvalLink(await mailFor(local, PEOPLE.degsTechnical, 9)), 'approve');
    await decide(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 10)), 'approve', 'Examined.');
    await decide(approvalLink(await mailFor(local, PEOPLE.stateCommittee, 10)), 'approve');

    // Step 11: the details reach the e-Taal Central Team; step 12: the Central Committee approves.
    expect((await mailFor(local, PEOPLE.etaalCentralTeam, 11)).text).toContain('DL-REV-0002');
    await decide(approvalLink(await mailFor(local, PEOPLE.centralCommittee, 12)), 'approve');

    await mailFor(local, PEOPLE.nodalOfficer, 12);
    const final = await eventually('the onboarding to be live', async () => {
      const s = await status(onboardingId);
      return s.status === 'LIVE' ? s : undefined;
    });
    expect(final.steps.map((s: { status: string }) => s.status)).toEqual(Array(12).fill('done'));
    expect(final.serviceCodeStatus).toBe('live');
    expect(final.serviceCodes.map((c: { serviceName: string }) => c.serviceName).sort()).toEqual(
      [...SERVICES].sort(),
    );
    expect(final.steps[7].decisions[0]).toMatchObject({ role: 'system', decision: 'approve' });
    expect(final.steps[9].decisions).toHaveLength(2);
    const execution = await eventually('the execution to end', () =>
      local.system.stepFunctions
        ?.listExecutions()
        .find((e) => runsOnboarding(e, onboardingId) && e.status !== 'RUNNING'),
    );
    expect(execution.status).toBe('SUCCEEDED');
    // Local history has state entries and exits only (124 here); AWS adds the Lambda events of each task,
    // about 2.5 times as many (docs/workflow.md counts them). A runaway loop would blow this bound.
    const history = local.system.stepFunctions?.getExecutionHistory(execution.executionArn) ?? [];
    expect(history.length).toBeLessThan(200);

    // No task token ever reached a mailbox.
    for (const email of await local.emails())
      expect(`${email.html}${email.text}`).not.toMatch(/etaal-local-task-token|taskToken/);
  }, 120_000);

  it('ends REJECTED, with the reason emailed, when the e-Taal Nodal Contact rejects at step 4', async () => {
    const runtimeFile = local.system.runtimeFile as string;
    const { apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'EDU',
      '--name',
      'Education',
    ])) as {
      apiKey: string;
    };
    const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
    const created = await local.api('/v1/onboardings', {
      method: 'POST',
      headers,
      body: JSON.stringify(createBody(['School admission'])),
    });
    const { onboardingId } = (await created.json()) as { onboardingId: string };
    const body = JSON.stringify({
      services: [
        {
          serviceName: 'School admission',
          serviceDescription: description(),
          deliveryMode: 'Online',
          category: 'G2C',
          missionModeProject: true,
        },
      ],
    });
    await eventually('the workflow to take templates', async () => {
      const r = await local.api(`/v1/onboardings/${onboardingId}/templates`, {
        method: 'PUT',
        headers,
        body,
      });
      return r.status === 409 ? undefined : r;
    });
    await decide(approvalLink(await mailFor(local, PEOPLE.hod, 3, 0, onboardingId)), 'approve');
    await decide(
      approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 0, onboardingId)),
      'reject',
      'Not an e-service.',
    );

    const rejected = await eventually('the onboarding to be rejected', async () => {
      const s = (await (await local.api(`/v1/onboardings/${onboardingId}`, { headers })).json()) as Json;
      return s.status === 'REJECTED' ? s : undefined;
    });
    expect(rejected.steps[3]).toMatchObject({
      status: 'done',
      decisions: [{ decision: 'reject', comment: 'Not an e-service.' }],
    });
    expect(rejected.steps[4].status).toBe('pending');
    const outcome = await eventually('the rejection email', async () =>
      (await local.emails()).find(
        (e) => e.subject.includes('onboarding rejected') && (e.text ?? '').includes(onboardingId),
      ),
    );
    expect(outcome.to).toEqual([PEOPLE.nodalOfficer]);
    expect(outcome.text).toContain('Not an e-service.');
    const execution = await eventually('the execution to end', () =>
      local.system.stepFunctions
        ?.listExecutions()
        .find((e) => runsOnboarding(e, onboardingId) && e.status !== 'RUNNING'),
    );
    expect(execution.status).toBe('SUCCEEDED');
  });
});
