import type { StepModule } from './types';

/** SoP step 9: DeGS checks the test counts received and confirms the integration test (or rejects). */
export const step09: StepModule = {
  number: 9,
  page: { section: 'servicesWithTestCounts', approveLabel: 'Confirm the integration test' },
};
