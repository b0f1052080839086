import type { StepModule } from './types';

/**
 * SoP step 10: two approvals at state level, in parallel (waits `nodalApproval` and `stateApproval`,
 * both `concurrent`); the step completes when both approved (core/sop.ts completion roles).
 */
export const step10: StepModule = { number: 10, page: { section: 'servicesWithCodes' } };
