import { ROLES } from '../../core/sop';
import type { Onboarding } from '../../core/workflow';
import { compose, type Email, paragraph, templatesTable } from '../emails';
import type { StepModule } from './types';

/** SoP step 5 (automatic): the approved templates go to the DeGS Technical team. */
const NUMBER = 5;

export function approvedTemplatesEmail(onboarding: Onboarding): Email {
  return compose(onboarding, NUMBER, 'approved templates', [
    paragraph(
      `The ${ROLES.etaalNodalContact} approved these service-details templates. You will receive a separate link to register the services (step 6).`,
    ),
    templatesTable(onboarding.templates ?? []),
  ]);
}

export const step05: StepModule = {
  number: NUMBER,
  notify: { recipient: 'degsTechnical', compose: (onboarding) => approvedTemplatesEmail(onboarding) },
};
