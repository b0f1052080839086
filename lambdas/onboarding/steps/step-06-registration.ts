import type { StepModule } from './types';

/**
 * SoP step 6: DeGS registers the services ("Register services", wait `registration`); approving issues
 * one Government Service Code per service (tasks/transition.ts `issueCodes`, service-codes.ts).
 */
export const step06: StepModule = {
  number: 6,
  page: { section: 'servicesToRegister', approveLabel: 'Register services and generate Service Codes' },
};
