import { formatIst } from '../core/calendar';
import { ROLES, type Role, type StepNumber, sopStep } from '../core/sop';
import { MAX_REPLACEMENTS, type Onboarding, replacementsLeft, type WaitPhase } from '../core/workflow';
import { WAITS } from './workflow/waits';

/**
 * Why PUT /templates is refused right now (409), in words a department can act on: where the onboarding
 * is, who it waits for, and what the department can do next. Pure: the API handler throws it as the
 * problem's `detail` and extension members (`state`, `nextAction`), documented in ./openapi.ts.
 */
export interface TemplatesState {
  readonly status: string;
  readonly step: StepNumber;
  readonly stepTitle: string;
  /** The wait the step is in, when it is in one. */
  readonly phase?: WaitPhase;
  /** Whom the step waits for now. */
  readonly waitingFor?: Role;
  /** The version of the templates the onboarding holds (0 before the first). */
  readonly templatesVersion: number;
}

export interface TemplatesConflict {
  readonly detail: string;
  readonly state: TemplatesState;
  readonly nextAction: string;
}

/** The steps whose waits take templates or decide on them (3 and 4 in the SoP). */
const TEMPLATE_STEPS = Object.values(WAITS)
  .filter((w) => w.kind === 'templates' || w.decidesOnTemplates)
  .map((w) => w.step);
const FIRST_TEMPLATE_STEP = Math.min(...TEMPLATE_STEPS);
const LAST_TEMPLATE_STEP = Math.max(...TEMPLATE_STEPS);

const RESUBMIT_EMAIL =
  'If they return the templates, you receive an email with the comment and the exact request to resubmit.';

/**
 * The 409 for a replacement past MAX_REPLACEMENTS while the HoD's link is pending; undefined when the
 * submission may go ahead (or is not a replacement: a requested resubmission is never refused here).
 */
export function replacementRefused(onboarding: Onboarding): TemplatesConflict | undefined {
  const phase = onboarding.steps[String(onboarding.currentStep)]?.phase;
  if (!phase || !WAITS[phase].replaceable || replacementsLeft(onboarding) > 0) return undefined;
  const conflict = templatesConflict(onboarding);
  return {
    ...conflict,
    detail: `Version ${onboarding.templatesVersion} is awaiting your ${ROLES.competentAuthority}, and the templates were already replaced ${MAX_REPLACEMENTS} times before a decision (the most allowed).`,
    nextAction: `Ask your ${ROLES.competentAuthority} to decide on version ${onboarding.templatesVersion}: if they return it, you can submit a corrected version.`,
  };
}

export function templatesConflict(onboarding: Onboarding): TemplatesConflict {
  const step = onboarding.currentStep;
  const stepState = onboarding.steps[String(step)];
  const phase = stepState?.phase;
  const waitingFor = phase ? WAITS[phase].role : undefined;
  const version = onboarding.templatesVersion;
  const state: TemplatesState = {
    status: onboarding.status,
    step,
    stepTitle: sopStep(step).title,
    ...(phase ? { phase } : {}),
    ...(waitingFor ? { waitingFor } : {}),
    templatesVersion: version,
  };
  const due = stepState?.dueAt ? ` (due ${formatIst(new Date(stepState.dueAt))})` : '';
  const at = `The onboarding is at step ${step} (${state.stepTitle})`;
  const explain = (detail: string, nextAction: string): TemplatesConflict => ({ detail, state, nextAction });

  switch (onboarding.status) {
    case 'REJECTED':
      return explain(
        `The onboarding was rejected at step ${step}; it takes no more templates.`,
        'To apply again, create a new onboarding with POST /v1/onboardings (send an Idempotency-Key to create it on the same day as the rejected one).',
      );
    case 'LIVE':
      return explain(
        `The onboarding is live: its templates (version ${version}) were approved at step ${LAST_TEMPLATE_STEP} and are no longer changed through this API.`,
        `To change a live service's details, write to the ${ROLES.etaalNodalContact}.`,
      );
    case 'ATTENTION':
      return explain(
        `${at} and is paused for an administrator after a failure on our side.`,
        'Submit again once it resumes (GET /v1/onboardings/{onboardingId} shows its status); the administrators have been told.',
      );
    default:
      break;
  }
  if (step < FIRST_TEMPLATE_STEP) {
    return explain(
      `${at}: the request for templates is being sent, and templates are taken from step ${FIRST_TEMPLATE_STEP}.`,
      'Submit again in a few seconds.',
    );
  }
  if (phase && WAITS[phase].decidesOnTemplates && !WAITS[phase].replaceable) {
    return explain(
      `${at}: the ${waitingFor ? ROLES[waitingFor] : 'reviewer'} is reviewing version ${version}${due}; templates cannot be replaced during the review.`,
      `Wait for the review. ${RESUBMIT_EMAIL}`,
    );
  }
  if (step <= LAST_TEMPLATE_STEP) {
    // Waiting for templates or the HoD, but the wait is being set up (a new link, a reminder): a moment.
    return explain(
      `${at} and is about to wait for ${waitingFor ? `the ${ROLES[waitingFor]}` : 'its next action'}; templates are not taken at this moment.`,
      'Submit again in a minute.',
    );
  }
  return explain(
    `${at}: the templates (version ${version}) were approved at step ${LAST_TEMPLATE_STEP} and are no longer taken.`,
    `To change a service's details now, write to the ${ROLES.etaalNodalContact}.`,
  );
}
