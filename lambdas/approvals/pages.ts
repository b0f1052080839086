import { formatIst } from '../core/calendar';
import { sopStep, stepStateName } from '../core/sop';
import { stepModule } from '../onboarding/steps';
import { html, renderPage, type SafeHtml } from '../shared/html';
import {
  type ApprovalRecord,
  approveLabel,
  COMMENT_MAX_CHARS,
  DECISION_LABELS,
  type Decision,
  decidedByLabel,
  type RecordedDecision,
  roleLabel,
} from './approval';

/**
 * The HTML pages of an approval link, as pure functions of what the link is and what it is about. No
 * script anywhere: the form is submitted by a person pressing its button, never on load.
 */

export interface SubjectService {
  readonly serviceName: string;
  readonly serviceDescription?: string;
  readonly deliveryMode?: string;
  readonly category?: string;
  readonly missionModeProject?: boolean;
  readonly serviceCode?: string;
}

export interface SubjectCount {
  readonly serviceCode: string;
  readonly date: string;
  readonly locationCode: string;
  readonly count: number;
}

/** What the approver is deciding about, loaded for the page. */
export interface ApprovalSubject {
  readonly departmentName?: string;
  readonly departmentCode?: string;
  readonly services: readonly SubjectService[];
  /** Test counts received (step 9); undefined where the step does not show counts. */
  readonly testCounts?: readonly SubjectCount[];
  /** The Service Details Template PDF: download, signed upload (step 3), who signed it (later steps). */
  readonly document?: SafeHtml;
}

export interface FormState {
  readonly decision?: string;
  readonly comment?: string;
  readonly errors?: readonly { field: string; message: string }[];
}

const when = (iso: string) => formatIst(new Date(iso));

const DECIDED_VERBS: Readonly<Record<Decision, string>> = {
  approve: 'Approved',
  return: 'Returned for amendments',
  reject: 'Rejected',
};

export function stepSummary(record: ApprovalRecord): SafeHtml {
  const step = sopStep(record.step);
  return html`<dl>
<dt>Step</dt><dd>${stepStateName(step.number)}</dd>
<dt>What the SoP says</dt><dd>${step.sopText}</dd>
<dt>How it completes</dt><dd>${step.completion.description}</dd>
<dt>This link is for</dt><dd>${roleLabel(record.role)}</dd>
<dt>Respond by</dt><dd>${when(record.expiresAt)}</dd>
</dl>`;
}

function departmentLine(subject: ApprovalSubject): SafeHtml {
  const name = subject.departmentName ?? 'Unknown department';
  return html`<p>Department: <strong>${name}</strong>${subject.departmentCode && html` (${subject.departmentCode})`}</p>`;
}

function templatesTable(services: readonly SubjectService[]): SafeHtml {
  return html`<table>
<caption class="muted">Service details template, one row per service</caption>
<thead><tr><th scope="col">Service Name</th><th scope="col">Service Description</th><th scope="col">Online / OCe</th><th scope="col">Category</th><th scope="col">Mission Mode Project</th></tr></thead>
<tbody>${services.map(
    (s) =>
      html`<tr><th scope="row">${s.serviceName}</th><td>${s.serviceDescription ?? '—'}</td><td>${s.deliveryMode ?? '—'}</td><td>${s.category ?? '—'}</td><td>${yesNo(s.missionModeProject)}</td></tr>`,
  )}</tbody>
</table>`;
}

const yesNo = (value: boolean | undefined) => (value === undefined ? '—' : value ? 'Yes' : 'No');

function servicesToRegister(services: readonly SubjectService[]): SafeHtml {
  return html`<table>
<caption class="muted">Pressing "${approveLabel(6)}" issues one Government Service Code per service.</caption>
<thead><tr><th scope="col">Service Name</th><th scope="col">Category</th><th scope="col">Online / OCe</th><th scope="col">Mission Mode Project</th></tr></thead>
<tbody>${services.map(
    (s) =>
      html`<tr><th scope="row">${s.serviceName}</th><td>${s.category ?? '—'}</td><td>${s.deliveryMode ?? '—'}</td><td>${yesNo(s.missionModeProject)}</td></tr>`,
  )}</tbody>
</table>`;
}

