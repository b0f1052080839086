import { formatIst } from '../core/calendar';
import { type StepNumber, sopStep } from '../core/sop';
import { SERVICE_TEMPLATE_FIELDS, type ServiceTemplate } from '../core/template';
import type { Onboarding } from '../core/workflow';
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

/** A rejection at any step: the department is told, with the reason given. */
export function rejectionEmail(onboarding: Onboarding, reason?: string): Email {
  return compose(onboarding, onboarding.currentStep, 'onboarding rejected', [
    paragraph(
      `The onboarding was rejected at step ${onboarding.currentStep}. Any Service Codes issued are withdrawn.`,
    ),
    ...(reason ? [heading('Reason given'), paragraph(reason)] : []),
  ]);
}
