import { describe, expect, it } from 'vitest';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { eventually } from '../support/local-system';
import {
  approvalLink,
  createBody,
  decide,
  departmentApi,
  description,
  mailFor,
  PEOPLE,
  withSystemOnDisk,
} from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = Record<string, any>;

/**
 * Corrections where the SoP allows them (issue 9), in local mode over HTTP and the mailbox: the
 * department replaces its templates before the HoD decides (the old link answers 410, the new one shows
 * the new version), the HoD returns them, and after a step-4 return the HoD signs off the amended
 * version before the e-Taal Nodal Contact's second round, which shows what changed.
 */
const { local } = withSystemOnDisk('etaal-corrections-');

const SERVICES = ['Birth certificate', 'Trade licence'];

function templates(version: string, overrides: Partial<Record<string, unknown>>[] = []) {
  return SERVICES.map((serviceName, i) => ({
    serviceName,
    serviceDescription: `${version} ${description(110 + i)}`,
    deliveryMode: 'Online',
    category: 'G2C',
    missionModeProject: false,
    ...(overrides[i] ?? {}),
  }));
}

describe('corrections of the templates (local mode, HTTP and mailbox)', () => {
  it('replaced before the HoD decides, returned by the HoD, amended after step 4 and signed off again', async () => {
    const { api } = await departmentApi(local, 'REV', 'Revenue Department');
    const status = async (id: string) => (await (await api(`/v1/onboardings/${id}`)).json()) as Json;
    const created = await api('/v1/onboardings', {
      method: 'POST',
      body: JSON.stringify(createBody(SERVICES)),
    });
    expect(created.status).toBe(201);
    const { onboardingId } = (await created.json()) as { onboardingId: string };
    const put = (body: unknown) =>
      api(`/v1/onboardings/${onboardingId}/templates`, { method: 'PUT', body: JSON.stringify(body) });

    // Version 1, and the HoD's link for it.
    const first = await eventually('the workflow to take templates', async () => {
      const r = await put({ services: templates('FIRST') });
      return r.status === 409 ? undefined : r;
    });
    expect(first.status).toBe(202);
    const firstLink = approvalLink(await mailFor(local, PEOPLE.hod, 3, 0));
    const dueBefore = (await status(onboardingId)).steps[2].dueAt;

    // Before the HoD decides, the department replaces the templates: version 2 supersedes the link.
    const second = await put({ services: templates('SECOND') });
    const accepted = (await second.json()) as Json;
    expect(second.status, JSON.stringify(accepted)).toBe(202);
    expect(accepted).toMatchObject({ templatesVersion: 2 });
    expect(accepted.next).toContain('replaces version 1');
    // From the moment the new version is accepted, the old link shows no form (before its successor is out).
    const atOnce = await fetch(firstLink);
    expect(atOnce.status).toBe(410);
    expect(await atOnce.text()).not.toContain('name="decision"');
    const secondLink = approvalLink(await mailFor(local, PEOPLE.hod, 3, 1));
    expect(secondLink).not.toBe(firstLink);
    const old = await fetch(firstLink);
    expect(old.status).toBe(410);
    const oldPage = await old.text();
    expect(oldPage).toContain('replaced the templates by a newer version (version 2)');
    expect(oldPage).not.toContain('name="decision"');
    const fresh = await (await fetch(secondLink)).text();
    expect(fresh).toContain('SECOND');
    expect(fresh).not.toContain('FIRST');
    // The deadline is honest: replacing the templates does not restart the step's clock.
    const replaced = await status(onboardingId);
    expect(replaced.steps[2]).toMatchObject({
      status: 'active',
      dueAt: dueBefore,
      waitingFor: [{ role: 'competentAuthority' }],
    });
    expect(replaced.steps[2].decisions).toEqual([]);

    // The HoD returns version 2 with a comment: the department gets the comment and the exact request.
    await decide(secondLink, 'return', 'Name the <fee> for each service.');
    const returned = await mailFor(local, PEOPLE.nodalOfficer, 3, 0, onboardingId);
    expect(returned.html).toContain('Name the &lt;fee&gt; for each service.');
    expect(returned.text).toContain('Comments of the Competent authority (HoD)');
    expect(returned.text).toContain(`PUT ${local.system.apiUrl}/v1/onboardings/${onboardingId}/templates`);
    expect(returned.html).not.toContain(`href="${local.system.apiUrl}/v1/onboardings/`);
    const afterReturn = await status(onboardingId);
    expect(afterReturn.steps[2]).toMatchObject({
      status: 'active',
      dueAt: dueBefore,
      waitingFor: [{ role: 'department' }],
    });
    expect(afterReturn.steps[2].decisions[0]).toMatchObject({
      role: 'competentAuthority',
      decision: 'return',
      comment: 'Name the <fee> for each service.',
    });
    expect(afterReturn.amendmentRounds).toBe(0);

    // Version 3 goes to the HoD, who approves it.
    const third = await eventually('the workflow to take templates again', async () => {
      const r = await put({ services: templates('THIRD') });
      return r.status === 409 ? undefined : r;
    });
    expect(third.status).toBe(202);
    const thirdLink = approvalLink(await mailFor(local, PEOPLE.hod, 3, 2));
    expect(await (await fetch(thirdLink)).text()).toContain('THIRD');
    await decide(thirdLink, 'approve');

    // Step 4: during the review the templates cannot be replaced; the 409 says why and what to do.
    const reviewLink = approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 0));
    const refused = await put({ services: templates('FOURTH') });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as Json;
    expect(problem).toMatchObject({
      type: problemTypeUri('not-accepting-templates', local.system.apiUrl),
      state: {
        status: 'IN_PROGRESS',
        step: 4,
        phase: 'review',
        waitingFor: 'etaalNodalContact',
        templatesVersion: 3,
      },
    });
    expect(problem.detail).toContain('the e-Taal Nodal Contact is reviewing version 3');
    expect(problem.nextAction).toContain('exact request to resubmit');

    // The e-Taal Nodal Contact returns them; the department amends one field of one service.
    await decide(reviewLink, 'return', 'Trade licence is G2B.');
    const amendment = await mailFor(local, PEOPLE.nodalOfficer, 4, 0, onboardingId);
    expect(amendment.text).toContain('Trade licence is G2B.');
    expect(amendment.text).toContain(`PUT ${local.system.apiUrl}/v1/onboardings/${onboardingId}/templates`);
    const amended = await eventually('the workflow to take the amended templates', async () => {
      const r = await put({ services: templates('THIRD', [{}, { category: 'G2B' }]) });
      return r.status === 409 ? undefined : r;
    });
    const amendedBody = (await amended.json()) as Json;
    expect(amended.status, JSON.stringify(amendedBody)).toBe(202);
    expect(amendedBody.next).toContain('sign off the amended templates');

    // The HoD signs off the amended version before the e-Taal Nodal Contact sees it.
    const signOff = await mailFor(local, PEOPLE.hod, 4, 0, onboardingId);
    const waitingForHod = await status(onboardingId);
    expect(waitingForHod.steps[3]).toMatchObject({ waitingFor: [{ role: 'competentAuthority' }] });
    expect((await local.emails()).filter((e) => e.to.includes(PEOPLE.etaalNodalContact))).toHaveLength(1);
    const signOffPage = await (await fetch(approvalLink(signOff))).text();
    expect(signOffPage).toContain('version 4');
    // The HoD sees what the reviewer asked for and what the department changed.
    expect(signOff.text).toContain('Trade licence is G2B.');
    expect(signOffPage).toContain('Trade licence is G2B.');
    expect(signOffPage).toContain('<del>G2C</del>');
    await decide(approvalLink(signOff), 'approve');

    // Round 2 of the review: a resubmission, the earlier comment and what changed, field by field.
    const round2 = await mailFor(local, PEOPLE.etaalNodalContact, 4, 1, onboardingId);
    expect(round2.text).toContain('Resubmission: round 2');
    expect(round2.text).toContain('version 4 answers the return of version 3 by the e-Taal Nodal Contact');
    expect(round2.text).toContain('Trade licence is G2B.');
    expect(round2.text).toContain('Trade licence: Category "G2C" → "G2B"');
    expect(round2.text).not.toContain('Birth certificate: ');
    const round2Page = await (await fetch(approvalLink(round2))).text();
    expect(round2Page).toContain('Resubmission: round 2');
    expect(round2Page).toContain('<blockquote>Trade licence is G2B.</blockquote>');
    expect(round2Page).toMatch(
      /<th scope="row" data-label="Service">Trade licence<\/th><td data-label="Field">Category<\/td><td data-label="Before"><del>G2C<\/del><\/td><td data-label="Now"><ins>G2B<\/ins><\/td>/,
    );
    expect(round2Page).toContain('Unchanged: Birth certificate.');
    await decide(approvalLink(round2), 'approve');

    const done = await eventually('step 4 to complete', async () => {
      const s = await status(onboardingId);
      return s.steps[3].status === 'done' ? s : undefined;
    });
    expect(done.amendmentRounds).toBe(1);
    expect(done.steps[3].decisions.map((d: Json) => [d.role, d.decision])).toEqual([
      ['etaalNodalContact', 'return'],
      ['competentAuthority', 'approve'],
      ['etaalNodalContact', 'approve'],
    ]);
    await mailFor(local, PEOPLE.degsTechnical, 5, 0, onboardingId);
  }, 120_000);
});
