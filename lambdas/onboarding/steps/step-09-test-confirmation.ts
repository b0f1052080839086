import type { StepModule } from './types';

/** SoP step 9: DeGS checks the test counts received and confirms the integration test (or rejects). */
const NUMBER = 9;

export const step09: StepModule = {
  number: NUMBER,
  waits: [
    {
      phase: 'testConfirmation',
      role: 'degsTechnical',
      kind: 'approval',
      choices: ['approve', 'reject'],
      action: 'Check the test counts received from the department and confirm the integration test.',
    },
  ],
  page: { section: 'servicesWithTestCounts', approveLabel: 'Confirm the integration test' },
};
