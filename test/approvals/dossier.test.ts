import { describe, expect, it } from 'vitest';
import { dossierSection } from '../../lambdas/approvals/dossier-page';
import { openPage } from '../../lambdas/approvals/pages';
import type { ServiceTemplate } from '../../lambdas/core/template';
import type { DecisionRecord, Onboarding, StepState } from '../../lambdas/core/workflow';
import { buildDossier } from '../../lambdas/onboarding/dossier';
import { dossierBlocks } from '../../lambdas/onboarding/dossier-email';
import { waitEmail } from '../../lambdas/onboarding/wait-emails';
import { onboardingFixture, template as templateInput } from '../onboarding/fixtures';
import { approvalRecordFixture } from './fixtures';

const template = (serviceName: string, overrides: Record<string, unknown> = {}) =>
  templateInput(serviceName, overrides) as ServiceTemplate;

/**
 * The decision dossier as a pure model (onboarding/dossier.ts) and its two renderings: what an approver
 * at each kind of step sees about the department, the services, the history, the test counts and the
 * co-approver, with times in IST.
 */

const hod: DecisionRecord = {
  role: 'competentAuthority',
  decision: 'approve',
  decidedAt: '2026-11-23T05:00:00.000Z',
  by: { name: 'R. K. Singh', email: 'hod@rev.example' },
};
const returned: DecisionRecord = {
  role: 'etaalNodalContact',
  decision: 'return',
  comment: 'Please describe the <fees>.',
  decidedAt: '2026-11-24T09:15:00.000Z',
  by: {
    name: 'Meera Iyer',
    email: 'deputy@degs.example',
    onBehalfOf: { name: 'Anil Kumar', email: 'etaal.nodal@degs.example' },
  },
};
const counted: DecisionRecord = {
  role: 'system',
  decision: 'approve',
  decidedAt: '2026-11-30T06:00:00.000Z',
};

const withSteps = (steps: Record<string, Partial<StepState>>, overrides: Partial<Onboarding> = {}) => {
  const base = onboardingFixture(overrides);
  return { ...base, steps: { ...base.steps, ...steps } } as Onboarding;
};

const coded = [
  { serviceName: 'Birth certificate', serviceCode: 'DL-REV-0001' },
  { serviceName: 'Trade licence', serviceCode: 'DL-REV-0002' },
];

describe('the decision dossier', () => {
  it('at step 4 round 2: the full templates, the HoD sign-off and the earlier return, with who and when in IST', () => {
    const onboarding = withSteps(
      { '3': { decisions: [hod] }, '4': { decisions: [returned] } },
      { templates: [template('Birth certificate', { deliveryMode: 'OCe' }), template('Trade licence')] },
    );

    const dossier = buildDossier({ onboarding, step: 4, role: 'etaalNodalContact' });

    expect(dossier.section).toBe('templates');
    expect(dossier.services.map((s) => s.template?.deliveryMode)).toEqual(['OCe', 'Online']);
    expect(dossier.history.map((d) => [d.step, d.verb, d.who, d.at, d.comment])).toEqual([
      [
        3,
        'Approved',
        'R. K. Singh <hod@rev.example>, Competent authority (HoD)',
        'Mon 23 Nov 2026, 10:30 IST',
        undefined,
      ],
      [
        4,
        'Returned for amendments',
        'Meera Iyer <deputy@degs.example> on behalf of Anil Kumar <etaal.nodal@degs.example>, e-Taal Nodal Contact',
        'Tue 24 Nov 2026, 14:45 IST',
        'Please describe the <fees>.',
      ],
    ]);
    expect(dossier.testCounts).toBeUndefined();
    expect(dossier.coApprovers).toBeUndefined();
  });

  it('names the role when a decision has no person (the system, or recorded before persons)', () => {
    const onboarding = withSteps({
      '8': { decisions: [counted] },
      '3': { decisions: [{ ...hod, by: undefined }] },
    });

    const { history } = buildDossier({ onboarding, step: 9, role: 'degsTechnical' });

    expect(history.map((d) => d.who)).toEqual(['Competent authority (HoD)', 'DeGS (automatic)']);
  });

  it('at step 9: test counts per service, a service with none flagged', () => {
    const onboarding = withSteps({}, { services: coded });

    const dossier = buildDossier({
      onboarding,
      step: 9,
      role: 'degsTechnical',
      testCounts: [
        { serviceCode: 'DL-REV-0001', date: '2026-11-29', locationCode: 'L1', count: 5 },
        { serviceCode: 'DL-REV-0001', date: '2026-11-30', locationCode: 'L1', count: 7 },
        { serviceCode: 'DL-REV-0001', date: '2026-11-30', locationCode: 'L2', count: 1 },
      ],
    });

    expect(dossier.testCounts).toEqual([
      {
        serviceName: 'Birth certificate',
        serviceCode: 'DL-REV-0001',
        received: true,
        days: 2,
        locations: 2,
        total: 13,
        firstDate: '2026-11-29',
        lastDate: '2026-11-30',
        counts: [
          { date: '2026-11-29', locationCode: 'L1', count: 5 },
          { date: '2026-11-30', locationCode: 'L1', count: 7 },
          { date: '2026-11-30', locationCode: 'L2', count: 1 },
        ],
      },
      {
        serviceName: 'Trade licence',
        serviceCode: 'DL-REV-0002',
        received: false,
        days: 0,
        locations: 0,
        total: 0,
        counts: [],
      },
    ]);
  });

  it("at step 10: the co-approver's status, waiting then decided; their decision is not history", () => {
    const nodal: DecisionRecord = {
      role: 'etaalNodalContact',
      decision: 'approve',
      comment: 'Examined.',
      decidedAt: '2026-12-01T10:00:00.000Z',
      by: { name: 'Anil Kumar', email: 'etaal.nodal@degs.example' },
    };

    const before = buildDossier({
      onboarding: withSteps({}, { services: coded }),
      step: 10,
      role: 'stateCommittee',
    });
    const after = buildDossier({
      onboarding: withSteps({ '10': { decisions: [nodal] } }, { services: coded }),
      step: 10,
      role: 'stateCommittee',
    });

    expect(before.coApprovers).toEqual([
      { role: 'etaalNodalContact', roleLabel: 'e-Taal Nodal Contact', status: 'waiting' },
    ]);
    expect(after.coApprovers?.[0]).toMatchObject({
      status: 'approved',
      decision: { who: 'Anil Kumar <etaal.nodal@degs.example>, e-Taal Nodal Contact', comment: 'Examined.' },
    });
    expect(after.history).toEqual([]);
    const nodalView = buildDossier({
      onboarding: withSteps({}, { services: coded }),
      step: 10,
      role: 'etaalNodalContact',
    });
    expect(nodalView.coApprovers?.map((c) => c.role)).toEqual(['stateCommittee']);
  });

  it('at step 12: the state-level decisions, as the step module asks', () => {
    const state: DecisionRecord = {
      role: 'stateCommittee',
      decision: 'approve',
      decidedAt: '2026-12-02T10:00:00.000Z',
    };
    const onboarding = withSteps(
      { '10': { decisions: [state] }, '3': { decisions: [hod] } },
      { services: coded },
    );

    const dossier = buildDossier({ onboarding, step: 12, role: 'centralCommittee' });

    expect(dossier.recap?.heading).toContain('State-level decisions');
    expect(dossier.recap?.decisions.map((d) => d.roleLabel)).toEqual(['State Committee']);
    expect(dossier.coApprovers).toBeUndefined();
  });
});

