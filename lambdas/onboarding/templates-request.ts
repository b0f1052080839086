import { ROLES } from '../core/sop';
import { SERVICE_TEMPLATE_FIELDS } from '../core/template';
import type { Onboarding } from '../core/workflow';
import { html } from '../shared/html';
import { type Block, heading, paragraph } from './emails';

/**
 * The exact request that (re)submits templates, as text a department can copy: method, URL, headers and
 * a ready-to-run curl command. An email link would only GET the URL (and be refused): the submission is
 * a PUT with the department's key, so the email says so in full.
 */
export function templatesUrl(onboarding: Pick<Onboarding, 'onboardingId'>, baseUrl: string): string {
  return `${baseUrl}/v1/onboardings/${onboarding.onboardingId}/templates`;
}

export function submitRequestLines(onboarding: Pick<Onboarding, 'onboardingId'>, baseUrl: string): string[] {
  const url = templatesUrl(onboarding, baseUrl);
  const header = Object.keys(SERVICE_TEMPLATE_FIELDS).join(',');
  return [
    `PUT ${url}`,
    'x-api-key: <your department API key>',
    'Content-Type: text/csv (or application/json)',
    '',
    `CSV: a header row ${header}, then one row per service (every service, amended or not).`,
    'JSON: {"services": [{"serviceName": "...", "serviceDescription": "...", "deliveryMode": "Online", "category": "G2C", "missionModeProject": false}]}',
    '',
    'For example, with curl and the amended templates in templates.csv:',
    `curl -X PUT '${url}' -H "x-api-key: $ETAAL_API_KEY" -H 'content-type: text/csv' --data-binary @templates.csv`,
  ];
}

/** The request, for an email asking the department to (re)submit. */
export function submitRequestBlocks(onboarding: Pick<Onboarding, 'onboardingId'>, baseUrl: string): Block[] {
  const lines = submitRequestLines(onboarding, baseUrl);
  return [
    heading('The request to send'),
    paragraph(
      'Send this request (a PUT, not a page to open in the browser); the whole set of templates replaces the earlier version:',
    ),
    { html: html`<pre>${lines.join('\n')}</pre>`, text: lines.map((l) => (l ? `    ${l}` : '')).join('\n') },
  ];
}

/** The 202's `next` for a version that replaced one awaiting the HoD (steps 3 and 4). */
export function replacementNext(replacedVersion: number): string {
  return `This version replaces version ${replacedVersion}, which was awaiting your ${ROLES.competentAuthority}: the earlier approval link no longer works, and a new one for this version is on its way (the deadline is unchanged).`;
}
