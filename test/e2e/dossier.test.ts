import { describe, expect, it } from 'vitest';
import { istDateOf } from '../../lambdas/core/calendar';
import { eventually } from '../support/local-system';
import {
  approvalLink,
  configureContacts,
  decide,
  departmentClient,
  mailFor,
  PEOPLE,
  withSystemOnDisk,
} from './onboarding-support';

/**
 * The decision dossier and truthful messages, in local mode over HTTP and the mailbox, as approvers see
 * them: the round-2 review shows the HoD's sign-off and the earlier return; step 9 lists the test counts
 * per service and flags the silent one; step 10 shows the co-approver's status; step 12 the state-level
 * decisions; a link whose step completed another way (step 8 by test counts) is "already complete",
 * with no form, to GET and POST alike; a rejection says the onboarding has ended.
 */
const { local } = withSystemOnDisk('etaal-dossier-');

const IST_TIME = /\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} IST/;

const formless = (page: string) => !/<form/i.test(page);

const pageOf = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
};

describe('the decision dossier (local mode, HTTP and mailbox)', () => {
  it('shows each approver what they need to decide, at steps 4 (round 2), 9, 10 and 12', async () => {
    await configureContacts(local.system.runtimeFile as string);
    const rev = await departmentClient(local, 'REV', 'Revenue Department');
    const services = ['Birth certificate', 'Trade licence'];
    const onboardingId = await rev.start(services);
    await rev.submit(onboardingId, services);
    await decide(approvalLink(await mailFor(local, PEOPLE.hod, 3, 0, onboardingId)), 'approve');

    // Step 4, round 1: returned; the department resubmits (OCe now).
    const round1 = await mailFor(local, PEOPLE.etaalNodalContact, 4, 0, onboardingId);
    expect(round1.text).toContain('Submitted service details');
    expect(round1.text).toMatch(/Competent authority \(HoD\)\n\s+When: /);
    await decide(approvalLink(round1), 'return', 'Say whether it is <OCe>.');
    await mailFor(local, PEOPLE.nodalOfficer, 4, 0, onboardingId);
    await rev.submit(onboardingId, services, 'OCe');
    // The HoD signs the amended templates off before the reviewer sees them.
    await decide(approvalLink(await mailFor(local, PEOPLE.hod, 4, 0, onboardingId)), 'approve');

    // Round 2: the HoD's sign-off and the earlier return, who and when (IST), with the amended templates.
    const round2 = await mailFor(local, PEOPLE.etaalNodalContact, 4, 1, onboardingId);
    for (const text of [round2.text ?? '', (await pageOf(approvalLink(round2))).text]) {
      expect(text).toContain('Revenue Department');
      expect(text).toContain('History: earlier decisions');
      expect(text).toContain('Returned for amendments');
      expect(text).toMatch(/Say whether it is (<|&lt;)OCe(>|&gt;)\./);
      expect(text).toContain('Competent authority (HoD)');
      expect(text).toContain('OCe');
      expect(text).toMatch(IST_TIME);
    }
    await decide(approvalLink(round2), 'approve');
    const registration = await mailFor(local, PEOPLE.degsTechnical, 6, 0, onboardingId);
    expect(registration.text).toContain('Returned for amendments');
    await decide(approvalLink(registration), 'approve');

    // Step 8's link is moot once the first test counts complete the step: GET and POST say so, no form.
    const step8Link = approvalLink(await mailFor(local, PEOPLE.degsTechnical, 8, 0, onboardingId));
    const pushed = await rev.api('/v1/counts', {
      method: 'PUT',
      body: JSON.stringify({
        counts: [{ serviceCode: 'DL-REV-0001', date: istDateOf(new Date()), count: 5 }],
      }),
    });
    expect(pushed.status).toBe(200);
    await eventually('step 8 to complete', async () =>
      (await rev.status(onboardingId)).steps[7].status === 'done' ? true : undefined,
    );
    const mootGet = await pageOf(step8Link);
    expect(mootGet.status).toBe(410);
    expect(mootGet.text).toContain('This step is already complete');
    expect(mootGet.text).toContain('DeGS (automatic)');
    expect(formless(mootGet.text)).toBe(true);
    const mootPost = await fetch(step8Link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce: 'whatever', decision: 'approve' }),
    });
    const mootPostText = await mootPost.text();
    expect(mootPost.status).toBe(410);
    expect(mootPostText).toContain('This step is already complete');
    expect(formless(mootPostText)).toBe(true);
    expect((await rev.status(onboardingId)).steps[7].decisions).toEqual([
      expect.objectContaining({ role: 'system', decision: 'approve' }),
    ]);

    // Step 9: test counts per service; the silent service is flagged, in the email and on the page.
    const step9 = await mailFor(local, PEOPLE.degsTechnical, 9, 0, onboardingId);
    const step9Page = await pageOf(approvalLink(step9));
    expect(step9.text).toContain('Test counts received, per service');
    expect(step9.text).toMatch(/DL-REV-0001\n\s+Test counts: 5 in total, 1 day\(s\)/);
    expect(step9.text).toMatch(/DL-REV-0002\n\s+Test counts: NONE RECEIVED/);
    expect(step9Page.text).toContain('1 of 2 service(s) sent no test counts: Trade licence.');
    expect(step9Page.text).toMatch(
      /<tr class="flagged"><td data-label="Government Service Code">DL-REV-0002<\/td>/,
    );
    await decide(approvalLink(step9), 'approve');

    // Step 10: each state-level approver sees the other's status: waiting, then decided.
    const nodal = approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 10, 0, onboardingId));
    const state = approvalLink(await mailFor(local, PEOPLE.stateCommittee, 10, 0, onboardingId));
    expect((await pageOf(state)).text).toContain('e-Taal Nodal Contact: has not decided yet.');
    await decide(nodal, 'approve', 'Examined.');
    const stateView = (await pageOf(state)).text;
    expect(stateView).toMatch(
      /e-Taal Nodal Contact: Approved by (.*, )?e-Taal Nodal Contact on .+ IST\. Comment: Examined\./,
    );
    expect(stateView).toContain('DeGS (automatic)');
    await decide(state, 'approve');

    // Step 12: the state-level decisions; the final approval says the services are live.
    const central = await mailFor(local, PEOPLE.centralCommittee, 12, 0, onboardingId);
    expect(central.text).toContain('State-level decisions (step 10)');
    const centralPage = (await pageOf(approvalLink(central))).text;
    expect(centralPage).toContain('Approve for national e-Taal (the services go live)');
    expect(centralPage.split('State-level decisions')[1]).toContain('State Committee');
    expect(await decide(approvalLink(central), 'approve')).toContain('The services are live');
  }, 120_000);

  it('says before and after a rejection that it ends the onboarding', async () => {
    const edu = await departmentClient(local, 'EDU', 'Education');
    const onboardingId = await edu.start(['School admission']);
    await edu.submit(onboardingId, ['School admission']);
    await decide(approvalLink(await mailFor(local, PEOPLE.hod, 3, 0, onboardingId)), 'approve');
    const review = approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 0, onboardingId));

    expect((await pageOf(review)).text).toContain('Reject: this ends the onboarding');
    const after = await decide(review, 'reject', 'Not an e-service.');
    expect(after).toContain('The onboarding has ended');
    expect(after).not.toContain('continues');
  }, 60_000);
});
