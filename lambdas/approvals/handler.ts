import type { APIGatewayProxyEvent } from 'aws-lambda';
import { getOnboarding, getOnboardingMeta } from '../onboarding/repository';
import { problemTypeUri } from '../shared/errors';
import { PAGE_HEADERS } from '../shared/html';
import { type HttpResult, httpHandler, json, problem } from '../shared/http';
import type { ProblemTypeSlug } from '../shared/problem-types';
import {
  type ApprovalRecord,
  formNonce,
  hashApprovalId,
  isWellFormedApprovalId,
  type LinkState,
  linkState,
  nowEpoch,
  type RecordedDecision,
} from './approval';
import { committeeView, type DecideOutcome, decide } from './decide';
import { isFormRequest, readForm, wantsJson } from './form';
import { failurePage, LINK_GUESSING, page } from './link-pages';
import { type Moot, mootness } from './moot';
import {
  alreadyCompletePage,
  badNoncePage,
  decidedPage,
  expiredPage,
  notFoundPage,
  openPage,
  pendingResumePage,
  supersededPage,
  unsupportedPage,
} from './pages';
import { decidedByOtherPage, voteCountedPage } from './people-pages';
import { getApproval } from './repository';
import { replacedNote } from './revision-section';
import { noteUnsignedApproval, refuseUnsignedApproval, signatureRequiredPage } from './signed-approval';
import { loadSubject } from './subject';

/**
 * GET|HEAD|POST /approvals/{approvalId}: the page behind an emailed approval link, and its form.
 *
 * GET and HEAD only read (mail scanners open links before people do). POST decides (see ./decide).
 * Answers are HTML pages; a POST that asks for `Accept: application/json` (and not HTML) gets JSON on
 * success and problem+json otherwise, for scripted clients and tests.
 */

export const handler = httpHandler({ guessing: LINK_GUESSING }, async (input) => {
  const { event, requestId } = input;
  try {
    const approvalId = event.pathParameters?.approvalId ?? '';
    if (event.httpMethod === 'POST') return await handlePost(event, approvalId);
    return await handleGet(approvalId);
  } catch (error) {
    return failurePage(error, requestId, 'Approval request');
  }
});

async function handleGet(approvalId: string): Promise<HttpResult> {
  const record = isWellFormedApprovalId(approvalId)
    ? await getApproval(hashApprovalId(approvalId))
    : undefined;
  if (!record) return page(404, notFoundPage());
  const state = linkState(record, new Date());
  const link = { approvalId, nonce: formNonce(approvalId, record.nonceSalt) };
  const committee = await committeePage(record, state);
  if (committee) return committee;
  switch (state.kind) {
    case 'open': {
      // The department replaced the version this HoD link is for; its new link is on its way.
      const replaced = await replacedNote(record);
      if (replaced) return page(410, supersededPage(record, replaced));
      // One read of the onboarding (with its templates) for the moot check and the page.
      const onboarding = await getOnboarding(record.onboardingId);
      const moot = mootness(record, onboarding);
      if (moot) return page(410, alreadyCompletePage(record, moot));
      return page(200, openPage(record, await loadSubject(record, link, onboarding), link.nonce));
    }
    case 'decided':
      // The retry form only when no request is passing the decision on right now (see ./decide).
      return state.resumed || (record.sendLeaseUntil ?? 0) > nowEpoch(new Date())
        ? page(200, decidedPage(record, state.decision, false))
        : page(200, pendingResumePage(record, state.decision, formNonce(approvalId, record.nonceSalt)));
    case 'superseded':
      return page(410, supersededPage(record, await replacedNote(record)));
    case 'expired':
      return page(410, expiredPage(record, lateDecisionOf(record)));
  }
}

/** The record and why, when `approvalId` is an open link that has nothing left to decide. */
async function mootOpenLink(approvalId: string): Promise<{ record: ApprovalRecord; moot: Moot } | undefined> {
  const record = isWellFormedApprovalId(approvalId)
    ? await getApproval(hashApprovalId(approvalId))
    : undefined;
  const state = record && linkState(record, new Date());
  if (!record || state?.kind !== 'open') return undefined;
  // A committee member whose colleagues met the rule is told who decided (./decide), as on GET.
  if (await committeeView(record, state)) return undefined;
  const moot = mootness(record, await getOnboardingMeta(record.onboardingId));
  return moot && { record, moot };
}

/** A committee member's link once their vote is counted, or once the others met the rule: no form. */
async function committeePage(record: ApprovalRecord, state: LinkState): Promise<HttpResult | undefined> {
  const view = await committeeView(record, state);
  if (view?.kind === 'decidedByOther') return page(200, decidedByOtherPage(record, view.outcome));
  if (view?.kind === 'voteCounted') return page(200, voteCountedPage(record, view.decision, view));
  return undefined;
}

const lateDecisionOf = (record: ApprovalRecord) =>
  record.closedReason === 'task-closed' ? record.decision : undefined;

