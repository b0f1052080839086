import type { StepModule, WaitDeclaration } from './types';

/**
 * SoP step 10: two approvals at state level, in parallel (waits `nodalApproval` and `stateApproval`,
 * both `concurrent`); the step completes when both approved (core/sop.ts completion roles).
 */
const NUMBER = 10;

const STATE_LEVEL = {
  concurrent: true,
  kind: 'approval',
  choices: ['approve', 'reject'],
  action: "Examine the department's integrated services and approve them at state level, or reject them.",
} as const satisfies Partial<WaitDeclaration>;

export const step10: StepModule = {
  number: NUMBER,
  waits: [
    { phase: 'nodalApproval', role: 'etaalNodalContact', ...STATE_LEVEL },
    { phase: 'stateApproval', role: 'stateCommittee', ...STATE_LEVEL },
  ],
  page: { section: 'servicesWithCodes' },
};
