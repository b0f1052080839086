import type { APIGatewayProxyEvent } from 'aws-lambda';
import { getOnboarding, getOnboardingMeta } from '../onboarding/repository';
import { ConflictError, GoneError, ServiceUnavailableError, ValidationError } from '../shared/errors';
import { asksForJsonOnly, type HttpResult, httpHandler, json } from '../shared/http';
import {
  type ApprovalRecord,
  formNonce,
  hashApprovalId,
  type LinkState,
  linkState,
  nowEpoch,
  type RecordedDecision,
} from './approval';
import { committeeView, type DecideOutcome, decide, senderOf } from './decide';
import { type DecisionFormFields, decisionFormFields, MAX_FORM_BYTES } from './form';
import {
  foreignForm,
  LINK_ROUTE,
  linkNotFound,
  linkRecord,
  NOT_PASSED_ON_RETRY_SECONDS,
  page,
  settledPage,
  supersededLinkPage,
} from './link-pages';
import { type Moot, mootness } from './moot';
import {
  alreadyCompletePage,
  decidedPage,
  expiredPage,
  openPage,
  pendingResumePage,
  supersededPage,
} from './pages';
import { decidedByOtherPage, voteCountedPage } from './people-pages';
import { getApproval } from './repository';
import { replacedNote } from './revision-section';
import {
  noteUnsignedApproval,
  refuseUnsignedApproval,
  SignatureRequiredError,
  signatureRequiredPage,
} from './signed-approval';
import { loadSubject } from './subject';

/**
 * GET|HEAD|POST /approvals/{approvalId}: the page behind an emailed approval link, and its form.
 *
 * GET and HEAD only read (mail scanners open links before people do). POST decides (see ./decide).
 * Answers are HTML pages; a POST that asks for `Accept: application/json` (and not HTML) gets JSON on
 * success and problem+json otherwise, for scripted clients and tests. The shared chain reads the form
 * (its size, media type and fields) and answers every refusal and failure with a page (./link-pages).
 */

export const handler = httpHandler(
  { ...LINK_ROUTE, body: decisionFormFields, bodyType: 'form', maxBodyBytes: MAX_FORM_BYTES },
  // The chain reads a form on POST only: GET and HEAD have no body.
  async ({ event, path: { approvalId }, body }) =>
    body ? handlePost(event, approvalId, body) : handleGet(approvalId),
);

async function handleGet(approvalId: string): Promise<HttpResult> {
  const record = await linkRecord(approvalId);
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
      return supersededLinkPage(record);
    case 'expired':
      return page(410, expiredPage(record, lateDecisionOf(record)));
  }
}

/** The record and why, when `approvalId` is an open link that has nothing left to decide. */
async function mootOpenLink(approvalId: string): Promise<{ record: ApprovalRecord; moot: Moot } | undefined> {
  const record = await getApproval(hashApprovalId(approvalId));
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

async function handlePost(
  event: APIGatewayProxyEvent,
  approvalId: string,
  form: DecisionFormFields,
): Promise<HttpResult> {
  const asJson = asksForJsonOnly(event);
  // A moot link records nothing (./moot.ts): answered before anything is checked or written.
  const mooted = await mootOpenLink(approvalId);
  if (mooted) {
    if (asJson) {
      throw new GoneError(
        'Nothing is left to decide with this link: its step is already complete or the onboarding has ended. Nothing was recorded.',
        { problemType: 'approval-step-complete' },
      );
    }
    return page(410, alreadyCompletePage(mooted.record, mooted.moot));
  }
  const signatureRefusal = await refuseUnsignedApproval(approvalId, form);
  if (signatureRefusal) {
    if (asJson) throw new SignatureRequiredError(signatureRefusal);
    return page(422, signatureRequiredPage(signatureRefusal));
  }
  const outcome = await decide({
    approvalId,
    form,
    ...senderOf(event),
    now: new Date(),
  });
  // Answered alike to people and programs (the chain renders the page or the problem).
  if (outcome.kind === 'notFound') throw linkNotFound();
  if (outcome.kind === 'badNonce') throw foreignForm();
  if (outcome.kind === 'decided' && outcome.decision.decision === 'approve')
    await noteUnsignedApproval(outcome.record);
  return asJson ? jsonResponse(outcome) : await pageResponse(outcome, approvalId, form);
}

type Answered = Exclude<DecideOutcome, { kind: 'notFound' | 'badNonce' }>;

async function pageResponse(
  outcome: Answered,
  approvalId: string,
  form: DecisionFormFields,
): Promise<HttpResult> {
  switch (outcome.kind) {
    case 'invalid': {
      const { record, errors } = outcome;
      const values = { decision: form.decision, comment: form.comment, errors };
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
    case 'alreadyDecided':
    case 'decided':
      return settledPage(outcome);
    case 'voteCounted':
      return page(200, voteCountedPage(outcome.record, outcome.decision, outcome));
    case 'decidedByOther':
      return page(409, decidedByOtherPage(outcome.record, outcome.outcome));
    case 'notPassedOn':
      return page(
        503,
        pendingResumePage(outcome.record, outcome.decision, formNonce(approvalId, outcome.record.nonceSalt)),
        { 'Retry-After': String(NOT_PASSED_ON_RETRY_SECONDS) },
      );
  }
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

/** A scripted client's answer: the decision as JSON, or the outcome's problem (the chain renders it). */
function jsonResponse(outcome: Answered): HttpResult {
  switch (outcome.kind) {
    case 'decided':
      return json(200, decisionJson(outcome.decision));
    case 'voteCounted':
      return json(202, {
        ...decisionJson(outcome.decision),
        votes: { approvals: outcome.approvals, needed: outcome.needed },
      });
    case 'invalid':
      throw new ValidationError(outcome.errors);
    case 'expired':
      throw new GoneError('The deadline of this step passed; a fresh link is sent with the reminder.', {
        problemType: 'approval-expired',
        ...(outcome.lateDecision
          ? { extensions: { recordedDecision: decisionJson(outcome.lateDecision) } }
          : {}),
      });
    case 'superseded':
      throw new GoneError(
        outcome.record.closedReason === 'onboarding-ended'
          ? 'The onboarding was cancelled: this link has ended.'
          : 'A newer link was sent for this step.',
        { problemType: 'approval-superseded' },
      );
    case 'alreadyDecided':
      throw new ConflictError('This link was already used.', {
        problemType: 'approval-already-decided',
        extensions: { decided: decisionJson(outcome.decision) },
      });
    case 'decidedByOther':
      throw new ConflictError('The other members already decided.', {
        problemType: 'approval-already-decided',
        extensions: { decided: decisionJson(outcome.outcome) },
      });
    case 'notPassedOn':
      throw new ServiceUnavailableError(
        'The decision is recorded but the workflow could not be told yet; submit the same form again.',
        NOT_PASSED_ON_RETRY_SECONDS,
        { problemType: 'approval-not-passed-on' },
      );
  }
}