async function handlePost(event: APIGatewayProxyEvent, approvalId: string): Promise<HttpResult> {
  const asJson = wantsJson(event);
  const form = isFormRequest(event) ? readForm(event) : undefined;
  if (!form) {
    return asJson
      ? problemResponse(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'Send the decision form as application/x-www-form-urlencoded, at most 32 KB.',
        )
      : page(415, unsupportedPage());
  }
  // A moot link records nothing (./moot.ts): answered before anything is checked or written.
  const mooted = await mootOpenLink(approvalId);
  if (mooted) {
    return asJson
      ? problemResponse(
          410,
          'approval-step-complete',
          'Gone',
          'Nothing is left to decide with this link: its step is already complete or the onboarding has ended. Nothing was recorded.',
        )
      : page(410, alreadyCompletePage(mooted.record, mooted.moot));
  }
  const signatureRefusal = await refuseUnsignedApproval(approvalId, form);
  if (signatureRefusal)
    return asJson
      ? problemResponse(422, 'signature-required', 'Signature required', signatureRefusal)
      : page(422, signatureRequiredPage(signatureRefusal));
  const outcome = await decide({
    approvalId,
    form,
    sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
    userAgent: event.headers?.['user-agent'] ?? undefined,
    now: new Date(),
  });
  if (outcome.kind === 'decided' && outcome.decision.decision === 'approve')
    await noteUnsignedApproval(outcome.record);
  return asJson ? jsonResponse(outcome) : await pageResponse(outcome, approvalId, form);
}

async function pageResponse(
  outcome: DecideOutcome,
  approvalId: string,
  form: Record<string, string | string[]>,
): Promise<HttpResult> {
  switch (outcome.kind) {
    case 'notFound':
      return page(404, notFoundPage());
    case 'badNonce':
      return page(403, badNoncePage());
    case 'invalid': {
      const { record, errors } = outcome;
      const values = {
        decision: typeof form.decision === 'string' ? form.decision : undefined,
        comment: typeof form.comment === 'string' ? form.comment : undefined,
        errors,
      };
      const nonce = formNonce(approvalId, record.nonceSalt);
      return page(422, openPage(record, await loadSubject(record, { approvalId, nonce }), nonce, values));
    }
    case 'expired': {
      // A HoD's decision that lost the race with a replacement of the templates: say what happened.
      const replaced = await replacedNote(outcome.record);
      if (replaced) return page(410, supersededPage(outcome.record, replaced));
      return page(410, expiredPage(outcome.record, outcome.lateDecision));
    }
    case 'superseded':
      return page(410, supersededPage(outcome.record, await replacedNote(outcome.record)));
    case 'alreadyDecided':
      return page(409, decidedPage(outcome.record, outcome.decision, false));
    case 'decided':
      return page(200, decidedPage(outcome.record, outcome.decision, true));
    case 'voteCounted':
      return page(200, voteCountedPage(outcome.record, outcome.decision, outcome));
    case 'decidedByOther':
      return page(409, decidedByOtherPage(outcome.record, outcome.outcome));
    case 'notPassedOn':
      return {
        ...page(
          503,
          pendingResumePage(
            outcome.record,
            outcome.decision,
            formNonce(approvalId, outcome.record.nonceSalt),
          ),
        ),
        headers: { ...PAGE_HEADERS, 'Retry-After': '30' },
      };
  }
}

function problemResponse(
  status: number,
  slug: ProblemTypeSlug,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): HttpResult {
  return problem({ type: problemTypeUri(slug), title, status, detail, ...extra });
}

function decisionJson(decision: RecordedDecision) {
  return {
    decision: decision.decision,
    comment: decision.comment,
    role: decision.role,
    ...(decision.by ? { by: decision.by } : {}),
    decidedAt: decision.decidedAt,
  };
}

function jsonResponse(outcome: DecideOutcome): HttpResult {
  switch (outcome.kind) {
    case 'notFound':
      return problemResponse(404, 'not-found', 'Not found', 'This approval link is not valid.');
    case 'badNonce':
      return problemResponse(
        403,
        'invalid-nonce',
        'Forbidden',
        'The form nonce does not match this link; reload the page.',
      );
    case 'invalid':
      return problem({
        type: problemTypeUri('validation-error'),
        title: 'Invalid request content',
        status: 422,
        detail: outcome.errors.map((e) => `${e.field}: ${e.message}`).join(' '),
        errors: outcome.errors,
      });
    case 'expired':
      return problemResponse(
        410,
        'approval-expired',
        'Gone',
        'The deadline of this step passed; a fresh link is sent with the reminder.',
        {
          ...(outcome.lateDecision ? { recordedDecision: decisionJson(outcome.lateDecision) } : {}),
        },
      );
    case 'superseded':
      return problemResponse(
        410,
        'approval-superseded',
        'Gone',
        outcome.record.closedReason === 'onboarding-ended'
          ? 'The onboarding was cancelled: this link has ended.'
          : 'A newer link was sent for this step.',
      );
    case 'alreadyDecided':
      return problemResponse(409, 'approval-already-decided', 'Conflict', 'This link was already used.', {
        decided: decisionJson(outcome.decision),
      });
    case 'decided':
      return json(200, decisionJson(outcome.decision));
    case 'voteCounted':
      return json(202, {
        ...decisionJson(outcome.decision),
        votes: { approvals: outcome.approvals, needed: outcome.needed },
      });
    case 'decidedByOther':
      return problemResponse(
        409,
        'approval-already-decided',
        'Conflict',
        'The other members already decided.',
        {
          decided: decisionJson(outcome.outcome),
        },
      );
    case 'notPassedOn':
      return problem(
        {
          type: problemTypeUri('approval-not-passed-on'),
          title: 'Service unavailable',
          status: 503,
          detail:
            'The decision is recorded but the workflow could not be told yet; submit the same form again.',
        },
        { 'Retry-After': '30' },
      );
  }
}
