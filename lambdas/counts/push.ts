import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../core/counts';
import * as z from '../core/zod';
import { departmentApiKey } from '../departments/api-key-auth';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../shared/errors';
import { httpHandler, json } from '../shared/http';
import { tableName } from '../shared/tables';
import { RETRY_AFTER_SECONDS } from './batch';
import { countsCsvToBody, csvFieldName } from './csv';
import type { TestCountsArrived } from './ports';
import { takeRequest } from './rate-limit';
import { countsPushHeadersSchema } from './schemas';
import { type PushResult, pushCounts } from './service';

/**
 * PUT /v1/counts: a department sets daily totals. With an `Idempotency-Key` header the first answer is
 * kept for a day and replayed for the same key and body; the key is scoped to the department (the
 * department id is part of the hashed key), so two departments cannot collide or probe each other's keys.
 */

const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: '[departmentId, idempotencyKey]',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
  throwOnNoIdempotencyKey: true,
});

interface PushRequest {
  readonly departmentId: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
  /** CSV problems are named by row and column; the body itself is the same for both media types. */
  readonly csv: boolean;
  /** ISO instant; not part of the key, so a resend later the same day replays the first answer. */
  readonly receivedAt: string;
}

const fieldNaming = (csv: boolean) => (csv ? csvFieldName : undefined);

/** The handler, given the onboarding workflow to tell of test counts (wired in lambdas/entries/push-counts.ts). */
export const pushCountsHandler = (workflow: TestCountsArrived) => {
  const pushOnce = makeIdempotent(
    async (request: PushRequest): Promise<PushResult> =>
      pushCounts(
        workflow,
        request.departmentId,
        request.body,
        new Date(request.receivedAt),
        fieldNaming(request.csv),
      ),
    {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: tableName('idempotency') }),
      config: idempotencyConfig,
    },
  );

  return httpHandler(
    {
      auth: departmentApiKey,
      body: z.unknown(),
      bodyType: 'json-or-csv',
      csv: countsCsvToBody,
      headers: countsPushHeadersSchema,
      maxBodyBytes: MAX_BODY_BYTES,
    },
    async ({ caller: department, body, headers, mediaType }, context) => {
      const now = new Date();
      await takeRequest(department.departmentId, now);
      const idempotencyKey = headers['idempotency-key'];
      const csv = mediaType === 'csv';
      const result = idempotencyKey
        ? await pushIdempotently(
            pushOnce,
            {
              departmentId: department.departmentId,
              idempotencyKey,
              body,
              csv,
              receivedAt: now.toISOString(),
            },
            context,
          )
        : await pushCounts(workflow, department.departmentId, body, now, fieldNaming(csv));
      return json(200, result);
    },
  );
};

async function pushIdempotently(
  pushOnce: (request: PushRequest) => Promise<PushResult>,
  request: PushRequest,
  context: Context,
): Promise<PushResult> {
  idempotencyConfig.registerLambdaContext(context);
  try {
    return await pushOnce(request);
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw ValidationError.forField(
        'Idempotency-Key',
        'This key was already used with a different body; use a new key for a new request',
        { problemType: 'idempotency-key-reused' },
      );
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError(
        'A request with this Idempotency-Key is still being processed; retry shortly.',
        {
          problemType: 'idempotency-in-progress',
        },
      );
    }
    if (error instanceof IdempotencyPersistenceLayerError) {
      throw new ServiceUnavailableError(
        'The idempotency store is unavailable; send the same request again.',
        RETRY_AFTER_SECONDS,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
