import { ForbiddenError, NotFoundError } from '../shared/errors';
import { html, PAGE_HEADERS, renderPage } from '../shared/html';
import { type ErrorAnswers, type ErrorPage, type HttpResult, requestIdOf } from '../shared/http';
import { problemTypeSlugOf } from '../shared/problem-types';
import { type ApprovalRecord, hashApprovalId } from './approval';
import type { DecideOutcome } from './decide';
import { LINK_PATH } from './form';
import {
  badNoncePage,
  decidedPage,
  errorPage,
  notFoundPage,
  supersededPage,
  tooManyAttemptsPage,
  unsupportedPage,
} from './pages';
import { getApproval } from './repository';
import { replacedNote } from './revision-section';

/** An HTML page answer of an approval link. */
export const page = (statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { ...PAGE_HEADERS, ...headers },
  body,
});

/** What a refused form says: what was wrong, each field named, and that nothing changed. */
function formRefusedPage(detail: string, errors: readonly { field: string; message: string }[]): string {
  return renderPage({
    title: 'The form could not be accepted',
    body: html`<p class="notice bad" role="alert">${detail}</p>${
      errors.length > 0 && html`<ul>${errors.map((e) => html`<li>${e.field}: ${e.message}</li>`)}</ul>`
    }<p>Nothing was recorded. Open the link from your email again and submit the form from there.</p>`,
  });
}

/**
 * The page of every error on an approval link's routes (the shared chain renders it with the error's
 * status and headers; a program asking for JSON gets the problem instead). A person always gets a page,
 * never a bare error: a bug or a dependency that did not answer is the "try again" page with the request id.
 */
const linkErrorPage: ErrorPage = (error, request) => {
  if (error.status >= 500) return errorPage(requestIdOf(request));
  switch (problemTypeSlugOf(error.type)) {
    case 'not-found':
      return notFoundPage();
    case 'invalid-nonce':
      return badNoncePage();
    case 'too-many-failed-attempts':
      return tooManyAttemptsPage(Number(error.headers['Retry-After'] ?? 0));
    case 'unsupported-media-type':
      return unsupportedPage();
    default:
      return formRefusedPage(error.detail, error.errors ?? []);
  }
};

/**
 * The chain options every route of an approval link shares: the link id in the path (malformed: 404),
 * a body only on POST, HTML error pages, and the guessing limit. Link ids are 256-bit random, but nobody
 * gets unlimited tries: a source of many 404s on any route of a link (the page, its documents, its
 * delegation) is refused a while, with a page.
 */
export const LINK_ROUTE = {
  path: LINK_PATH,
  // Each function serves a page or a download (GET, HEAD) and its form or upload (POST).
  servesGet: true,
  errors: { as: 'html', page: linkErrorPage } satisfies ErrorAnswers,
  guessing: { kind: 'approval-link', failureStatus: 404 },
} as const;

/** Retry-After of a decision recorded but not yet passed on (the page's retry form sends it again). */
export const NOT_PASSED_ON_RETRY_SECONDS = 30;

/** An unknown link: its page for people, a problem for programs; counted as a failed guess. */
export const linkNotFound = (): NotFoundError => new NotFoundError('This approval link is not valid.');

/** A form not posted from the current page of its link (a wrong or missing nonce): nothing changes. */
export const foreignForm = (): ForbiddenError =>
  new ForbiddenError('The form nonce does not match this link; reload the page.', {
    problemType: 'invalid-nonce',
  });

/** The page of a link a newer one replaced (with what the department changed, when it replaced the templates). */
export const supersededLinkPage = async (record: ApprovalRecord): Promise<HttpResult> =>
  page(410, supersededPage(record, await replacedNote(record)));

/** The page of a decision that settled its link: recorded now, recorded before, or the link replaced. */
export function settledPage(
  outcome: Extract<DecideOutcome, { kind: 'decided' | 'alreadyDecided' | 'superseded' }>,
): HttpResult | Promise<HttpResult> {
  switch (outcome.kind) {
    case 'decided':
      return page(200, decidedPage(outcome.record, outcome.decision, true));
    case 'alreadyDecided':
      return page(409, decidedPage(outcome.record, outcome.decision, false));
    case 'superseded':
      return supersededLinkPage(outcome.record);
  }
}

/** The record of a well-formed link id (the path schema checked it), or the 404. */
export async function linkRecord(approvalId: string): Promise<ApprovalRecord> {
  const record = await getApproval(hashApprovalId(approvalId));
  if (!record) throw linkNotFound();
  return record;
}