function servicesWithCodes(services: readonly SubjectService[]): SafeHtml {
  return html`<table>
<thead><tr><th scope="col">Government Service Code</th><th scope="col">Service Name</th><th scope="col">Category</th><th scope="col">Online / OCe</th></tr></thead>
<tbody>${services.map(
    (s) =>
      html`<tr><td>${s.serviceCode ?? 'not issued'}</td><th scope="row">${s.serviceName}</th><td>${s.category ?? '—'}</td><td>${s.deliveryMode ?? '—'}</td></tr>`,
  )}</tbody>
</table>`;
}

function testCountsTable(counts: readonly SubjectCount[] | undefined): SafeHtml {
  if (!counts || counts.length === 0) {
    return html`<p class="notice bad">No test counts yet: none of these services has sent a count to the count API.</p>`;
  }
  return html`<table>
<caption class="muted">Test counts received from the department</caption>
<thead><tr><th scope="col">Service Code</th><th scope="col">Date (IST)</th><th scope="col">Location</th><th scope="col">Count</th></tr></thead>
<tbody>${counts.map(
    (c) =>
      html`<tr><td>${c.serviceCode}</td><td>${c.date}</td><td>${c.locationCode}</td><td>${c.count}</td></tr>`,
  )}</tbody>
</table>`;
}

/** The step-specific part: what exactly is being approved (the step module's `page.section`). */
function subjectDetails(record: ApprovalRecord, subject: ApprovalSubject): SafeHtml {
  const section = stepModule(record.step).page?.section;
  switch (section) {
    case 'templates':
      return html`<h2>Submitted service details</h2>${templatesTable(subject.services)}`;
    case 'servicesToRegister':
      return html`<h2>Services to register</h2>${servicesToRegister(subject.services)}`;
    case 'servicesWithCodes':
      return html`<h2>Services</h2>${servicesWithCodes(subject.services)}`;
    case 'servicesWithTestCounts':
      return html`<h2>Services</h2>${servicesWithCodes(subject.services)}<h2>Test counts received</h2>${testCountsTable(subject.testCounts)}`;
    default:
      return html`<h2>Services</h2><ul>${subject.services.map((s) => html`<li>${s.serviceName}</li>`)}</ul>`;
  }
}

function choiceLabel(step: number, choice: Decision): string {
  return choice === 'approve' ? approveLabel(step) : DECISION_LABELS[choice];
}

function commentHint(choices: readonly Decision[]): string {
  const required = [
    choices.includes('return') ? 'returning for amendments (say what must change)' : undefined,
    choices.includes('reject') ? 'rejecting (give the reason)' : undefined,
  ].filter((part) => part !== undefined);
  const rule =
    required.length > 0 ? `Required when ${required.join(' or ')}; optional otherwise.` : 'Optional.';
  return `${rule} At most ${COMMENT_MAX_CHARS} characters. The department will see it.`;
}

function decisionForm(record: ApprovalRecord, nonce: string, form: FormState): SafeHtml {
  const errors = form.errors ?? [];
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  const decisionError = errorFor('decision');
  const commentError = errorFor('comment');
  return html`<h2>Your decision</h2>
${
  errors.length > 0 &&
  html`<div class="notice bad" role="alert"><p><strong>Please correct the form:</strong></p><ul>${errors.map(
    (e) => html`<li>${e.message}</li>`,
  )}</ul></div>`
}
<form method="post" accept-charset="utf-8">
<input type="hidden" name="nonce" value="${nonce}">
<fieldset${decisionError && html` aria-describedby="decision-error"`}>
<legend>Decision</legend>
${decisionError && html`<p id="decision-error" class="notice bad">${decisionError}</p>`}
${record.choices.map(
  (choice) =>
    html`<label><input type="radio" name="decision" value="${choice}" required${form.decision === choice && html` checked`}> ${choiceLabel(record.step, choice)}</label>`,
)}
</fieldset>
<p><label for="comment">Comment</label></p>
<p id="comment-hint" class="muted">${commentHint(record.choices)}</p>
${commentError && html`<p id="comment-error" class="notice bad">${commentError}</p>`}
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_CHARS}" aria-describedby="comment-hint${commentError && html` comment-error`}">${form.comment ?? ''}</textarea>
<p><button type="submit">Submit decision</button></p>
</form>
<p class="muted">Your decision is final once submitted. It is recorded with the time, your IP address and browser.</p>`;
}

export function decisionSummary(decision: RecordedDecision): SafeHtml {
  return html`<dl>
<dt>Decision</dt><dd>${DECIDED_VERBS[decision.decision]}</dd>
<dt>By</dt><dd>${decidedByLabel(decision)}</dd>
<dt>At</dt><dd>${when(decision.decidedAt)}</dd>
${decision.comment && html`<dt>Comment</dt><dd>${decision.comment}</dd>`}
</dl>`;
}

