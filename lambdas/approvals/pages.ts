import { formatIst } from '../core/calendar';
import { sopStep, stepStateName } from '../core/sop';
import type { Decision } from '../core/workflow';
import { html, renderPage, type SafeHtml } from '../shared/html';
import {
  type ApprovalRecord,
  approveLabel,
  COMMENT_MAX_CHARS,
  DECISION_LABELS,
  decidedByLabel,
  type RecordedDecision,
  roleLabel,
} from './approval';
import { dossierSection } from './dossier-page';
import type { Moot } from './moot';
import type { ApprovalSubject } from './subject';

/**
 * The HTML pages of an approval link, as pure functions of what the link is and what it is about. No
 * script anywhere: the form is submitted by a person pressing its button, never on load.
 */

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

/** The radio's words say what the choice does, before the click. */
function choiceLabel(step: number, choice: Decision): string {
  switch (choice) {
    case 'approve':
      return approveLabel(step);
    case 'return':
      return `${DECISION_LABELS.return}: the templates go back to the department`;
    case 'reject':
      return `${DECISION_LABELS.reject}: this ends the onboarding`;
  }
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
    body: html`${stepSummary(record)}${subject.revision}${subject.document}${subject.dossier ? dossierSection(subject.dossier, subject.signedCopy) : html`<p class="notice bad">The onboarding of this link could not be found.</p>`}${decisionForm(record, nonce, form)}
<p class="muted">This link is personal to your role. Please do not forward it.</p>`,
  });
}

/** What the decision just taken does, in the words of its consequence. */
function whatHappensNow(record: ApprovalRecord, decision: RecordedDecision): SafeHtml {
  switch (decision.decision) {
    case 'reject':
      return html`<p class="notice bad">The onboarding has ended: it is rejected at this step, and the department is told by email with your reason. Any Service Codes issued are withdrawn.</p>`;
    case 'return':
      return html`<p class="notice ok">The templates go back to the department with your comment. You will get a new link when they are resubmitted.</p>`;
    case 'approve':
      return sopStep(record.step).next === null
        ? html`<p class="notice ok">The services are live: their transaction counts now flow to the national e-Taal Portal. The department is told by email.</p>`
        : html`<p class="notice ok">The onboarding continues with your decision.</p>`;
  }
}

/** Decided and passed on; `justNow` for the response to the POST that decided it. */
export function decidedPage(record: ApprovalRecord, decision: RecordedDecision, justNow: boolean): string {
  const heading = justNow ? 'Thank you: your decision is recorded' : 'This link has already been used';
  const lead = justNow
    ? whatHappensNow(record, decision)
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

const ENDED_AS: Readonly<Record<string, string>> = {
  LIVE: 'its services went live',
  REJECTED: 'it was rejected',
  CANCELLED: 'it was cancelled',
};

/** A moot link (./moot.ts): nothing is left to decide with it, so no form. */
export function alreadyCompletePage(record: ApprovalRecord, moot: Moot): string {
  const lead =
    moot.kind === 'ended'
      ? html`<p class="notice">This onboarding has already ended: ${ENDED_AS[moot.status] ?? moot.status.toLowerCase()}${moot.at && html` on ${when(moot.at)}`}. Nothing is left to decide with this link, and nothing was recorded.</p>`
      : html`<p class="notice">This step is already complete${moot.by ? html`: ${moot.by.verb.toLowerCase()} by ${moot.by.who} on ${moot.by.at}` : html` (${when(moot.completedAt)})`}. Nothing is left to decide with this link, and nothing was recorded.</p>`;
  return renderPage({
    title: 'This step is already complete',
    body: html`${lead}<h2>About</h2>${stepSummary(record)}`,
  });
}

/** `why`: what replaced it, when known (./revision-section.ts `replacedNote`). */
export function supersededPage(record: ApprovalRecord, why?: string): string {
  if (record.closedReason === 'onboarding-ended') {
    return renderPage({
      title: 'This onboarding has ended',
      body: html`<p class="notice bad">The DeGS administrators cancelled this onboarding, so this link no longer works and nothing more is needed from you. If it is reopened, a new link will be emailed.</p><h2>About</h2>${stepSummary(record)}`,
    });
  }
  return renderPage({
    title: 'This link has been replaced',
    body: html`<p class="notice bad">${why ?? 'A newer link was sent for this step; this one no longer works. Please use the link in the most recent email.'}</p><h2>About</h2>${stepSummary(record)}`,
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
    body: html`<p class="notice bad">Send the form from the page of your link (open the link in your email). Nothing was recorded.</p>`,
  });
}

export function errorPage(requestId: string): string {
  return renderPage({
    title: 'Something went wrong',
    body: html`<p class="notice bad">Please open the link from your email again in a few minutes: it shows whether your decision was recorded. If this keeps happening, report request id <code>${requestId}</code>.</p>`,
  });
}
