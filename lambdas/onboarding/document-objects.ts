import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { bucketName } from '../shared/buckets';
import { s3 } from '../shared/s3';
import {
  documentObjectKey,
  PDF_CONTENT_TYPE,
  type SignedDocumentRecord,
  setSignedDocument,
  type TemplateDocumentRecord,
} from './template-documents';

/**
 * The template PDFs as objects of the documents bucket: reading one, storing an issued one or a signed
 * copy. Apart from ./template-documents.ts (the records) so that only the functions that move PDFs carry
 * the S3 client, and the templates submission loads it with `import()` (./template-document-issue.ts).
 */

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function putPdf(key: string, pdf: Uint8Array, sha256: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucketName('documents'),
      Key: key,
      Body: pdf,
      ContentType: PDF_CONTENT_TYPE,
      Metadata: { sha256 },
    }),
  );
}

/** The bytes of a stored PDF, or undefined when the object is missing. */
export async function readPdf(key: string): Promise<Uint8Array | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucketName('documents'), Key: key }));
    return object.Body ? await object.Body.transformToByteArray() : undefined;
  } catch (error) {
    if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')) return undefined;
    throw error;
  }
}

/** Stores a verified signed copy beside the issued PDF, and records it on the document's item. */
export async function storeSignedDocument(
  document: TemplateDocumentRecord,
  pdf: Uint8Array,
  signer: Omit<SignedDocumentRecord, 'key' | 'sha256' | 'bytes' | 'storedAt'>,
  now: Date,
): Promise<SignedDocumentRecord> {
  const sha256 = sha256Hex(pdf);
  const signed: SignedDocumentRecord = {
    ...signer,
    key: documentObjectKey(
      document.onboardingId,
      document.templatesVersion,
      document.submissionId,
      '-signed',
    ),
    sha256,
    bytes: pdf.length,
    storedAt: now.toISOString(),
  };
  await putPdf(signed.key, pdf, sha256);
  await setSignedDocument(document, signed);
  return signed;
}
