import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../lambdas/approvals/approval';
import { mootness } from '../../lambdas/approvals/moot';
import { alreadyCompletePage, decidedPage, openPage, pendingResumePage } from '../../lambdas/approvals/pages';
import type { Onboarding } from '../../lambdas/core/workflow';
import { buildDossier } from '../../lambdas/onboarding/dossier';
import { onboardingFixture } from '../onboarding/fixtures';
import { approvalRecordFixture } from './fixtures';

const record = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord =>
  approvalRecordFixture({ step: 9, role: 'degsTechnical', choices: ['approve'], ...overrides });

const onboarding = onboardingFixture({
  departmentName: 'MCD',
  services: [{ serviceName: 'Trade licence', serviceCode: 'DL-MCD-0001' }],
});
const subject = (step: 4 | 9, testCounts = []) => ({
  dossier: buildDossier({
    onboarding,
    step,
    role: step === 9 ? 'degsTechnical' : 'etaalNodalContact',
    testCounts,
  }),
});

describe('approval pages', () => {
  it('says so plainly when no test counts have arrived for step 9', () => {
    const page = openPage(record(), subject(9), 'nonce-1');

    expect(page).toContain('1 of 1 service(s) sent no test counts: Trade licence.');
    expect(page).toContain('Confirm the integration test');
    expect(page).toContain('Respond by</dt><dd>Fri 27 Nov 2026, 18:00 IST');
  });

  it('has a form that only a person submits: no script, POST to the same URL, nonce hidden, nothing preselected', () => {
    const page = openPage(
      record({ step: 4, role: 'etaalNodalContact', choices: ['approve', 'return', 'reject'] }),
      subject(4),
      'nonce-1',
    );

    expect(page).not.toMatch(/<script|onload|onclick|http-equiv="refresh"/i);
    expect(page).toContain('<form method="post" accept-charset="utf-8">');
    expect(page).not.toMatch(/<form[^>]*action=/);
    expect(page).toContain('<input type="hidden" name="nonce" value="nonce-1">');
    expect(page.match(/type="radio"/g)).toHaveLength(3);
    expect(page).not.toContain('checked');
    expect(page).not.toContain('secret-task-token');
  });

  it('escapes a recorded comment wherever it is shown, including the retry form field', () => {
    const decision = {
      decision: 'reject',
      comment: '"><script>alert(1)</script>',
      role: 'degsTechnical',
      decidedAt: '2026-11-26T05:00:00.000Z',
    } as const;

    const retry = pendingResumePage(record({ status: 'decided', decision }), decision, 'nonce-1');
    const decided = decidedPage(record({ status: 'decided', decision }), decision, false);

    expect(retry).toContain('name="comment" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(decided).toContain('<dd>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</dd>');
    expect(decided).toContain('<dd>Rejected</dd>');
    expect(decided).toContain('<dd>DeGS Technical team</dd>');
    expect(decided).toContain('<dd>Thu 26 Nov 2026, 10:30 IST</dd>');
    expect(`${retry}${decided}`).not.toContain('<script>');
  });

  it('says what a decision just did: a rejection ends the onboarding, the final approval makes the services live', () => {
    const at = '2026-11-26T05:00:00.000Z';
    const rejected = decidedPage(
      record(),
      { decision: 'reject', role: 'degsTechnical', decidedAt: at },
      true,
    );
    const live = decidedPage(
      record({ step: 12, role: 'centralCommittee' }),
      { decision: 'approve', role: 'centralCommittee', decidedAt: at },
      true,
    );
    const continues = decidedPage(
      record(),
      { decision: 'approve', role: 'degsTechnical', decidedAt: at },
      true,
    );

    expect(rejected).toContain('The onboarding has ended');
    expect(rejected).not.toContain('continues');
    expect(live).toContain('The services are live');
    expect(continues).toContain('The onboarding continues');
  });

  it('shows a moot link as already complete, with no form: a step completed another way, an ended onboarding', () => {
    const completedAt = '2026-11-30T06:00:00.000Z';
    const byCounts = {
      ...onboarding,
      steps: {
        ...onboarding.steps,
        '8': { completedAt, decisions: [{ role: 'system', decision: 'approve', decidedAt: completedAt }] },
      },
    } as Onboarding;
    const step8 = record({ step: 8 });

    const moot = mootness(step8, byCounts);
    const ended = mootness(record(), { ...onboarding, status: 'REJECTED', rejectedAt: completedAt });

    expect(mootness(record(), onboarding)).toBeUndefined();
    // A link issued after the step completed (the onboarding reopened there) is the step's new wait.
    expect(mootness(record({ step: 8, createdAt: '2026-12-01T00:00:00.000Z' }), byCounts)).toBeUndefined();
    expect(moot).toMatchObject({ kind: 'stepComplete', by: { who: 'DeGS (automatic)' } });
    const page = alreadyCompletePage(step8, moot as NonNullable<typeof moot>);
    expect(page).toContain(
      'This step is already complete: approved by DeGS (automatic) on Mon 30 Nov 2026, 11:30 IST',
    );
    expect(page).not.toContain('<form');
    expect(alreadyCompletePage(record(), ended as NonNullable<typeof ended>)).toContain(
      'This onboarding has already ended: it was rejected on Mon 30 Nov 2026, 11:30 IST',
    );
  });
});
