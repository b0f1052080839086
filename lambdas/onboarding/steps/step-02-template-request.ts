import {
  DELIVERY_MODES,
  MAX_SERVICES_PER_SUBMISSION,
  SERVICE_CATEGORIES,
  SERVICE_DESCRIPTION_WORDS,
  SERVICE_NAME_CHARS,
  SERVICE_TEMPLATE_FIELDS,
} from '../../core/template';
import type { Onboarding } from '../../core/workflow';
import { compose, due, type Email, heading, list, paragraph, serviceNames } from '../emails';
import type { StepModule } from './types';

/** SoP step 2 (automatic): the template, its rules and how to submit it, to the nodal officer. */
const NUMBER = 2;

export function templateRequestEmail(onboarding: Onboarding, baseUrl: string, dueAt: string): Email {
  const url = `${baseUrl}/v1/onboardings/${onboarding.onboardingId}/templates`;
  const f = SERVICE_TEMPLATE_FIELDS;
  return compose(onboarding, NUMBER, 'please fill in the service-details template', [
    paragraph(
      `Dear ${onboarding.nodalOfficer.name}, please fill in the DeGS service-details template for each service your department listed, have it approved (signed) by your competent authority, and submit it.`,
    ),
    heading('Your services'),
    serviceNames(onboarding),
    heading('Template fields and rules'),
    list([
      `serviceName (${f.serviceName}): exactly as listed above, ${SERVICE_NAME_CHARS.min}-${SERVICE_NAME_CHARS.max} characters.`,
      `serviceDescription (${f.serviceDescription}): ${SERVICE_DESCRIPTION_WORDS.min} to ${SERVICE_DESCRIPTION_WORDS.max} words (words are whitespace-separated).`,
      `deliveryMode (${f.deliveryMode}): ${DELIVERY_MODES.join(' or ')} (OCe = over-the-counter electronic transaction).`,
      `category (${f.category}): one of ${SERVICE_CATEGORIES.join(', ')}.`,
      `missionModeProject (${f.missionModeProject}): true or false (in CSV also yes or no).`,
    ]),
    heading('How to submit'),
    list([
      `PUT ${url} with your department API key in the x-api-key header.`,
      'JSON (Content-Type: application/json): {"services": [{"serviceName": "...", "serviceDescription": "...", "deliveryMode": "Online", "category": "G2C", "missionModeProject": false}]}',
      'CSV (Content-Type: text/csv): a header row serviceName,serviceDescription,deliveryMode,category,missionModeProject then one row per service; quote fields that contain commas.',
      `One template per listed service (at most ${MAX_SERVICES_PER_SUBMISSION} per submission). Errors name each field (for CSV: row and column).`,
      `After you submit, your competent authority (${onboarding.competentAuthority.name}) receives a link to approve the templates.`,
    ]),
    due(dueAt),
  ]);
}

export const step02: StepModule = {
  number: NUMBER,
  notify: {
    recipient: 'department',
    needsNextStepDueAt: true,
    compose: (onboarding, { baseUrl, nextStepDueAt }) =>
      templateRequestEmail(onboarding, baseUrl, nextStepDueAt),
  },
};
