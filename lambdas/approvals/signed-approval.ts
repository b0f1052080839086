import { formatIst } from '../core/calendar';
import type { Onboarding } from '../core/workflow';
import { appendAudit } from '../onboarding/audit';
import { readPdf, storeSignedDocument } from '../onboarding/document-objects';
import {
  findTemplateDocument,
  type SignedDocumentRecord,
  type TemplateDocumentRecord,
} from '../onboarding/template-documents';
import { HttpError } from '../shared/errors';
import { html, renderPage, type SafeHtml } from '../shared/html';
import { hodSignaturePolicy, SIGNED_STEP, signsTemplates } from '../signatures/policy';
import { uploadedDscProvider } from '../signatures/provider';
import type { Verdict } from '../signatures/verify';
import { type ApprovalRecord, hashApprovalId, isWellFormedApprovalId } from './approval';
import { getApproval } from './repository';

/**
 * Step 3 with a digital signature (issue 13): what the approval pages show about the issued and the
 * signed Service Details Template, and verifying and keeping an uploaded signed PDF. The pages and the
 * decision flow call in here through small hooks; the rules are in ../signatures.
 */

/** A signed 200-service template is under 2 MB; 4 MiB stays within Lambda's 6 MB event once base64-encoded. */
export const MAX_SIGNED_PDF_BYTES = 4 * 1024 * 1024;

/** Links relative to the approval page (`/approvals/<id>`). */
const documentUrl = (approvalId: string, signed: boolean) =>
  `${approvalId}/${signed ? 'signed.pdf' : 'document.pdf'}`;

export function signedLine(
  signed: Pick<SignedDocumentRecord, 'signerSubject' | 'signerIssuer' | 'signingTime' | 'storedAt'>,
): string {
  return `signed by ${signed.signerSubject} (${signed.signerIssuer}) on ${formatIst(new Date(signed.signingTime ?? signed.storedAt))}`;
}

/** The current templates' document, for a page of `record`'s onboarding. */
export async function currentDocument(
  onboarding: Onboarding | undefined,
): Promise<TemplateDocumentRecord | undefined> {
  if (!onboarding || onboarding.templatesVersion < 1) return undefined;
  return findTemplateDocument(onboarding, onboarding.templatesVersion);
}

/**
 * The part of an approval page about the document: at step 3 the download and the upload form (and
 * whether a click may approve); at later steps who signed it, with any warning, and the downloads.
 */
export async function documentSection(
  record: ApprovalRecord,
  onboarding: Onboarding | undefined,
  approvalId: string,
  nonce: string | undefined,
): Promise<SafeHtml | undefined> {
  if (record.step < SIGNED_STEP) return undefined;
  const document = await currentDocument(onboarding);
  if (!document) return undefined;
  const download = html`<a href="${documentUrl(approvalId, false)}" download>Service Details Template, version ${document.templatesVersion} (PDF)</a>`;
  if (signsTemplates(record)) {
    const policy = hodSignaturePolicy();
    if (policy === 'off') return html`<h2>The document</h2><p>${download}</p>`;
    return html`<h2>Sign the document</h2>
<ol>
<li>Download ${download}. SHA-256 of the template data: <code>${document.fingerprint}</code>.</li>
<li>Sign it with your Class 3 Digital Signature Certificate in your PDF signing tool (or with Aadhaar eSign), without changing it, and save the signed copy.</li>
<li>Upload the signed PDF here. It is checked at once; only a valid signature on this very document approves the step.</li>
</ol>
${nonce && uploadForm(approvalId, nonce)}
${
  policy === 'optional'
    ? html`<p class="muted">This deployment also accepts approval without a digital signature (the form below); it is recorded as "approved without a digital signature".</p>`
    : html`<p class="muted">A digital signature is required to approve this step; to return or reject, no signature is needed.</p>`
}`;
  }
  if (!document.signed) {
    return html`<h2>The document</h2><p>${download}</p><p class="notice bad">The competent authority approved version ${document.templatesVersion} without a digital signature.</p>`;
  }
  const warnings = document.signed.warnings ?? [];
  return html`<h2>The document</h2>
<p class="notice ok">Version ${document.templatesVersion}: ${signedLine(document.signed)}.</p>
${warnings.length > 0 && html`<div class="notice bad" role="alert"><p><strong>Check before you decide:</strong></p><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`}
<p>${download} · <a href="${documentUrl(approvalId, true)}" download>Signed copy (PDF)</a></p>`;
}

/** The HoD's signed copy of the current templates, for the history of a later step's page. */
export async function signedCopyOf(
  record: ApprovalRecord,
  onboarding: Onboarding,
  approvalId: string,
): Promise<{ url: string; line: string } | undefined> {
  if (record.step <= SIGNED_STEP) return undefined;
  const signed = (await currentDocument(onboarding))?.signed;
  return signed && { url: documentUrl(approvalId, true), line: signedLine(signed) };
}

function uploadForm(approvalId: string, nonce: string): SafeHtml {
  return html`<form method="post" action="${approvalId}/signed-pdf" enctype="multipart/form-data">
<input type="hidden" name="nonce" value="${nonce}">
<p><label for="signed-pdf">Signed PDF (at most ${MAX_SIGNED_PDF_BYTES / 1024 / 1024} MB)</label></p>
<p><input id="signed-pdf" type="file" name="file" accept="application/pdf" required></p>
<p><button type="submit">Upload the signed PDF and approve</button></p>
</form>`;
}

