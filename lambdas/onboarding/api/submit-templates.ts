import { ROLES } from '../../core/sop';
import { isFinished, RESUBMITTED } from '../../core/workflow';
import * as z from '../../core/zod';
import { departmentApiKey } from '../../departments/api-key-auth';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../../shared/errors';
import { httpHandler, json } from '../../shared/http';
import { logger } from '../../shared/observability';
import { type ResumeOutcome, resumeTask } from '../../shared/resume-task';
import { appendAudit } from '../audit';
import { getOnboardingMeta, type Onboarding } from '../repository';
import { stepModule } from '../steps';
import { issueTemplateDocument } from '../template-document-issue';
import { markTemplateDocumentAccepted, templateDocumentPath } from '../template-documents';
import { replacementRefused, type TemplatesConflict, templatesConflict } from '../templates-conflict';
import { parseTemplatesCsv, validateTemplatesSubmission } from '../templates-input';
import {
  activateTemplates,
  discardTemplates,
  revertTemplates,
  type StagedTemplates,
  stageTemplates,
} from '../templates-store';
import { claimWaitToken, peekWaitToken, restoreWaitToken } from '../wait-tokens';
import { WAITS } from '../workflow/waits';
import { ownOnboarding } from './access';
import { onboardingPathSchema } from './schemas';

/**
 * PUT /v1/onboardings/{onboardingId}/templates: the filled service-details templates, as JSON
 * ({"services": [...]}) or CSV (header row of the five field names). Accepted (202) only while the
 * workflow waits for them: at step 3, or after the e-Taal Nodal Contact returned them (step 4).
 * Checks, in order: 404 not the caller's, 409 not waiting, 422 every bad field (CSV: row and column).
 *
 * Then, so that nobody ever sees a submission half-applied (../templates-store.ts): the templates are
 * staged as items of a new submission; the wait's task token is taken atomically (two concurrent
 * submissions cannot both resume it); META's pointer is moved to the staged submission in one
 * conditional write; the workflow is resumed. If any of that fails, the pointer goes back, the staged
 * items are deleted and, for a transient failure, the token is put back so the department can retry.
 */

/**
 * Up to 200 templates of up to 500 words (at most 10,000 characters each): about 0.7 MB of typical
 * English, 2 MB at the character limit, 2 MB for 500 words of Devanagari (3 bytes a character). 3 MiB
 * takes all of that with room for JSON or CSV syntax, and stays within Lambda's 6 MB event limit even if
 * API Gateway base64-encodes the body (4 MiB). It is also the bound on what one version stores.
 */
export const MAX_TEMPLATES_BODY_BYTES = 3 * 1024 * 1024;

/** 409: the onboarding does not take templates now; the problem says where it is and what to do. */
function notWaiting(onboarding: Onboarding): ConflictError {
  return conflictError(templatesConflict(onboarding));
}

function conflictError({ detail, state, nextAction }: TemplatesConflict): ConflictError {
  return new ConflictError(`${detail} ${nextAction}`, {
    problemType: 'not-accepting-templates',
    extensions: { state, nextAction },
  });
}

