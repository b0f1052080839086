import { ROLES } from '../../core/sop';
import type { Onboarding } from '../../core/workflow';
import { codesTable, compose, type Email, paragraph, templatesTable } from '../emails';
import type { StepModule } from './types';

/** SoP step 11 (automatic): the service details go to the e-Taal Central Team. */
const NUMBER = 11;

export function centralTeamEmail(onboarding: Onboarding): Email {
  return compose(onboarding, NUMBER, 'service details for national e-Taal', [
    paragraph(
      `The ${ROLES.stateCommittee} approved these services at state level. Their details, for the ${ROLES.centralCommittee}'s approval (step 12):`,
    ),
    codesTable(onboarding),
    templatesTable(onboarding.templates ?? []),
  ]);
}

export const step11: StepModule = {
  number: NUMBER,
  notify: { recipient: 'etaalCentralTeam', compose: (onboarding) => centralTeamEmail(onboarding) },
};
