import { describe, expect, it } from 'vitest';
import { integrationKit } from '../../lambdas/integration/kit';
import { rejectionEmail } from '../../lambdas/onboarding/emails';
import { templateRequestEmail } from '../../lambdas/onboarding/steps/step-02-template-request';
import { handOverEmail } from '../../lambdas/onboarding/steps/step-07-hand-over';
import { escalationEmail, waitEmail } from '../../lambdas/onboarding/wait-emails';
import { onboardingFixture } from './fixtures';

const HOSTILE = '<img src=x onerror=alert(1)> & "licence"';
const onboarding = onboardingFixture({
  services: [
    { serviceName: HOSTILE, serviceCode: 'DL-REV-0001' },
    { serviceName: 'Trade licence', serviceCode: 'DL-REV-0002' },
  ],
});
const BASE = 'https://api.example.test';
const DUE = '2026-11-25T18:29:59.000Z';

describe('workflow emails', () => {
  it('escape department text in HTML and keep it readable in the text part', () => {
    const email = waitEmail({
      onboarding,
      phase: 'review',
      dueAt: DUE,
      escalations: 0,
      approvalUrl: `${BASE}/approvals/abc`,
      baseUrl: BASE,
    });
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;licence&quot;');
    expect(email.text).toContain(HOSTILE);
  });

  it('say the step, what to do and the due date in IST', () => {
    const email = waitEmail({
      onboarding,
      phase: 'review',
      dueAt: DUE,
      escalations: 0,
      approvalUrl: `${BASE}/approvals/abc`,
      baseUrl: BASE,
    });
    expect(email.subject).toContain('Step 4 of 12: Review by e-Taal Nodal Contact');
    expect(email.text).toContain('Due by Wed 25 Nov 2026, 23:59 IST');
    expect(email.text).toContain('return them for amendments');
    expect(email.text).toContain(`${BASE}/approvals/abc`);
  });

  it('mark reminders and pass on the e-Taal Nodal Contact comment (escaped) with an amendment request', () => {
    const email = waitEmail({
      onboarding,
      phase: 'resubmission',
      dueAt: DUE,
      escalations: 1,
      returned: { role: 'etaalNodalContact', comment: '<b>Shorter</b> names' },
      baseUrl: BASE,
    });
    expect(email.subject).toContain('REMINDER');
    expect(email.html).toContain('&lt;b&gt;Shorter&lt;/b&gt; names');
    expect(email.text).toContain('Comments of the e-Taal Nodal Contact');
    // The exact request, as text: a bare link would only GET the URL.
    expect(email.text).toContain(`PUT ${BASE}/v1/onboardings/${onboarding.onboardingId}/templates`);
    expect(email.text).toContain(`curl -X PUT '${BASE}/v1/onboardings/${onboarding.onboardingId}/templates'`);
    expect(email.html).not.toContain(`href="${BASE}/v1/onboardings/`);
  });

  it('step 2 lists the template fields, rules and both ways to submit', () => {
    const email = templateRequestEmail(onboarding, BASE, DUE);
    for (const text of [
      'serviceDescription',
      '100 to 500 words',
      'Online or OCe',
      'G2C, G2B, B2C, G2G',
      'text/csv',
      'application/json',
    ]) {
      expect(email.text).toContain(text);
    }
  });

  it('step 7 hands over each code, the web-service URL and the integration steps', () => {
    const kit = integrationKit({
      baseUrl: BASE,
      services: [
        { serviceName: 'Birth certificate', serviceCode: 'DL-REV-0001' },
        { serviceName: 'Domicile', serviceCode: 'DL-REV-0002' },
      ],
      contact: { name: 'DeGS Technical team', emails: ['degs.tech@degs.example'], phone: '+91 11 2345 6789' },
      exampleDate: '2026-04-01',
    });
    const email = handOverEmail(onboarding, kit, DUE);
    expect(email.text).toContain('DL-REV-0001');
    expect(email.text).toContain('DL-REV-0002');
    expect(email.text).toContain(`${BASE}/v1/counts`);
    expect(email.text).toContain(`${BASE}/docs`);
    expect(email.text).toContain('Idempotency-Key');
    expect(email.text).toContain('locationCode');
    expect(email.text).toContain('DeGS Technical team: degs.tech@degs.example, phone +91 11 2345 6789');
    expect(email.text).toContain(`Invoke-RestMethod -Method Put -Uri '${BASE}/v1/counts'`);
    expect(email.text).toContain('"serviceCode":"DL-REV-0002","date":"2026-04-01"');
    expect(email.html).toContain('<pre>curl -X PUT');
  });

  it('the escalation copy says whether the onboarding is now STALLED; the rejection gives the reason', () => {
    const stalled = escalationEmail({
      onboarding,
      phase: 'registration',
      previousDueAt: DUE,
      dueAt: DUE,
      escalations: 3,
      limit: 3,
      stalled: true,
    });
    expect(stalled.text).toContain('STALLED');
    expect(stalled.text).toContain('DeGS Technical team');
    expect(rejectionEmail(onboarding, 'Out of scope').text).toContain('Out of scope');
  });
});
