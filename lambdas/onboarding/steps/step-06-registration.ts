import type { StepModule } from './types';

/**
 * SoP step 6: DeGS registers the services ("Register services", wait `registration`); approving issues
 * one Government Service Code per service (the workflow action `issueCodes`: tasks/outcomes.ts,
 * service-codes.ts).
 */
const NUMBER = 6;

export const step06: StepModule = {
  number: NUMBER,
  waits: [
    {
      phase: 'registration',
      role: 'degsTechnical',
      kind: 'approval',
      choices: ['approve'],
      action:
        'Register the services onto the e-Taal Portal: choose "Register services" and the system issues one Government Service Code per service.',
    },
  ],
  approvedState: { name: 'Issue Service Codes', action: 'issueCodes' },
  page: { section: 'servicesToRegister', approveLabel: 'Register services and generate Service Codes' },
};
