import { formatIst } from '../core/calendar';
import { ROLES, type StepNumber, sopStep } from '../core/sop';
import {
  DELIVERY_MODES,
  MAX_SERVICES_PER_SUBMISSION,
  SERVICE_CATEGORIES,
  SERVICE_DESCRIPTION_WORDS,
  SERVICE_NAME_CHARS,
  SERVICE_TEMPLATE_FIELDS,
  type ServiceTemplate,
} from '../core/template';
import { type Onboarding, WAITS, type WaitPhase } from '../core/workflow';
import type { IntegrationKit, KitSection } from '../integration/kit';
import { html, type SafeHtml } from '../shared/html';

/**
 * The workflow's emails, as pure functions of the onboarding: subject, HTML and plain text. Every value
 * that came from a department (names, descriptions, comments) goes through the `html` template, which
 * escapes it. Links are only ever approval links from `issueApproval`; no task token appears here.
 */

export interface Email {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** One block of an email, rendered in both formats. */
interface Block {
  readonly html: SafeHtml;
  readonly text: string;
}

const paragraph = (text: string): Block => ({ html: html`<p>${text}</p>`, text });

function list(items: readonly string[]): Block {
  return {
    html: html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`,
    text: items.map((item) => `  - ${item}`).join('\n'),
  };
}

function link(label: string, url: string): Block {
  // The URL is ours (PUBLIC_BASE_URL + a random id), never department text: safe in href once escaped.
  return { html: html`<p><a href="${url}">${label}</a></p>`, text: `${label}: ${url}` };
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): Block {
  return {
    html: html`<table border="1" cellpadding="4" cellspacing="0"><thead><tr>${headers.map(
      (h) => html`<th>${h}</th>`,
    )}</tr></thead><tbody>${rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`,
    text: rows
      .map((row) => row.map((cell, i) => `${headers[i]}: ${cell}`).join('\n    '))
      .map((r) => `  * ${r}`)
      .join('\n'),
  };
}

function heading(text: string): Block {
  return { html: html`<h3>${text}</h3>`, text: `\n${text}\n${'-'.repeat(Math.min(text.length, 60))}` };
}

function compose(
  onboarding: Onboarding,
  step: StepNumber,
  subjectSuffix: string,
  blocks: readonly Block[],
): Email {
  const sop = sopStep(step);
  const title = `Step ${step} of 12: ${sop.title}`;
  const intro: Block = paragraph(
    `e-Taal onboarding of ${onboarding.departmentName} (${onboarding.departmentCode}), reference ${onboarding.onboardingId}.`,
  );
  const all = [
    intro,
    ...blocks,
    paragraph('This message was sent by e-Taal Delhi (Delhi e-Governance Society).'),
  ];
  return {
    subject: `e-Taal Delhi: ${title}${subjectSuffix ? ` - ${subjectSuffix}` : ''} (${onboarding.departmentCode})`,
    html: html`<!doctype html><html lang="en"><body style="font-family: sans-serif"><h2>${title}</h2>${all.map(
      (b) => b.html,
    )}</body></html>`.toString(),
    text: [title, '='.repeat(title.length), ...all.map((b) => b.text)].join('\n\n'),
  };
}

const due = (dueAt: string): Block => paragraph(`Due by ${formatIst(new Date(dueAt))} (SoP working days).`);

const serviceNames = (onboarding: Onboarding): Block => list(onboarding.services.map((s) => s.serviceName));

function templatesTable(templates: readonly ServiceTemplate[]): Block {
  return table(
    Object.values(SERVICE_TEMPLATE_FIELDS),
    templates.map((t) => [
      t.serviceName,
      t.serviceDescription,
      t.deliveryMode,
      t.category,
      t.missionModeProject ? 'Yes' : 'No',
    ]),
  );
}

function codesTable(onboarding: Onboarding): Block {
  return table(
    ['Service Name', 'Government Service Code'],
    onboarding.services.map((s) => [s.serviceName, s.serviceCode ?? '(not issued)']),
  );
}

// ---------------------------------------------------------------------------------------------------
// Step 2: the template, its rules and how to submit it

export function templateRequestEmail(onboarding: Onboarding, baseUrl: string, dueAt: string): Email {
  const url = `${baseUrl}/v1/onboardings/${onboarding.onboardingId}/templates`;
  const f = SERVICE_TEMPLATE_FIELDS;
  return compose(onboarding, 2, 'please fill in the service-details template', [
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

// ---------------------------------------------------------------------------------------------------
// A wait: the approval link, or the request to (re)submit templates

export interface WaitEmailInput {
  readonly onboarding: Onboarding;
  readonly phase: WaitPhase;
  readonly dueAt: string;
  /** How many times this wait has been escalated; from 1 on the email is a reminder. */
  readonly escalations: number;
  readonly approvalUrl?: string;
  /** The e-Taal Nodal Contact's comment, for an amendment request. */
  readonly returnComment?: string;
  readonly baseUrl: string;
}

export function waitEmail(input: WaitEmailInput): Email {
  const { onboarding, phase, dueAt, escalations, approvalUrl, returnComment, baseUrl } = input;
  const spec = WAITS[phase];
  const blocks: Block[] = [];
  if (escalations > 0) {
    blocks.push(
      paragraph(
        `REMINDER: this step passed its deadline (escalation ${escalations}). The escalation contact has been informed. Any earlier link has expired; use the one below.`,
      ),
    );
  }
  blocks.push(paragraph(spec.action.replace('{onboardingId}', onboarding.onboardingId)));
  if (returnComment !== undefined) {
    blocks.push(heading(`Comments of the ${ROLES.etaalNodalContact}`), paragraph(returnComment));
  }
  if (spec.kind === 'templates') {
    blocks.push(
      link('Submit to', `${baseUrl}/v1/onboardings/${onboarding.onboardingId}/templates`),
      heading('Your services'),
      serviceNames(onboarding),
    );
  } else {
    blocks.push(heading('Services'), serviceNames(onboarding));
    if (approvalUrl) {
      blocks.push(
        link('Open the approval page', approvalUrl),
        paragraph(
          'The link is personal to your role for this step: do not forward it. Opening it changes nothing; you decide on the page.',
        ),
      );
    }
  }
  blocks.push(due(dueAt));
  const what = spec.kind === 'templates' ? 'templates needed' : `action needed by ${ROLES[spec.role]}`;
  return compose(onboarding, spec.step, escalations > 0 ? `REMINDER: ${what}` : what, blocks);
}

/** Step 8 overdue: the department is the one who must act (send test counts), DeGS holds the link. */
export function integrationReminderEmail(
  onboarding: Onboarding,
  baseUrl: string,
  dueAt: string,
  escalations: number,
): Email {
  return compose(onboarding, 8, 'REMINDER: test counts needed', [
    paragraph(
      `REMINDER: your integration with the count web service passed its deadline (escalation ${escalations}). The escalation contact has been informed.`,
    ),
    paragraph(
      `Send test counts for your services with PUT ${baseUrl}/v1/counts (see the step 7 email for your Government Service Codes and the integration steps); this step completes when the first ones arrive. The ${ROLES.degsTechnical} can help.`,
    ),
    due(dueAt),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Escalation copy

export function escalationEmail(input: {
  onboarding: Onboarding;
  phase: WaitPhase;
  previousDueAt: string | undefined;
  dueAt: string;
  escalations: number;
  limit: number;
  stalled: boolean;
}): Email {
  const { onboarding, phase, previousDueAt, dueAt, escalations, limit, stalled } = input;
  const spec = WAITS[phase];
  return compose(onboarding, spec.step, `overdue (escalation ${escalations})`, [
    paragraph(
      `This step is waiting for ${spec.kind === 'approvalOrSignal' ? `test counts from the department (or the ${ROLES[spec.role]}'s confirmation)` : `the ${ROLES[spec.role]}`} and passed its deadline${previousDueAt ? ` of ${formatIst(new Date(previousDueAt))}` : ''}. A reminder has been sent to them, with a new deadline.`,
    ),
    paragraph(
      stalled
        ? `The onboarding is now flagged STALLED (${escalations} escalations of this step; the limit is ${limit}). It keeps waiting; please follow up with the ${ROLES[spec.role]}.`
        : `Escalation ${escalations} of ${limit} before the onboarding is flagged STALLED.`,
    ),
    due(dueAt),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Automatic steps 5, 7, 11 and the outcome

export function approvedTemplatesEmail(onboarding: Onboarding): Email {
  return compose(onboarding, 5, 'approved templates', [
    paragraph(
      `The ${ROLES.etaalNodalContact} approved these service-details templates. You will receive a separate link to register the services (step 6).`,
    ),
    templatesTable(onboarding.templates ?? []),
  ]);
}

export function handOverEmail(onboarding: Onboarding, kit: IntegrationKit, integrationDueAt: string): Email {
  return compose(onboarding, 7, 'your Government Service Codes', [
    paragraph(
      `Dear ${onboarding.nodalOfficer.name}, your services are registered. Each has a unique Government Service Code. This integration kit has everything your developers need to send its counts:`,
    ),
    ...kit.sections.flatMap(kitBlocks),
    due(integrationDueAt),
  ]);
}

/** A section of the hand-over kit (../integration/kit.ts); commands keep their exact text to be pasted. */
function kitBlocks(section: KitSection): Block[] {
  return [
    heading(section.heading),
    ...section.paragraphs.map(paragraph),
    ...(section.commands ?? []).map((command) => ({
      html: html`<pre>${command}</pre>`,
      text: `\n${command}\n`,
    })),
  ];
}

export function centralTeamEmail(onboarding: Onboarding): Email {
  return compose(onboarding, 11, 'service details for national e-Taal', [
    paragraph(
      `The ${ROLES.stateCommittee} approved these services at state level. Their details, for the ${ROLES.centralCommittee}'s approval (step 12):`,
    ),
    codesTable(onboarding),
    templatesTable(onboarding.templates ?? []),
  ]);
}

export function outcomeEmail(onboarding: Onboarding, outcome: 'live' | 'rejected', reason?: string): Email {
  if (outcome === 'live') {
    return compose(onboarding, 12, 'services are live', [
      paragraph(
        `The ${ROLES.centralCommittee} approved your services. Their transaction counts now flow to the national e-Taal Portal: keep sending daily counts.`,
      ),
      codesTable(onboarding),
    ]);
  }
  return compose(onboarding, onboarding.currentStep, 'onboarding rejected', [
    paragraph(
      `The onboarding was rejected at step ${onboarding.currentStep}. Any Service Codes issued are withdrawn.`,
    ),
    ...(reason ? [heading('Reason given'), paragraph(reason)] : []),
  ]);
}
