import { formatIst } from '../core/calendar';
import { ROLES, type Role, type StepNumber, sopStep } from '../core/sop';
import { SERVICE_TEMPLATE_FIELDS, type ServiceTemplate } from '../core/template';
import { type Onboarding, WAITS, type WaitPhase } from '../core/workflow';
import { html, type SafeHtml } from '../shared/html';
import { submitRequestBlocks } from './templates-request';

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
export interface Block {
  readonly html: SafeHtml;
  readonly text: string;
}

export const paragraph = (text: string): Block => ({ html: html`<p>${text}</p>`, text });

export function list(items: readonly string[]): Block {
  return {
    html: html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`,
    text: items.map((item) => `  - ${item}`).join('\n'),
  };
}

export function link(label: string, url: string): Block {
  // The URL is ours (PUBLIC_BASE_URL + a random id), never department text: safe in href once escaped.
  // A new tab: our pages refuse to be framed (frame-ancestors 'none'), and mail viewers (the local
  // mailbox among them) show HTML mail in a frame.
  return {
    html: html`<p><a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a></p>`,
    text: `${label}: ${url}`,
  };
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): Block {
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

export function heading(text: string): Block {
  return { html: html`<h3>${text}</h3>`, text: `\n${text}\n${'-'.repeat(Math.min(text.length, 60))}` };
}

export function compose(
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

export const due = (dueAt: string): Block =>
  paragraph(`Due by ${formatIst(new Date(dueAt))} (SoP working days).`);

export const serviceNames = (onboarding: Onboarding): Block =>
  list(onboarding.services.map((s) => s.serviceName));

export function templatesTable(templates: readonly ServiceTemplate[]): Block {
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

export function codesTable(onboarding: Onboarding): Block {
  return table(
    ['Service Name', 'Government Service Code'],
    onboarding.services.map((s) => [s.serviceName, s.serviceCode ?? '(not issued)']),
  );
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
  /** The return this email answers (an amendment request): who returned the templates, their comment. */
  readonly returned?: { readonly role: Role | 'system'; readonly comment?: string };
  /** What changed since the version returned (a resubmission's review), from ./resubmission-summary. */
  readonly revision?: readonly Block[];
  readonly baseUrl: string;
  /** What the approver needs to decide (./dossier-email.ts); without it the services are listed by name. */
  readonly dossier?: readonly Block[];
}

export function waitEmail(input: WaitEmailInput): Email {
  const { onboarding, phase, dueAt, escalations, approvalUrl, returned, baseUrl, dossier } = input;
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
  if (returned?.comment !== undefined) {
    blocks.push(heading(`Comments of the ${ROLES[returned.role]}`), paragraph(returned.comment));
  }
  if (spec.kind === 'templates') {
    blocks.push(
      ...submitRequestBlocks(onboarding, baseUrl),
      heading('Your services'),
      serviceNames(onboarding),
      due(dueAt),
    );
  } else {
    // A resubmission's approver first reads which return it answers and what changed.
    blocks.push(...(input.revision ?? []));
    if (approvalUrl) {
      blocks.push(
        link('Open the approval page', approvalUrl),
        paragraph(
          'The link is personal to your role for this step: do not forward it. Opening it changes nothing; you decide on the page.',
        ),
      );
    }
    // The deadline next to the link; what to decide on (the dossier) after it.
    blocks.push(due(dueAt), ...(dossier ?? [heading('Services'), serviceNames(onboarding)]));
  }
  const what = spec.kind === 'templates' ? 'templates needed' : `action needed by ${ROLES[spec.role]}`;
  return compose(onboarding, spec.step, escalations > 0 ? `REMINDER: ${what}` : what, blocks);
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

/** A rejection at any step: the department is told, with the reason given. */
export function rejectionEmail(onboarding: Onboarding, reason?: string): Email {
  return compose(onboarding, onboarding.currentStep, 'onboarding rejected', [
    paragraph(
      `The onboarding was rejected at step ${onboarding.currentStep}. Any Service Codes issued are withdrawn.`,
    ),
    ...(reason ? [heading('Reason given'), paragraph(reason)] : []),
  ]);
}
