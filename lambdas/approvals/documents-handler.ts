import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from '../core/zod';
import { readPdf } from '../onboarding/document-objects';
import { getOnboarding } from '../onboarding/repository';
import { html, renderPage } from '../shared/html';
import { type HttpResult, httpHandler } from '../shared/http';
import { logger } from '../shared/observability';
import { SIGNED_STEP, signsTemplates } from '../signatures/policy';
import { linkState, nonceMatches } from './approval';
import { type DecideOutcome, decide, senderOf } from './decide';
import { signedUploadFields } from './form';
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
import { decidedPage, expiredPage } from './pages';
import {
  auditSignature,
  currentDocument,
  MAX_SIGNED_PDF_BYTES,
  signedLine,
  verifyAndStore,
} from './signed-approval';

/**
 * The document of an approval link (issue 13):
 *   GET  /approvals/{approvalId}/document.pdf   the issued Service Details Template of the current templates
 *   GET  /approvals/{approvalId}/signed.pdf     its verified signed copy
 *   POST /approvals/{approvalId}/signed-pdf     step 3: the competent authority uploads the signed PDF,
 *        as multipart/form-data (fields `nonce`, `file`) or as raw application/pdf with the nonce in
 *        `?nonce=`. Only a verified signature records the approval; a refusal changes nothing.
 * The shared chain reads the upload (its size, media type and fields) and answers every refusal and
 * failure with a page (./link-pages).
 */

/** Room for the multipart envelope around a PDF of the limit. */
const MULTIPART_ENVELOPE_BYTES = 16 * 1024;

export const handler = httpHandler(
  {
    ...LINK_ROUTE,
    body: signedUploadFields,
    bodyType: 'upload',
    maxBodyBytes: MAX_SIGNED_PDF_BYTES + MULTIPART_ENVELOPE_BYTES,
    // A raw application/pdf upload carries the page's nonce in the query.
    query: z.object({ nonce: z.optional(z.string()) }),
  },
  // The chain reads the upload on POST only: GET downloads.
  async ({ event, path: { approvalId }, body, query }) =>
    body
      ? upload(event, approvalId, { nonce: body.nonce ?? query.nonce, pdf: body.file })
      : download(approvalId, event.resource.endsWith('/signed.pdf')),
);

async function download(approvalId: string, signed: boolean): Promise<HttpResult> {
  const record = await linkRecord(approvalId);
  if (record.step < SIGNED_STEP) throw linkNotFound();
  const onboarding = await getOnboarding(record.onboardingId);
  const document = await currentDocument(onboarding);
  const stored = signed ? document?.signed : document;
  const pdf = stored && (await readPdf(stored.key));
  if (!document || !stored || !pdf) {
    return page(
      404,
      renderPage({
        title: 'No document',
        body: html`<p class="notice bad">${signed ? 'The document has not been signed.' : 'The document is not available.'}</p>`,
      }),
    );
  }
  const name = `service-details-${onboarding?.departmentCode ?? 'template'}-v${document.templatesVersion}${signed ? '-signed' : ''}.pdf`;
  return {
    statusCode: 200,
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
    body: Buffer.from(pdf).toString('base64'),
    isBase64Encoded: true,
  };
}

function refusedPage(status: number, title: string, message: string, advice: string): HttpResult {
  return page(
    status,
    renderPage({
      title,
      body: html`<p class="notice bad" role="alert">${message}</p><p>${advice}</p><p>Nothing was recorded. Go back to the approval page (the link in your email) to try again.</p>`,
    }),
  );
}

interface Upload {
  readonly nonce: string | undefined;
  readonly pdf: Uint8Array;
}

async function upload(
  event: APIGatewayProxyEvent,
  approvalId: string,
  received: Upload,
): Promise<HttpResult> {
  const record = await linkRecord(approvalId);
  const now = new Date();
  const state = linkState(record, now);
  if (state.kind === 'decided') return page(409, decidedPage(record, state.decision, false));
  if (state.kind === 'superseded') return supersededLinkPage(record);
  if (state.kind === 'expired') return page(410, expiredPage(record, undefined));
  if (!signsTemplates(record) || !record.choices.includes('approve')) {
    return refusedPage(
      409,
      'No signature needed here',
      'This step is not approved with a signed document.',
      'Use the form on the approval page.',
    );
  }
  if (!received.nonce || !nonceMatches(approvalId, record.nonceSalt, received.nonce)) throw foreignForm();
  if (received.pdf.length === 0) {
    return refusedPage(422, 'No file', 'No file was uploaded.', 'Choose the signed PDF and upload it.');
  }
  if (received.pdf.length > MAX_SIGNED_PDF_BYTES) {
    return refusedPage(
      413,
      'The file is too large',
      `The signed PDF must be at most ${MAX_SIGNED_PDF_BYTES / 1024 / 1024} MB.`,
      'Upload the PDF you downloaded from the approval page, signed and saved once.',
    );
  }
  const onboarding = await getOnboarding(record.onboardingId);
  if (!onboarding) throw linkNotFound();
  const result = await verifyAndStore(onboarding, received.pdf, now);
  if (result.kind === 'noDocument') {
    return refusedPage(
      409,
      'No document to sign',
      'The document of these templates is not available.',
      'Try again in a few minutes.',
    );
  }
  if (result.kind === 'refused') {
    logger.info('Signed PDF refused', {
      approvalRef: record.approvalHash.slice(0, 12),
      code: result.verdict.code,
    });
    return refusedPage(422, 'The signed PDF was not accepted', result.verdict.message, result.verdict.advice);
  }
  await auditSignature(record, result);
  const signed = result.verdict.signer;
  const outcome = await decide({
    approvalId,
    form: {
      nonce: received.nonce,
      decision: 'approve',
      comment: `Approved with a digital signature: ${signedLine({
        signerSubject: signed.subject,
        signerIssuer: signed.issuer,
        signingTime: result.verdict.signingTime,
        storedAt: now.toISOString(),
      })}.`,
    },
    ...senderOf(event),
    now,
  });
  return outcomePage(outcome);
}

async function outcomePage(outcome: DecideOutcome): Promise<HttpResult> {
  switch (outcome.kind) {
    case 'decided':
    case 'alreadyDecided':
    case 'superseded':
      return settledPage(outcome);
    case 'expired':
      return page(410, expiredPage(outcome.record, outcome.lateDecision));
    case 'notPassedOn':
      return page(503, decidedPage(outcome.record, outcome.decision, false), {
        'Retry-After': String(NOT_PASSED_ON_RETRY_SECONDS),
      });
    case 'badNonce':
      throw foreignForm();
    default:
      throw linkNotFound();
  }
}
