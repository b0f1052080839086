import { departmentApiKey } from '../../departments/api-key-auth';
import { NotFoundError } from '../../shared/errors';
import { type HttpResult, httpHandler } from '../../shared/http';
import { readPdf } from '../document-objects';
import { findTemplateDocument, PDF_CONTENT_TYPE } from '../template-documents';
import { ownOnboarding } from './access';
import { templateDocumentPathSchema } from './schemas';

/**
 * GET /v1/onboardings/{onboardingId}/templates/{version}/document.pdf: the Service Details Template PDF
 * the system issued for that version of the templates; .../signed.pdf: the copy the competent authority
 * signed (step 3), once verified.
 */
export function pdfResponse(pdf: Uint8Array, filename: string, sha256: string): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'Content-Type': PDF_CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Document-Sha256': sha256,
    },
    body: Buffer.from(pdf).toString('base64'),
    isBase64Encoded: true,
  };
}

export const handler = httpHandler(
  { auth: departmentApiKey, path: templateDocumentPathSchema },
  async ({ caller: department, path, event }) => {
    const onboarding = await ownOnboarding(department, path.onboardingId, { withTemplates: false });
    const signed = event.resource.endsWith('/signed.pdf');
    const document = await findTemplateDocument(onboarding, path.version);
    const stored = signed ? document?.signed : document;
    if (!stored) {
      throw new NotFoundError(
        signed
          ? `Version ${path.version} of the templates has no signed document.`
          : `Version ${path.version} of the templates has no document.`,
      );
    }
    const pdf = await readPdf(stored.key);
    if (!pdf) throw new NotFoundError(`The document of version ${path.version} is not available.`);
    const name = `service-details-${onboarding.departmentCode}-v${path.version}${signed ? '-signed' : ''}.pdf`;
    return pdfResponse(pdf, name, stored.sha256);
  },
);