describe('the dossier rendered', () => {
  const onboarding = withSteps(
    { '3': { decisions: [hod] }, '4': { decisions: [returned] } },
    { services: coded, templates: [template('Birth certificate'), template('Trade licence')] },
  );

  it('as email blocks: the same facts in text and escaped HTML', () => {
    const dossier = buildDossier({ onboarding, step: 4, role: 'etaalNodalContact' });
    const email = waitEmail({
      onboarding,
      phase: 'review',
      dueAt: '2026-11-25T18:29:00.000Z',
      escalations: 0,
      approvalUrl: 'https://api.example.test/approvals/abc',
      baseUrl: 'https://api.example.test',
      dossier: dossierBlocks(dossier),
    });

    expect(email.text).toContain('History: earlier decisions');
    expect(email.text).toContain('Tue 24 Nov 2026, 14:45 IST');
    expect(email.text).toContain('on behalf of Anil Kumar');
    expect(email.text).toContain('Please describe the <fees>.');
    expect(email.text).toContain('Service Description: service0 service1');
    expect(email.html).toContain('Please describe the &lt;fees&gt;.');
    expect(email.html).not.toContain('<fees>');
  });

  it('as page HTML: the flagged silent service, and the signed copy linked from the HoD sign-off', () => {
    const step9 = buildDossier({ onboarding, step: 9, role: 'degsTechnical', testCounts: [] });
    const page = dossierSection(step9, { url: 'abc/signed.pdf', line: 'signed by CN=R K Singh' }).toString();

    expect(page).toContain('2 of 2 service(s) sent no test counts: Birth certificate, Trade licence.');
    expect(page).toContain('<tr class="flagged">');
    expect(page).toContain('NONE RECEIVED');
    expect(page).toMatch(
      /Approved<br><a href="abc\/signed.pdf" download>Signed copy \(PDF\)<\/a>: signed by CN=R K Singh/,
    );
  });

  it('on the open page: the reject radio says it ends the onboarding, before the click', () => {
    const record = approvalRecordFixture({ onboardingId: onboarding.onboardingId });

    const page = openPage(
      record,
      { dossier: buildDossier({ onboarding, step: 4, role: 'etaalNodalContact' }) },
      'n',
    );

    expect(page).toContain('Reject: this ends the onboarding');
    expect(page).toContain('Revenue Department</strong> (REV)');
    expect(page).toContain('Mon 23 Nov 2026, 10:30 IST');
  });
});
