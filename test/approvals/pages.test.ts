import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../lambdas/approvals/approval';
import { decidedPage, openPage, pendingResumePage } from '../../lambdas/approvals/pages';

const record = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  approvalHash: 'h'.repeat(64),
  onboardingId: 'onb-1',
  departmentId: 'dept-1',
  step: 9,
  role: 'degsTechnical',
  choices: ['approve'],
  taskToken: 'secret-task-token',
  expiresAt: '2026-11-27T12:30:00.000Z',
  expiresAtEpoch: Date.parse('2026-11-27T12:30:00.000Z') / 1000,
  status: 'pending',
  createdAt: '2026-11-25T12:30:00.000Z',
  nonceSalt: 'salt',
  ...overrides,
});

const services = [
  { serviceName: 'Trade licence', serviceCode: 'DL-MCD-0001', category: 'G2B', deliveryMode: 'Online' },
];

describe('approval pages', () => {
  it('says so plainly when no test counts have arrived for step 9', () => {
    const page = openPage(record(), { departmentName: 'MCD', services, testCounts: [] }, 'nonce-1');

    expect(page).toContain('No test counts yet');
    expect(page).toContain('Confirm the integration test');
    expect(page).toContain('Respond by</dt><dd>Fri 27 Nov 2026, 18:00 IST');
  });

  it('has a form that only a person submits: no script, POST to the same URL, nonce hidden, nothing preselected', () => {
    const page = openPage(
      record({ step: 4, role: 'etaalNodalContact', choices: ['approve', 'return', 'reject'] }),
      { services },
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
});
