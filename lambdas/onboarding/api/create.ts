import { createHash } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { loadWorkingCalendar } from '../../config/repository';
import { istDateOf } from '../../core/calendar';
import { executionName } from '../../core/resume';
import { FIRST_STEP, FIRST_WORKFLOW_STEP } from '../../core/sop';
import type { Onboarding } from '../../core/workflow';
import { departmentApiKey } from '../../departments/api-key-auth';
import { requirePinnedAuthority } from '../../departments/authority';
import { ConflictError, ServiceUnavailableError } from '../../shared/errors';
import { httpHandler, json } from '../../shared/http';
import { logger } from '../../shared/observability';
import { publicBaseUrl, readSetting } from '../../shared/settings';
import { sfn } from '../../shared/sfn';
import { appendAudit } from '../audit';
import { admitNewOnboarding } from '../quotas';
import { emptySteps, getOnboardingWithRequestHash, putNewOnboarding, setExecutionArn } from '../repository';
import { type CreateOnboardingRequest, createOnboardingSchema, idempotencyHeadersSchema } from './schemas';
import { onboardingView } from './view';

/**
 * POST /v1/onboardings (SoP step 1): the department lists its services and nominates its nodal officer;
 * the workflow execution starts at step 2.
 *
 * Idempotency: the onboarding id is derived from the department and an idempotency key, so a repeated
 * request finds the onboarding it created (conditional put) and answers it again instead of creating a
 * second one; the execution is started under that id as its name, so it starts at most once too.
 *   - With an `Idempotency-Key` header, the key is the client's: the same key with a different body is
 *     409 `idempotency-key-reused`.
 *   - Without one, the key is the request body itself plus the IST date: the same request sent twice the
 *     same day is one onboarding (a department that really wants a second, identical one that day sends
 *     an Idempotency-Key).
 */

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A UUID-shaped (version 8: custom) id from a hash, usable as a Step Functions execution name. */
function idFromHash(hex: string): string {
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function deriveOnboardingId(departmentId: string, idempotencyKey: string): string {
  return idFromHash(sha256(`${departmentId}\n${idempotencyKey}`));
}

/**
 * Starts (or finds started) the onboarding's execution, named from its department code, IST date and id
 * (lambdas/core/resume.ts), so an admin finds it in the console and a replayed request names the same one.
 */
async function startWorkflow(onboarding: Onboarding): Promise<void> {
  const { onboardingId } = onboarding;
  try {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: readSetting('stateMachineArn'),
        name: executionName(onboarding),
        input: JSON.stringify({ onboardingId }),
      }),
    );
    if (executionArn) await setExecutionArn(onboardingId, executionArn);
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
    logger.error('Could not start the onboarding workflow', { onboardingId, error });
    throw new ServiceUnavailableError(
      'The onboarding is recorded but its workflow could not be started; send the same request again.',
      30,
    );
  }
}

export const handler = httpHandler(
  { auth: departmentApiKey, body: createOnboardingSchema, headers: idempotencyHeadersSchema },
  async ({ caller: department, body, headers }) => {
    const request: CreateOnboardingRequest = body;
    await requirePinnedAuthority(department.departmentId, request.competentAuthority);
    const now = new Date();
    const requestHash = sha256(JSON.stringify(request));
    const explicitKey = headers['idempotency-key'];
    const idempotencyKey = explicitKey ? `key:${explicitKey}` : `body:${requestHash}:${istDateOf(now)}`;
    const onboardingId = deriveOnboardingId(department.departmentId, idempotencyKey);

    const onboarding: Onboarding = {
      onboardingId,
      departmentId: department.departmentId,
      departmentCode: department.code,
      departmentName: department.name,
      status: 'IN_PROGRESS',
      currentStep: FIRST_WORKFLOW_STEP,
      nodalOfficer: request.nodalOfficer,
      competentAuthority: request.competentAuthority,
      services: request.services.map((s) => ({ serviceName: s.serviceName })),
      templatesVersion: 0,
      amendmentRounds: 0,
      steps: {
        ...emptySteps(),
        // Step 1 is this request: started and done now.
        [String(FIRST_STEP)]: {
          startedAt: now.toISOString(),
          dueAt: now.toISOString(),
          completedAt: now.toISOString(),
          decisions: [],
          escalationsByPhase: {},
        },
      },
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };

    let stored = onboarding;
    let replayed = false;
    await admitNewOnboarding(department.departmentId, onboardingId, now);
    if (await putNewOnboarding(onboarding, requestHash)) {
      await appendAudit(onboardingId, {
        type: 'onboarding.created',
        step: FIRST_STEP,
        role: 'department',
        detail: { services: onboarding.services.length },
      });
    } else {
      const existing = await getOnboardingWithRequestHash(onboardingId);
      if (!existing) throw new Error(`Onboarding ${onboardingId} vanished after a conflicting put`);
      if (existing.requestHash !== requestHash) {
        throw new ConflictError('This Idempotency-Key was already used for a different request.', {
          problemType: 'idempotency-key-reused',
          errors: [{ field: 'headers["idempotency-key"]', message: 'Already used with another body' }],
        });
      }
      stored = existing.onboarding;
      replayed = true;
    }
    // Also on a replay: the first attempt may have stored the onboarding and failed before starting it.
    if (!stored.executionArn) await startWorkflow(stored);

    return json(201, onboardingView(stored, now, await loadWorkingCalendar(), []), {
      // Absolute, from PUBLIC_BASE_URL: behind the default execute-api URL the path starts with the stage.
      Location: `${publicBaseUrl()}/v1/onboardings/${onboardingId}`,
      ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    });
  },
);
