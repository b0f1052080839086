import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { sfn } from '../../shared/aws';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../../shared/errors';
import { httpHandler, json } from '../../shared/http';
import { logger } from '../../shared/observability';
import { appendAudit } from '../audit';
import {
  claimWaitToken,
  MAX_TEMPLATES_BYTES,
  peekWaitToken,
  restoreWaitToken,
  revertTemplates,
  saveTemplates,
} from '../repository';
import { parseTemplatesCsv, validateTemplatesSubmission } from '../templates-input';
import { ownOnboarding } from './access';
import { onboardingPathSchema } from './schemas';

/**
 * PUT /v1/onboardings/{onboardingId}/templates: the filled service-details templates, as JSON
 * ({"services": [...]}) or CSV (header row of the five field names). Accepted (202) only while the
 * workflow waits for them: at step 3, or after the e-Taal Nodal Contact returned them (step 4).
 * Checks, in order: 404 not the caller's, 409 not waiting, 422 every bad field (CSV: row and column).
 *
 * The wait's task token is taken atomically before anything is written, so two concurrent submissions
 * cannot both resume it; if resuming fails for a transient reason the token is put back.
 */

const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

function notWaiting(step: number): ConflictError {
  return new ConflictError(
    `The onboarding is at step ${step} and is not waiting for templates. Templates are taken at step 3 and when the e-Taal Nodal Contact returns them for amendments.`,
    { problemType: 'not-accepting-templates' },
  );
}

export const handler = httpHandler(
  {
    auth: 'apiKey',
    path: onboardingPathSchema,
    body: z.unknown(),
    bodyType: 'json-or-csv',
    // The CSV is parsed in the handler, after the 404 and 409 checks, so its errors never hide those.
    csv: (text) => text,
    // Up to 200 templates of up to 500 words: more than the default body limit, within API Gateway's.
    maxBodyBytes: 1024 * 1024,
  },
  async ({ department, path, body, mediaType }) => {
    const onboarding = await ownOnboarding(department, path.onboardingId);
    const { onboardingId } = onboarding;
    const open = onboarding.status !== 'LIVE' && onboarding.status !== 'REJECTED';
    if (!open || !(await peekWaitToken(onboardingId, 'TEMPLATES'))) throw notWaiting(onboarding.currentStep);

    let submission: unknown = body;
    if (mediaType === 'csv') {
      const csv = parseTemplatesCsv(String(body));
      if (!csv.ok) throw new ValidationError(csv.errors);
      submission = csv.body;
    }
    const result = validateTemplatesSubmission(
      submission,
      onboarding.services,
      mediaType === 'csv' ? 'csv' : 'json',
    );
    if (!result.ok) throw new ValidationError(result.errors);
    const bytes = Buffer.byteLength(JSON.stringify(result.templates), 'utf8');
    if (bytes > MAX_TEMPLATES_BYTES) {
      throw ValidationError.forField(
        mediaType === 'csv' ? 'rows' : 'services',
        `The templates take ${Math.ceil(bytes / 1000)} KB; one onboarding holds at most ${MAX_TEMPLATES_BYTES / 1000} KB. Shorten the descriptions or split the services into two onboardings.`,
      );
    }

    const wait = await claimWaitToken(onboardingId, 'TEMPLATES');
    if (!wait) throw notWaiting(onboarding.currentStep);
    const submittedAt = new Date().toISOString();
    if (!(await saveTemplates(onboardingId, result.templates, onboarding.templatesVersion, submittedAt))) {
      await restoreWaitToken(onboardingId, 'TEMPLATES', wait);
      throw new ConflictError(
        'Another submission of templates was accepted at the same time; reload and retry.',
        {
          problemType: 'concurrent-submission',
        },
      );
    }
    const templatesVersion = onboarding.templatesVersion + 1;
    try {
      await sfn.send(
        new SendTaskSuccessCommand({
          taskToken: wait.taskToken,
          output: JSON.stringify({ submitted: true, templatesVersion, submittedAt }),
        }),
      );
    } catch (error) {
      // Not handed over: the onboarding goes back to its previous templates (no partial write).
      await revertTemplates(onboarding);
      if (error instanceof Error && STALE_TOKEN_ERRORS.has(error.name)) {
        throw new ConflictError(
          'The deadline for these templates has just passed; a reminder with a new deadline is on its way. Submit again in a minute.',
          { problemType: 'wait-expired' },
        );
      }
      logger.error('Could not resume the workflow with the templates', { onboardingId, error });
      await restoreWaitToken(onboardingId, 'TEMPLATES', wait);
      throw new ServiceUnavailableError(
        'The templates could not be handed to the workflow; submit them again.',
        30,
      );
    }
    await appendAudit(onboardingId, {
      type: 'TEMPLATES_SUBMITTED',
      step: wait.step,
      role: 'department',
      detail: { phase: wait.phase, templatesVersion, services: result.templates.length, format: mediaType },
    });
    return json(202, {
      onboardingId,
      templatesVersion,
      submittedAt,
      services: result.templates.length,
      next:
        wait.phase === 'templates'
          ? 'Your competent authority will receive a link to approve the templates (step 3).'
          : 'The e-Taal Nodal Contact will receive the amended templates to review (step 4).',
    });
  },
);
