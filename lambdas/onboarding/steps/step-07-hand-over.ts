import type { Onboarding } from '../../core/workflow';
import { codesTable, compose, due, type Email, heading, list, paragraph } from '../emails';
import type { StepModule } from './types';

/** SoP step 7 (automatic): the codes, the Web-Service URL and the integration steps, to the nodal officer. */
const NUMBER = 7;

export function handOverEmail(onboarding: Onboarding, baseUrl: string, integrationDueAt: string): Email {
  return compose(onboarding, NUMBER, 'your Government Service Codes', [
    paragraph(
      `Dear ${onboarding.nodalOfficer.name}, your services are registered. Each has a unique Government Service Code:`,
    ),
    codesTable(onboarding),
    heading('Web-Service URL'),
    paragraph(`${baseUrl}/v1/counts`),
    heading('Integration steps'),
    list([
      'Use your department API key in the x-api-key header of every request (keep it secret; ask DeGS for a new one if it leaks).',
      `Send each day's e-transaction totals per service: PUT ${baseUrl}/v1/counts with Content-Type: application/json and {"counts": [{"serviceCode": "<code>", "date": "YYYY-MM-DD", "count": 123, "locationCode": "0"}]}.`,
      'Send an Idempotency-Key header (e.g. a UUID) so a retried request is applied only once; a later PUT for the same service, date and location replaces the total.',
      `Start with test counts now: step 8 completes when the first test counts arrive. DeGS Technical then confirms the test (step 9).`,
      `Read back what was stored with GET ${baseUrl}/v1/counts?serviceCode=<code>&from=YYYY-MM-DD&to=YYYY-MM-DD.`,
      'API document: the "Count API" section of the e-Taal Delhi README (docs/ in the e-Taal Delhi repository), available from the DeGS Technical team.',
    ]),
    due(integrationDueAt),
  ]);
}

export const step07: StepModule = {
  number: NUMBER,
  notify: {
    recipient: 'department',
    needsNextStepDueAt: true,
    compose: (onboarding, { baseUrl, nextStepDueAt }) => handOverEmail(onboarding, baseUrl, nextStepDueAt),
  },
};
