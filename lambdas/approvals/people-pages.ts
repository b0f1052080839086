import type { Delegation } from '../core/delegation';
import { html, renderPage } from '../shared/html';
import { type ApprovalRecord, type LinkPerson, type RecordedDecision, roleLabel } from './approval';
import { decisionSummary, stepSummary } from './pages';

/**
 * The pages of a member's personal link in a committee (issue 9): a vote counted while the rule is not
 * met yet, and a link made moot because the others met it. Neither has a form.
 */

export function voteCountedPage(
  record: ApprovalRecord,
  decision: RecordedDecision,
  tally: { approvals: number; needed: number },
): string {
  const missing = Math.max(tally.needed - tally.approvals, 1);
  return renderPage({
    title: 'Thank you: your vote is recorded',
    body: html`<p class="notice ok">The ${roleLabel(record.role)} decides by ${tally.needed} approvals; ${tally.approvals} so far. The onboarding continues once ${missing} more member${missing === 1 ? '' : 's'} approve${missing === 1 ? 's' : ''} (or the objections decide).</p>${decisionSummary(decision)}<h2>About</h2>${stepSummary(record)}`,
  });
}

export function decidedByOtherPage(record: ApprovalRecord, outcome: RecordedDecision): string {
  const name = outcome.by?.name ?? roleLabel(outcome.role);
  return renderPage({
    title: `Already decided by ${name}`,
    body: html`<p class="notice">This step was decided by ${name}; nothing more can be done with this link.</p>${decisionSummary(outcome)}<h2>About</h2>${stepSummary(record)}`,
  });
}

export interface DelegationFormState {
  readonly values?: Readonly<Record<string, string>>;
  readonly errors?: readonly { field: string; message: string }[];
}

/** The out-of-office form of a member's personal link: who stands in, from when, until when (IST days). */
export function delegationFormPage(
  member: LinkPerson,
  nonce: string,
  today: string,
  current: Delegation | undefined,
  form: DelegationFormState = {},
): string {
  const values = form.values ?? {};
  const errors = form.errors ?? [];
  const field = (name: string, label: string, type: string, value: string, hint: string) => {
    const error = errors.find((e) => e.field === name)?.message;
    return html`<p><label for="${name}">${label}</label><br><input id="${name}" name="${name}" type="${type}" value="${value}" required${
      error ? html` aria-invalid="true" aria-describedby="${name}-error"` : ''
    }><br><small class="muted">${hint}</small>${error && html`<br><span id="${name}-error" class="error">${error}</span>`}</p>`;
  };
  return renderPage({
    title: 'Out of office: name a delegate',
    body: html`<p>${member.name} (${member.email}): while you are away, your approvals go to the person you name here, who decides on your behalf. Approvals already waiting for you are sent to them at once when the dates have started.</p>
${current && html`<p class="notice">On record: ${current.to.name} (${current.to.email}) from ${current.fromDate} until ${current.until}. Sending this form replaces it.</p>`}
${errors.length > 0 && html`<div class="notice bad" role="alert"><p><strong>Please correct the form:</strong></p><ul>${errors.map((e) => html`<li>${e.message}</li>`)}</ul></div>`}
<form method="post">
<input type="hidden" name="nonce" value="${nonce}">
${field('toName', 'Delegate’s name', 'text', values.toName ?? '', 'As it should appear in the audit trail.')}
${field('to', 'Delegate’s e-mail', 'email', values.to ?? '', 'Their official address.')}
${field('fromDate', 'First day', 'date', values.fromDate ?? today, 'Delhi time (IST).')}
${field('until', 'Last day', 'date', values.until ?? '', 'Included; you get your approvals back the day after.')}
<p><button type="submit">Name this delegate</button></p>
</form>`,
  });
}

export function delegationSetPage(delegation: Delegation, resent: number): string {
  return renderPage({
    title: 'Your delegate is on record',
    body: html`<p class="notice ok">From ${delegation.fromDate} until ${delegation.until} (IST), your approvals go to ${delegation.to.name} (${delegation.to.email}), who decides on your behalf.${
      resent > 0
        ? html` ${resent} approval${resent === 1 ? '' : 's'} waiting for you ${resent === 1 ? 'was' : 'were'} sent to them; your earlier links no longer work.`
        : ''
    }</p>`,
  });
}

export function delegationUnavailablePage(): string {
  return renderPage({
    title: 'No delegation from this link',
    body: html`<p class="notice bad">Only members of the DeGS and e-Taal roles name delegates, from a link that was sent to them. Ask the DeGS administrator if you need one.</p>`,
  });
}