export function openPage(
  record: ApprovalRecord,
  subject: ApprovalSubject,
  nonce: string,
  form: FormState = {},
): string {
  return renderPage({
    title: `${sopStep(record.step).title}: your decision is needed`,
    body: html`${stepSummary(record)}${departmentLine(subject)}${subject.document}${subjectDetails(record, subject)}${decisionForm(record, nonce, form)}
<p class="muted">This link is personal to your role. Please do not forward it.</p>`,
  });
}

/** Decided and passed on; `justNow` for the response to the POST that decided it. */
export function decidedPage(record: ApprovalRecord, decision: RecordedDecision, justNow: boolean): string {
  const heading = justNow ? 'Thank you: your decision is recorded' : 'This link has already been used';
  const lead = justNow
    ? html`<p class="notice ok">The onboarding continues with your decision.</p>`
    : html`<p class="notice">This step was already decided; nothing more can be done with this link.</p>`;
  return renderPage({
    title: heading,
    body: html`${lead}${decisionSummary(decision)}<h2>About</h2>${stepSummary(record)}`,
  });
}

/**
 * Decided, but Step Functions has not got it yet (a transient failure, or a request still in flight).
 * Submitting again with the page's nonce retries passing the *recorded* decision on; it cannot change it.
 */
export function pendingResumePage(record: ApprovalRecord, decision: RecordedDecision, nonce: string): string {
  return renderPage({
    title: 'Your decision is recorded but not yet passed on',
    body: html`<p class="notice bad">The decision below is recorded, but the workflow could not be told yet. Please submit again in a minute; the recorded decision is used.</p>
${decisionSummary(decision)}
<form method="post" accept-charset="utf-8">
<input type="hidden" name="nonce" value="${nonce}">
<input type="hidden" name="decision" value="${decision.decision}">
<input type="hidden" name="comment" value="${decision.comment ?? ''}">
<p><button type="submit">Submit again</button></p>
</form>
<h2>About</h2>${stepSummary(record)}`,
  });
}

export function expiredPage(record: ApprovalRecord, lateDecision: RecordedDecision | undefined): string {
  const lead = lateDecision
    ? html`<p class="notice bad">Your decision arrived after this step had closed: its deadline passed (a reminder with a fresh link has been sent) or it was completed another way. Your decision is kept on record, but the workflow has moved on; if the step still needs you, please use the link in the newest email.</p>${decisionSummary(lateDecision)}`
    : html`<p class="notice bad">The deadline of this step (${when(record.expiresAt)}) has passed, so this link no longer works. A reminder with a fresh link is sent when a deadline passes: please use the newest link.</p>`;
  return renderPage({
    title: 'This link has expired',
    body: html`${lead}<h2>About</h2>${stepSummary(record)}`,
  });
}

export function supersededPage(record: ApprovalRecord): string {
  return renderPage({
    title: 'This link has been replaced',
    body: html`<p class="notice bad">A newer link was sent for this step; this one no longer works. Please use the link in the most recent email.</p><h2>About</h2>${stepSummary(record)}`,
  });
}

export function notFoundPage(): string {
  return renderPage({
    title: 'Link not found',
    body: html`<p class="notice bad">This approval link is not valid. Check that the whole link was copied from the email; links also disappear some time after they expire.</p>`,
  });
}

export function tooManyAttemptsPage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return renderPage({
    title: 'Too many attempts',
    body: html`<p class="notice bad">Too many approval links that do not exist were opened from your network. Wait ${String(minutes)} minute(s), then open the link from your email again.</p>`,
  });
}

export function badNoncePage(): string {
  return renderPage({
    title: 'Please reload the page',
    body: html`<p class="notice bad">This form did not come from the current page of this link, so nothing was changed. Open the link from your email again and submit the form from there.</p>`,
  });
}

export function unsupportedPage(): string {
  return renderPage({
    title: 'Unsupported request',
    body: html`<p class="notice bad">Submit the decision with the form on the approval page.</p>`,
  });
}

export function errorPage(requestId: string): string {
  return renderPage({
    title: 'Something went wrong',
    body: html`<p class="notice bad">Please open the link from your email again in a few minutes: it shows whether your decision was recorded. If this keeps happening, report request id <code>${requestId}</code>.</p>`,
  });
}