/** Whether a click "approve" of `record` is refused because a signature is required. */
export function clickApprovalNeedsSignature(record: ApprovalRecord, decision: unknown): boolean {
  return signsTemplates(record) && decision === 'approve' && hodSignaturePolicy() === 'required';
}

/** Audit note of a click approval where signing was optional. */
export async function noteUnsignedApproval(record: ApprovalRecord): Promise<void> {
  if (!signsTemplates(record) || hodSignaturePolicy() !== 'optional') return;
  await appendAudit(record.onboardingId, {
    type: 'approval.unsigned',
    step: record.step,
    role: record.role,
    detail: { note: 'approved without a digital signature', approvalRef: record.approvalHash },
  });
}

export type SignedUploadResult =
  | { kind: 'refused'; verdict: Extract<Verdict, { ok: false }> }
  | { kind: 'noDocument' }
  | { kind: 'verified'; verdict: Extract<Verdict, { ok: true }>; document: TemplateDocumentRecord };

/** Verifies an upload against the issued document of the onboarding's current templates and keeps it. */
export async function verifyAndStore(
  onboarding: Onboarding,
  upload: Uint8Array,
  now: Date,
): Promise<SignedUploadResult> {
  const document = await currentDocument(onboarding);
  const issued = document && (await readPdf(document.key));
  if (!document || !issued) return { kind: 'noDocument' };
  const signed = await uploadedDscProvider.complete(
    {
      onboardingId: onboarding.onboardingId,
      templatesVersion: document.templatesVersion,
      issued,
      issuedSha256: document.sha256,
      signer: onboarding.competentAuthority,
    },
    upload,
  );
  // pkijs and @peculiar/x509 are loaded only by the request that verifies an upload: the approval pages
  // and click decisions, which all share this function's bundle, never pay for importing them.
  const [{ verifySignedPdf }, { loadTrustMaterial }] = await Promise.all([
    import('../signatures/verify'),
    import('../signatures/trust-store'),
  ]);
  const verdict = await verifySignedPdf({
    signed,
    issued,
    trust: await loadTrustMaterial(),
    expectedSigner: onboarding.competentAuthority,
    now,
  });
  if (!verdict.ok) return { kind: 'refused', verdict };
  await storeSignedDocument(
    document,
    signed,
    {
      signerSubject: verdict.signer.subject,
      signerIssuer: verdict.signer.issuer,
      signerSerial: verdict.signer.serialNumber,
      signerCertificateSha256: verdict.signer.certificateSha256,
      signingTime: verdict.signingTime,
      revocationChecked: verdict.revocationChecked,
      warnings: verdict.warnings,
    },
    now,
  );
  return { kind: 'verified', verdict, document };
}

/** The audit entry of a verified signature (before the decision entry that follows it). */
export async function auditSignature(
  record: ApprovalRecord,
  result: Extract<SignedUploadResult, { kind: 'verified' }>,
): Promise<void> {
  const { verdict, document } = result;
  await appendAudit(record.onboardingId, {
    type: 'approval.signed',
    step: record.step,
    role: record.role,
    detail: {
      templatesVersion: document.templatesVersion,
      signerSubject: verdict.signer.subject,
      signerIssuer: verdict.signer.issuer,
      signerSerial: verdict.signer.serialNumber,
      signerCertificateSha256: verdict.signer.certificateSha256,
      signingTime: verdict.signingTime,
      signingTimeSource: verdict.signingTimeSource,
      documentSha256: verdict.documentSha256,
      issuedDocumentSha256: document.sha256,
      templateSha256: document.fingerprint,
      subFilter: verdict.subFilter,
      revocationChecked: verdict.revocationChecked,
      warnings: verdict.warnings,
      approvalRef: record.approvalHash,
    },
  });
}

/**
 * Hook of the click form: with `etaal:hodSignature=required`, "approve" at step 3 only comes with a
 * verified signed PDF; the refusal message, or undefined to go on.
 */
export async function refuseUnsignedApproval(
  approvalId: string,
  form: { readonly decision?: string },
): Promise<string | undefined> {
  if (form.decision !== 'approve' || hodSignaturePolicy() !== 'required') return undefined;
  const record = isWellFormedApprovalId(approvalId)
    ? await getApproval(hashApprovalId(approvalId))
    : undefined;
  if (!record || !clickApprovalNeedsSignature(record, form.decision)) return undefined;
  return 'This step is approved by uploading the Service Details Template signed with your Digital Signature Certificate; approving without a signature is not allowed in this deployment. Nothing was recorded.';
}

/** The refusal of a click approval where a signature is required, for a program (problem+json). */
export class SignatureRequiredError extends HttpError {
  readonly status = 422;
  readonly title = 'Signature required';
  protected readonly defaultProblemType = 'signature-required';
}

export function signatureRequiredPage(message: string): string {
  return renderPage({
    title: 'A digital signature is required',
    body: html`<p class="notice bad" role="alert">${message}</p><p>Open the link in your email again, download the PDF, sign it and upload the signed file.</p>`,
  });
}
