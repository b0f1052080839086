import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceTemplate } from '../core/template';
import type { Onboarding } from '../core/workflow';
import { dynamo, s3 } from '../shared/aws';
import { bucketName } from '../shared/buckets';
import { tableName } from '../shared/tables';
import { onboardingPk } from './keys';

/**
 * The issued Service Details Template PDFs (issue 13): one per accepted submission, rendered when the
 * submission is staged, kept in the documents bucket, and described by an item next to the templates:
 *
 *   ONB#<id> / DOCUMENT#TEMPLATE#<version:4>#<submissionId>   { key, sha256, fingerprint, ..., acceptedAt?, signed? }
 *
 * Like the template items, a document is written before its submission is accepted and is named by the
 * submission id, so a refused submission's document is never read; `acceptedAt` tells the accepted one
 * of a version from leftovers. The signed copy the competent authority uploads at step 3 is stored beside
 * it (`signed`).
 */

export interface SignedDocumentRecord {
  readonly key: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly signerSubject: string;
  readonly signerIssuer: string;
  readonly signerSerial: string;
  readonly signerCertificateSha256: string;
  readonly signingTime?: string;
  readonly revocationChecked: boolean;
  /** Shown to every later approver (e.g. the signer is not the competent authority on record). */
  readonly warnings: readonly string[];
  readonly storedAt: string;
}

export interface TemplateDocumentRecord {
  readonly onboardingId: string;
  readonly templatesVersion: number;
  readonly submissionId: string;
  /** S3 key of the issued PDF. */
  readonly key: string;
  readonly sha256: string;
  readonly fingerprint: string;
  readonly bytes: number;
  readonly pages: number;
  readonly renderedAt: string;
  readonly acceptedAt?: string;
  readonly signed?: SignedDocumentRecord;
}

const table = () => tableName('onboardings');
const pad = (n: number) => String(n).padStart(4, '0');
const documentSk = (version: number, submissionId: string) =>
  `DOCUMENT#TEMPLATE#${pad(version)}#${submissionId}`;
const objectKey = (onboardingId: string, version: number, submissionId: string, suffix = '') =>
  `onboardings/${onboardingId}/templates/v${pad(version)}-${submissionId}${suffix}.pdf`;

/** The API path a department downloads a version's PDF from (relative to the API's base URL). */
export const templateDocumentPath = (onboardingId: string, version: number, signed = false) =>
  `/v1/onboardings/${onboardingId}/templates/${version}/${signed ? 'signed.pdf' : 'document.pdf'}`;

export const PDF_CONTENT_TYPE = 'application/pdf';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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
  // pdf-lib and fontkit are loaded only by the request that renders a document: the many functions that
  // read document records through this module never pay for importing them.
  const { renderTemplateDocument } = await import('../documents/template-pdf');
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
  const key = objectKey(onboarding.onboardingId, staged.templatesVersion, staged.submissionId);
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
  await dynamo.send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: onboardingPk(onboarding.onboardingId),
        sk: documentSk(staged.templatesVersion, staged.submissionId),
        ...record,
      },
    }),
  );
  return record;
}

async function putPdf(key: string, pdf: Uint8Array, sha256: string): Promise<void> {
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

/** Marks the document of a submission the workflow accepted. */
export async function markTemplateDocumentAccepted(
  onboardingId: string,
  staged: { templatesVersion: number; submissionId: string },
  acceptedAt: string,
): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: onboardingPk(onboardingId), sk: documentSk(staged.templatesVersion, staged.submissionId) },
      UpdateExpression: 'SET acceptedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': acceptedAt },
    }),
  );
}

/**
 * The document of a version: for the onboarding's current version the submission META points to, for
 * an earlier one the accepted document of that version.
 */
export async function findTemplateDocument(
  onboarding: Pick<Onboarding, 'onboardingId' | 'templatesVersion' | 'templatesSubmissionId'>,
  version: number,
): Promise<TemplateDocumentRecord | undefined> {
  if (version === onboarding.templatesVersion && onboarding.templatesSubmissionId) {
    const { Item } = await dynamo.send(
      new GetCommand({
        TableName: table(),
        Key: {
          pk: onboardingPk(onboarding.onboardingId),
          sk: documentSk(version, onboarding.templatesSubmissionId),
        },
        ConsistentRead: true,
      }),
    );
    return Item ? toRecord(Item) : undefined;
  }
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': onboardingPk(onboarding.onboardingId),
        ':prefix': `DOCUMENT#TEMPLATE#${pad(version)}#`,
      },
      ConsistentRead: true,
    }),
  );
  const accepted = Items.find((item) => item.acceptedAt !== undefined);
  return accepted ? toRecord(accepted) : undefined;
}

function toRecord(item: Record<string, unknown>): TemplateDocumentRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as TemplateDocumentRecord;
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

/**
 * Stores a verified signed copy beside the issued document, once: a second upload for the same document
 * finds `signed` set and is refused by the condition.
 */
export async function storeSignedDocument(
  document: TemplateDocumentRecord,
  pdf: Uint8Array,
  signer: Omit<SignedDocumentRecord, 'key' | 'sha256' | 'bytes' | 'storedAt'>,
  now: Date,
): Promise<SignedDocumentRecord> {
  const sha256 = sha256Hex(pdf);
  const signed: SignedDocumentRecord = {
    ...signer,
    key: objectKey(document.onboardingId, document.templatesVersion, document.submissionId, '-signed'),
    sha256,
    bytes: pdf.length,
    storedAt: now.toISOString(),
  };
  await putPdf(signed.key, pdf, sha256);
  await dynamo.send(
    new UpdateCommand({
      TableName: table(),
      Key: {
        pk: onboardingPk(document.onboardingId),
        sk: documentSk(document.templatesVersion, document.submissionId),
      },
      UpdateExpression: 'SET signed = :signed',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':signed': signed },
    }),
  );
  return signed;
}

/** What the department API says about the current templates' document (GET /v1/onboardings/{id}). */
export async function documentView(
  onboarding: Pick<Onboarding, 'onboardingId' | 'templatesVersion' | 'templatesSubmissionId'>,
) {
  if (onboarding.templatesVersion < 1) return undefined;
  const document = await findTemplateDocument(onboarding, onboarding.templatesVersion);
  if (!document) return undefined;
  const { signed } = document;
  return {
    templatesVersion: document.templatesVersion,
    url: templateDocumentPath(onboarding.onboardingId, document.templatesVersion),
    sha256: document.sha256,
    templateSha256: document.fingerprint,
    pages: document.pages,
    ...(signed
      ? {
          signed: {
            url: templateDocumentPath(onboarding.onboardingId, document.templatesVersion, true),
            sha256: signed.sha256,
            signerSubject: signed.signerSubject,
            signerIssuer: signed.signerIssuer,
            signerSerial: signed.signerSerial,
            signerCertificateSha256: signed.signerCertificateSha256,
            signingTime: signed.signingTime,
            revocationChecked: signed.revocationChecked,
            warnings: signed.warnings,
          },
        }
      : {}),
  };
}
