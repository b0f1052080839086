import type { ServiceTemplate } from '../core/template';
import type { Onboarding } from '../core/workflow';
import {
  documentObjectKey,
  putTemplateDocumentRecord,
  type TemplateDocumentRecord,
} from './template-documents';

/**
 * Issuing a submission's Service Details Template PDF. Only the templates submission imports this module:
 * the `import()`s below would otherwise make a chunk of every function that reads document records, and
 * esbuild moves the SDK files such a chunk shares through barrels into the chunks their cold starts load.
 */

/** Renders and stores the document of a staged submission (not yet accepted). */
export async function issueTemplateDocument(
  onboarding: Pick<
    Onboarding,
    'onboardingId' | 'departmentName' | 'departmentCode' | 'nodalOfficer' | 'competentAuthority'
  >,
  staged: { templatesVersion: number; submissionId: string },
  templates: readonly ServiceTemplate[],
  submittedAt: string,
): Promise<TemplateDocumentRecord> {
  // pdf-lib, fontkit and the S3 client are loaded by the first request that issues a document: a
  // submission refused for its content never pays for importing them.
  const [{ renderTemplateDocument }, { putPdf }] = await Promise.all([
    import('../documents/template-pdf'),
    import('./document-objects'),
  ]);
  const rendered = await renderTemplateDocument({
    onboardingId: onboarding.onboardingId,
    departmentName: onboarding.departmentName,
    departmentCode: onboarding.departmentCode,
    nodalOfficer: onboarding.nodalOfficer,
    competentAuthority: onboarding.competentAuthority,
    templatesVersion: staged.templatesVersion,
    submissionId: staged.submissionId,
    submittedAt,
    services: templates,
  });
  const key = documentObjectKey(onboarding.onboardingId, staged.templatesVersion, staged.submissionId);
  await putPdf(key, rendered.pdf, rendered.sha256);
  const record: TemplateDocumentRecord = {
    onboardingId: onboarding.onboardingId,
    templatesVersion: staged.templatesVersion,
    submissionId: staged.submissionId,
    key,
    sha256: rendered.sha256,
    fingerprint: rendered.fingerprint,
    bytes: rendered.pdf.length,
    pages: rendered.pages,
    renderedAt: new Date().toISOString(),
  };
  await putTemplateDocumentRecord(record);
  return record;
}