export const handler = httpHandler(
  {
    auth: departmentApiKey,
    path: onboardingPathSchema,
    body: z.unknown(),
    bodyType: 'json-or-csv',
    // The CSV is parsed in the handler, after the 404 and 409 checks, so its errors never hide those.
    csv: (text) => text,
    maxBodyBytes: MAX_TEMPLATES_BODY_BYTES,
  },
  async ({ caller: department, path, body, mediaType }) => {
    const onboarding = await ownOnboarding(department, path.onboardingId, { withTemplates: false });
    const { onboardingId } = onboarding;
    const open = !isFinished(onboarding.status);
    if (!open || !(await peekWaitToken(onboardingId, 'TEMPLATES'))) throw notWaiting(onboarding);
    const tooManyReplacements = replacementRefused(onboarding);
    if (tooManyReplacements) throw conflictError(tooManyReplacements);

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

    const staged = await stageTemplates(onboardingId, result.templates, onboarding.templatesVersion);
    const submittedAt = new Date().toISOString();
    // Rendered before the submission is accepted, so the competent authority's link always has its PDF.
    const document = await issueTemplateDocument(onboarding, staged, result.templates, submittedAt).catch(
      async (error: unknown) => {
        await discard(onboardingId, staged);
        throw error;
      },
    );
    const wait = await claimWaitToken(onboardingId, 'TEMPLATES');
    if (!wait) {
      await discard(onboardingId, staged);
      // Someone else took the wait since the check: explain the state as it is now.
      throw notWaiting((await getOnboardingMeta(onboardingId)) ?? onboarding);
    }
    if (!(await activateTemplates(onboardingId, staged, submittedAt))) {
      await restoreWaitToken(onboardingId, 'TEMPLATES', wait);
      await discard(onboardingId, staged);
      throw new ConflictError(
        'Another submission of templates was accepted at the same time; reload and retry.',
        { problemType: 'concurrent-submission' },
      );
    }
    const { templatesVersion } = staged;
    // Before the HoD decided, the submission replaces the version awaiting them: it ends their wait.
    const replacing = WAITS[wait.phase].replaceable === true;
    let resumed: ResumeOutcome;
    try {
      // Only the version: the templates stay in DynamoDB, out of the execution's 256 KB state.
      resumed = await resumeTask(
        wait.taskToken,
        replacing
          ? { decision: RESUBMITTED, templatesVersion, submittedAt }
          : { submitted: true, templatesVersion, submittedAt },
        { onboardingId, wait: wait.phase },
      );
    } catch (error) {
      // Not handed over: the onboarding goes back to its previous templates (no partial write).
      await revertTemplates(onboarding, staged);
      await discard(onboardingId, staged);
      logger.error('Could not resume the workflow with the templates', { onboardingId, error });
      await restoreWaitToken(onboardingId, 'TEMPLATES', wait);
      throw new ServiceUnavailableError(
        'The templates could not be handed to the workflow; submit them again.',
        30,
      );
    }
    if (resumed === 'closed') {
      await revertTemplates(onboarding, staged);
      await discard(onboardingId, staged);
      throw new ConflictError(
        replacing
          ? `Your ${ROLES.competentAuthority} decided on version ${onboarding.templatesVersion} (or its deadline passed) just as these templates arrived; nothing was changed. Read the onboarding (GET /v1/onboardings/${onboardingId}) to see what happens next.`
          : 'The deadline for these templates has just passed; a reminder with a new deadline is on its way. Submit again in a minute.',
        { problemType: 'wait-expired' },
      );
    }
    await appendAudit(onboardingId, {
      type: 'templates.submitted',
      step: wait.step,
      role: 'department',
      detail: {
        phase: wait.phase,
        ...(replacing ? { replaced: onboarding.templatesVersion } : {}),
        templatesVersion,
        submissionId: staged.submissionId,
        services: result.templates.length,
        format: mediaType,
        documentSha256: document.sha256,
        templateSha256: document.fingerprint,
      },
    });
    await markTemplateDocumentAccepted(onboardingId, staged, submittedAt).catch((error: unknown) =>
      logger.warn('Could not mark the template document accepted', { onboardingId, error }),
    );
    return json(202, {
      onboardingId,
      templatesVersion,
      submittedAt,
      services: result.templates.length,
      document: {
        url: templateDocumentPath(onboardingId, templatesVersion),
        sha256: document.sha256,
        templateSha256: document.fingerprint,
      },
      next:
        stepModule(wait.step).submissionNext?.(WAITS[wait.phase], onboarding.templatesVersion) ??
        'The workflow moves on with these templates.',
    });
  },
);

/**
 * Deletes a staged submission nobody points to. Best effort: the department's answer must not depend on
 * it, and items left behind are never read (no META pointer names them).
 */
async function discard(onboardingId: string, staged: StagedTemplates): Promise<void> {
  try {
    await discardTemplates(onboardingId, staged);
  } catch (error) {
    logger.warn('Could not delete a staged submission of templates', {
      onboardingId,
      submissionId: staged.submissionId,
      error,
    });
  }
}
