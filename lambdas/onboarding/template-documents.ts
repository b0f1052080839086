import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Onboarding } from '../core/workflow';
import { dynamo } from '../shared/aws';
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
 *
 * This module holds the records only. The PDFs themselves are read and written by ./document-objects.ts
 * (S3), and a document is issued by ./template-document-issue.ts, which loads rendering and S3 with
 * `import()`: the many functions that read records here never carry S3 (docs/dashboard.md, Cold start).
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

/** The S3 key of a submission's issued PDF, or (suffix '-signed') of its signed copy. */
export const documentObjectKey = (onboardingId: string, version: number, submissionId: string, suffix = '') =>
  `onboardings/${onboardingId}/templates/v${pad(version)}-${submissionId}${suffix}.pdf`;

/** The API path a department downloads a version's PDF from (relative to the API's base URL). */
export const templateDocumentPath = (onboardingId: string, version: number, signed = false) =>
  `/v1/onboardings/${onboardingId}/templates/${version}/${signed ? 'signed.pdf' : 'document.pdf'}`;

export const PDF_CONTENT_TYPE = 'application/pdf';

/** Records the document of a staged submission (not yet accepted), once its PDF is stored. */
export async function putTemplateDocumentRecord(record: TemplateDocumentRecord): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: onboardingPk(record.onboardingId),
        sk: documentSk(record.templatesVersion, record.submissionId),
        ...record,
      },
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

/** Records on a document's item (which must exist) the signed copy stored beside its PDF. */
export async function setSignedDocument(
  document: TemplateDocumentRecord,
  signed: SignedDocumentRecord,
): Promise<void> {
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
