import type { StepModule } from './types';

/**
 * SoP step 3: the department submits its templates (wait `templates`), then its HoD signs them off
 * (wait `hodApproval`). Waits: core/workflow.ts WAITS; submission: api/submit-templates.ts.
 */
export const step03: StepModule = {
  number: 3,
  page: { section: 'templates', approveLabel: 'Approve (sign) the service details' },
};
