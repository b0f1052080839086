import { hasChanges, type TemplatesDiff, type WordRun, wordSummary } from '../core/template-diff';
import { getOnboardingMeta, type Onboarding } from '../onboarding/repository';
import { type Revision, revisionFor, revisionLead } from '../onboarding/revision';
import { WAITS } from '../onboarding/workflow/waits';
import { html, type SafeHtml } from '../shared/html';
import type { ApprovalRecord } from './approval';

/**
 * The part of an approval page about a resubmission (round N of the review, the HoD's sign-off of a
 * new version): that it is one, the earlier comment, and what changed field by field per service, with
 * a description's removed and added words marked. Nothing for a first submission or a link whose
 * approver does not decide on templates. Loaded with the page's subject (./subject.ts).
 */
export async function revisionSection(
  record: ApprovalRecord,
  onboarding: Onboarding | undefined,
): Promise<SafeHtml | undefined> {
  const decidesOnTemplates = Object.values(WAITS).some(
    (w) => w.step === record.step && w.role === record.role && w.decidesOnTemplates,
  );
  if (!onboarding || !decidesOnTemplates) return undefined;
  const revision = await revisionFor(onboarding, record.step, record.role);
  return revision && renderRevision(revision);
}

/**
 * Why a superseded link of a replaceable wait (the HoD's) was replaced, when it was because the
 * department submitted a newer version after the link was sent; undefined otherwise.
 */
export async function replacedNote(record: ApprovalRecord): Promise<string | undefined> {
  const replaceable = Object.values(WAITS).some(
    (w) => w.step === record.step && w.role === record.role && w.replaceable,
  );
  if (!replaceable) return undefined;
  const onboarding = await getOnboardingMeta(record.onboardingId);
  const submittedAt = onboarding?.templatesSubmittedAt;
  if (!onboarding || !submittedAt || Date.parse(submittedAt) <= Date.parse(record.createdAt))
    return undefined;
  return `The department replaced the templates by a newer version (version ${onboarding.templatesVersion}) after this link was sent. A new link for that version was emailed to you: please decide there.`;
}

export function renderRevision(revision: Revision): SafeHtml {
  const { returned, fromVersion } = revision;
  return html`<section aria-labelledby="revision">
<h2 id="revision">Resubmission: round ${revision.round}</h2>
<p class="notice">${revisionLead(revision)}</p>
${returned.comment && html`<p>Their comment:</p><blockquote>${returned.comment}</blockquote>`}
<h3>What changed since version ${fromVersion}</h3>
${changesTable(revision.diff)}
</section>`;
}

/**
 * How much description text the word-by-word diffs may put on one page. 200 rewritten descriptions of
 * 10,000 characters would add 4 MB next to the templates table (a response is at most 6 MB); past the
 * budget a description's change is summarised, its full text being in the table below.
 */
export const WORD_DIFF_BUDGET_CHARS = 500_000;

function changesTable(diff: TemplatesDiff): SafeHtml {
  let budget = WORD_DIFF_BUDGET_CHARS;
  const words = (runs: readonly WordRun[]): SafeHtml => {
    const size = runs.reduce((n, run) => n + run.text.length, 0);
    if (size > budget) {
      return html`<td colspan="2" data-label="Change">Changed: ${wordSummary(runs)} (the full text is in the table below).</td>`;
    }
    budget -= size;
    return html`<td colspan="2" data-label="Change">${runs.map(wordRun)}</td>`;
  };
  if (!hasChanges(diff)) {
    return html`<p class="notice bad">Nothing changed: the department resubmitted the same templates.</p>`;
  }
  // `stack`: one card per row on a phone (lambdas/shared/html.ts), as the dossier's tables.
  return html`<table class="stack">
<thead><tr><th scope="col">Service</th><th scope="col">Field</th><th scope="col">Before</th><th scope="col">Now</th></tr></thead>
<tbody>${diff.changed.map((service) =>
    service.changes.map(
      (c) =>
        html`<tr><th scope="row" data-label="Service">${service.serviceName}</th><td data-label="Field">${c.label}</td>${
          c.words
            ? words(c.words)
            : html`<td data-label="Before"><del>${c.before}</del></td><td data-label="Now"><ins>${c.after}</ins></td>`
        }</tr>`,
    ),
  )}${diff.added.map((name) => html`<tr><th scope="row" data-label="Service">${name}</th><td colspan="3">Added</td></tr>`)}${diff.removed.map(
    (name) => html`<tr><th scope="row" data-label="Service">${name}</th><td colspan="3">Removed</td></tr>`,
  )}</tbody>
</table>
${diff.unchanged.length > 0 && html`<p class="muted">Unchanged: ${diff.unchanged.join(', ')}.</p>`}`;
}

function wordRun(run: WordRun): SafeHtml {
  if (run.kind === 'removed') return html`<del>${run.text}</del>`;
  if (run.kind === 'added') return html`<ins>${run.text}</ins>`;
  return html`${run.text}`;
}
