import { html, renderPage } from '../shared/html';
import { type ApprovalRecord, type RecordedDecision, roleLabel } from './approval';
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
