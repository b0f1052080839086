import type { StepModule } from './types';

/** SoP step 1: the department lists its services (POST /v1/onboardings); nothing specific runs here. */
export const step01: StepModule = {
  number: 1,
  completedBeforeExecution:
    'Completed by POST /v1/onboardings (services listed, nodal officer nominated) before this execution starts.',
};
