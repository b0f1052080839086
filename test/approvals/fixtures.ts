import type { ApprovalRecord } from '../../lambdas/approvals/approval';

/** A pending step-4 review link; override what a test is about. */
export const approvalRecordFixture = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  approvalHash: 'h'.repeat(64),
  onboardingId: 'onb-1',
  departmentId: 'dept-1',
  step: 4,
  role: 'etaalNodalContact',
  choices: ['approve', 'return', 'reject'],
  taskToken: 'secret-task-token',
  expiresAt: '2026-11-27T12:30:00.000Z',
  expiresAtEpoch: Date.parse('2026-11-27T12:30:00.000Z') / 1000,
  status: 'pending',
  createdAt: '2026-11-25T12:30:00.000Z',
  nonceSalt: 'salt',
  ...overrides,
});
