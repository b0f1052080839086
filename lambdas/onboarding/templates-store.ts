import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceTemplate } from '../core/template';
import type { Onboarding } from '../core/workflow';
import { queryAllItems } from '../shared/all-items';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { ServiceUnavailableError } from '../shared/errors';
import { tableName } from '../shared/tables';
import { onboardingPk } from './keys';
import { updateMeta } from './meta-item';

/**
 * The submitted templates, one item per service, next to the onboarding's META item:
 *
 *   ONB#<id> / TEMPLATE#<version:4>#<submissionId>#<index:3>   { templatesVersion, submissionId, index, template }
 *
 * 200 services of up to 10,000 characters each do not fit one 400 KB item, so each template has its own.
 * Without transactions (dynalite has none) a submission is made visible in one conditional write:
 *   1. `stageTemplates` writes the items under a fresh submission id; nothing points at them yet;
 *   2. `activateTemplates` moves META's pointer (`templatesVersion` + `templatesSubmissionId`) to them,
 *      conditional on the version the submission was checked against;
 *   3. readers (`readTemplates`) query only the items of the submission META points to.
 * A reader therefore sees the previous submission or the new one, never a mix or a half-written one.
 * A staged submission that is not accepted (the wait was taken, or the workflow could not be resumed) is
 * deleted again (`discardTemplates`). Accepted submissions are kept: every version a HoD or reviewer
 * saw stays readable (at most 1 + MAX_AMENDMENT_ROUNDS + MAX_HOD_RETURNS + MAX_REPLACEMENTS = 21
 * versions per run; an admin's reopen starts a new run), so an audit entry's or a decision's version always names templates that can still be
 * read, and a resubmission can be compared with the version returned (./revision.ts).
 */

const table = () => tableName('onboardings');

export interface StagedTemplates {
  readonly templatesVersion: number;
  readonly submissionId: string;
  readonly count: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const submissionPrefix = (version: number, submissionId: string) =>
  `TEMPLATE#${pad(version, 4)}#${submissionId}#`;
const templateKey = (onboardingId: string, staged: StagedTemplates, index: number) => ({
  pk: onboardingPk(onboardingId),
  sk: `${submissionPrefix(staged.templatesVersion, staged.submissionId)}${pad(index, 3)}`,
});

/** BatchWriteItem takes at most 25 requests. */
const WRITE_CHUNK = 25;
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 1000;

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * Runs the requests to completion, chunk by chunk, retrying `UnprocessedItems` with exponential backoff
 * and full jitter. A throttled table past the retry budget is a 503 for the API (resending is safe: a
 * new submission stages under a new id).
 */
async function batchWrite(requests: readonly WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += WRITE_CHUNK) {
    let pending = requests.slice(start, start + WRITE_CHUNK);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) {
        throw new ServiceUnavailableError(
          'The templates could not be stored just now; submit them again.',
          5,
        );
      }
      if (attempt > 0) {
        const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
      }
      const { UnprocessedItems } = await dynamo.send(
        new BatchWriteCommand({ RequestItems: { [table()]: pending } }),
      );
      pending = (UnprocessedItems?.[table()] ?? []) as WriteRequest[];
    }
  }
}

/** Writes a submission's templates as the next version, invisible until `activateTemplates`. */
export async function stageTemplates(
  onboardingId: string,
  templates: readonly ServiceTemplate[],
  currentVersion: number,
): Promise<StagedTemplates> {
  const staged: StagedTemplates = {
    templatesVersion: currentVersion + 1,
    submissionId: randomUUID(),
    count: templates.length,
  };
  await batchWrite(
    templates.map((template, index) => ({
      PutRequest: {
        Item: {
          ...templateKey(onboardingId, staged, index),
          templatesVersion: staged.templatesVersion,
          submissionId: staged.submissionId,
          index,
          template,
        },
      },
    })),
  );
  return staged;
}

/** Deletes a staged submission that was never made current (or was reverted). */
export async function discardTemplates(onboardingId: string, staged: StagedTemplates): Promise<void> {
  await batchWrite(
    Array.from({ length: staged.count }, (_, index) => ({
      DeleteRequest: { Key: templateKey(onboardingId, staged, index) },
    })),
  );
}

/**
 * Makes a staged submission the onboarding's templates: one conditional write of META's pointer, only
 * while the version the submission was checked against is still current. False when another submission
 * won.
 */
export async function activateTemplates(
  onboardingId: string,
  staged: StagedTemplates,
  submittedAt: string,
): Promise<boolean> {
  return writeIf(
    updateMeta(onboardingId, {
      UpdateExpression:
        'SET templatesVersion = :next, templatesSubmissionId = :submission, templatesSubmittedAt = :at, updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND templatesVersion = :expected',
      ExpressionAttributeValues: {
        ':next': staged.templatesVersion,
        ':submission': staged.submissionId,
        ':expected': staged.templatesVersion - 1,
        ':at': submittedAt,
      },
    }),
  );
}

/**
 * Points META back at the templates it had before `activateTemplates` (conditional on the submission it
 * made current), when the workflow could not be resumed with them: a refused submission leaves the
 * onboarding as it was.
 */
export async function revertTemplates(
  before: Pick<
    Onboarding,
    'onboardingId' | 'templatesVersion' | 'templatesSubmissionId' | 'templatesSubmittedAt'
  >,
  staged: StagedTemplates,
): Promise<void> {
  const hadTemplates = before.templatesSubmissionId !== undefined;
  await writeIf(
    updateMeta(before.onboardingId, {
      UpdateExpression: hadTemplates
        ? 'SET templatesVersion = :version, templatesSubmissionId = :submission, templatesSubmittedAt = :at'
        : 'SET templatesVersion = :version REMOVE templatesSubmissionId, templatesSubmittedAt',
      ConditionExpression: 'templatesSubmissionId = :written',
      ExpressionAttributeValues: {
        ':version': before.templatesVersion,
        ':written': staged.submissionId,
        ...(hadTemplates
          ? { ':submission': before.templatesSubmissionId, ':at': before.templatesSubmittedAt }
          : {}),
      },
    }),
  );
}

/** The templates of one submission, in the order they were submitted (the order of the services). */
export async function querySubmission(
  onboardingId: string,
  templatesVersion: number,
  submissionId: string,
): Promise<ServiceTemplate[]> {
  const items = await queryAllItems({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: {
      ':pk': onboardingPk(onboardingId),
      ':prefix': submissionPrefix(templatesVersion, submissionId),
    },
    ProjectionExpression: 'template',
    ConsistentRead: true,
  });
  return items.map((item) => item.template as ServiceTemplate);
}
