import { describe, expect, it } from 'vitest';
import type { Role } from '../../lambdas/core/sop';
import { waitingForView } from '../../lambdas/onboarding/api/view';
import type { PendingLink } from '../../lambdas/onboarding/ports';
import { currentWaits } from '../../lambdas/onboarding/waiting';
import { onboardingFixture } from './fixtures';

const ID = '0b0b0b0b-0000-8000-8000-000000000001';
const started = '2026-11-20T04:30:00.000Z';
const due = '2026-11-27T18:29:59.000Z';
const contacts: Record<string, { name: string; email: string }[]> = {
  etaalNodalContact: [{ name: 'e-Taal Nodal Contact', email: 'nodal.team@degs.example' }],
  stateCommittee: [{ name: 'State Committee', email: 'state@degs.example' }],
  department: [{ name: 'Nodal Officer', email: 'nodal@dept.example' }],
};
const byRole = (role: Role) => contacts[role] ?? [];

const link = (step: number, role: Role, extra: Partial<PendingLink> = {}): PendingLink => ({
  onboardingId: ID,
  step: step as PendingLink['step'],
  role,
  createdAt: '2026-11-21T05:00:00.000Z',
  expiresAt: due,
  ...extra,
});

describe('who an onboarding waits for', () => {
  it('names the persons the pending links went to, since the first link, with the due date', () => {
    const onboarding = onboardingFixture({
      currentStep: 4,
      steps: { ...onboardingFixture().steps, '4': { startedAt: started, dueAt: due, phase: 'review' } },
    });
    const links = [
      link(4, 'etaalNodalContact', {
        recipient: { name: 'Ritu Sharma', email: 'ritu.sharma@delhi.gov.in' },
        createdAt: '2026-11-21T06:00:00.000Z',
      }),
      link(4, 'etaalNodalContact', { recipient: { name: 'Amit Rao', email: 'amit.rao@delhi.gov.in' } }),
    ];

    const waits = currentWaits(onboarding, new Date('2026-11-25T00:00:00Z'), links, byRole);

    expect(waits).toEqual([
      {
        step: 4,
        stepTitle: 'Review by e-Taal Nodal Contact',
        role: 'etaalNodalContact',
        label: 'e-Taal Nodal Contact',
        phase: 'review',
        persons: [
          { name: 'Amit Rao', email: 'amit.rao@delhi.gov.in' },
          { name: 'Ritu Sharma', email: 'ritu.sharma@delhi.gov.in' },
        ],
        byLink: true,
        since: '2026-11-21T05:00:00.000Z',
        dueAt: due,
        overdue: false,
      },
    ]);
    expect(waitingForView(waits)[0]).toMatchObject({
      persons: [
        { name: 'Amit Rao', email: 'a•••@delhi.gov.in' },
        { name: 'Ritu Sharma', email: 'r•••@delhi.gov.in' },
      ],
      sinceIst: 'Sat 21 Nov 2026, 10:30 IST',
      dueAtIst: 'Fri 27 Nov 2026, 23:59 IST',
    });
  });

  it("falls back to the role's contacts when a link names nobody, and to the nodal officer for templates", () => {
    const review = onboardingFixture({
      currentStep: 4,
      steps: { ...onboardingFixture().steps, '4': { startedAt: started, dueAt: due, phase: 'review' } },
    });
    const templates = onboardingFixture({
      currentStep: 3,
      steps: { ...onboardingFixture().steps, '3': { startedAt: started, dueAt: due, phase: 'templates' } },
    });
    const now = new Date('2026-11-25T00:00:00Z');

    expect(currentWaits(review, now, [link(4, 'etaalNodalContact')], byRole)[0]?.persons).toEqual(
      contacts.etaalNodalContact,
    );
    expect(currentWaits(templates, now, [], byRole)[0]).toMatchObject({
      role: 'department',
      persons: contacts.department,
      byLink: false,
      since: started,
    });
  });

  it('lists both approvers of step 10 until each has approved, and flags a passed due date', () => {
    const onboarding = onboardingFixture({
      currentStep: 10,
      steps: {
        ...onboardingFixture().steps,
        '10': {
          startedAt: started,
          dueAt: due,
          decisions: [{ role: 'etaalNodalContact', decision: 'approve', decidedAt: started }],
        },
      },
    });

    const waits = currentWaits(onboarding, new Date('2026-11-28T00:00:00Z'), [], byRole);

    expect(waits.map((w) => [w.role, w.phase, w.overdue])).toEqual([
      ['stateCommittee', 'stateApproval', true],
    ]);
  });

  it('waits for nobody once the onboarding is live, or rejected at a step that never completed', () => {
    const live = onboardingFixture({ status: 'LIVE', currentStep: 12 });
    const rejected = onboardingFixture({
      status: 'REJECTED',
      currentStep: 4,
      steps: { ...onboardingFixture().steps, '4': { startedAt: started, dueAt: due, phase: 'review' } },
    });
    expect(currentWaits(live, new Date(), [], byRole)).toEqual([]);
    expect(currentWaits(rejected, new Date('2026-11-25T00:00:00Z'), [], byRole)).toEqual([]);
  });
});
