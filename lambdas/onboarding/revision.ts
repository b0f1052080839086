import { formatIst } from '../core/calendar';
import { ROLES, type Role, type StepNumber } from '../core/sop';
import type { ServiceTemplate } from '../core/template';
import { describeChanges, diffTemplates, hasChanges, type TemplatesDiff } from '../core/template-diff';
import { type DecisionRecord, type Onboarding, returnAnswered } from '../core/workflow';
import { type Block, heading, list, paragraph } from './emails';
import { querySubmission } from './templates-store';

/**
 * A resubmission, as its approver sees it (round N of the review, or the HoD's sign-off of amended
 * templates): which return it answers, with the comment, and what changed since the version returned.
 * The approval page (approvals/revision-section.ts) and the approver's email render it.
 */
export interface Revision {
  /** The return this version answers (who, when, comment, the version returned). */
  readonly returned: DecisionRecord & { readonly templates: { version: number; submissionId: string } };
  /** 1 + the returns the same approver made on the step: the review's round number. */
  readonly round: number;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly diff: TemplatesDiff;
}

/**
 * The revision `role` decides on at `step`, or undefined for a first submission. Reads the version
 * returned; `onboarding.templates` is used when loaded (else the current version is read too).
 */
export async function revisionFor(
  onboarding: Onboarding,
  step: StepNumber,
  role: Role,
): Promise<Revision | undefined> {
  // Tolerates an onboarding item written without steps (nothing to compare then).
  const state = onboarding.steps?.[String(step)];
  const returned = returnAnswered(state, role);
  if (!returned?.templates || !onboarding.templatesSubmissionId) return undefined;
  if (returned.templates.version === onboarding.templatesVersion) return undefined;
  const { onboardingId } = onboarding;
  const [before, after] = await Promise.all([
    querySubmission(onboardingId, returned.templates.version, returned.templates.submissionId),
    onboarding.templates ??
      querySubmission(onboardingId, onboarding.templatesVersion, onboarding.templatesSubmissionId),
  ]);
  const round =
    1 + (state?.decisions ?? []).filter((d) => d.decision === 'return' && d.role === returned.role).length;
  return {
    returned: returned as Revision['returned'],
    round,
    fromVersion: returned.templates.version,
    toVersion: onboarding.templatesVersion,
    diff: diffTemplates(before as readonly ServiceTemplate[], after),
  };
}

const returnedBy = (returned: DecisionRecord) =>
  returned.role === 'system' ? ROLES.system : ROLES[returned.role];

/** The lead of a revision: a resubmission, which round, who returned which version when. */
export function revisionLead(revision: Revision): string {
  const { returned, round, fromVersion, toVersion } = revision;
  return `This is a resubmission (round ${round}): version ${toVersion} answers the return of version ${fromVersion} by the ${returnedBy(returned)} on ${formatIst(new Date(returned.decidedAt))}.`;
}

/** The revision in an approver's email: the lead, the earlier comment and one line per change. */
export function revisionBlocks(revision: Revision): Block[] {
  const changes = describeChanges(revision.diff);
  return [
    heading(`Resubmission: round ${revision.round}`),
    paragraph(revisionLead(revision)),
    ...(revision.returned.comment
      ? [
          paragraph(`Earlier comment of the ${returnedBy(revision.returned)}:`),
          paragraph(revision.returned.comment),
        ]
      : []),
    heading(`What changed since version ${revision.fromVersion}`),
    hasChanges(revision.diff)
      ? list(changes)
      : paragraph('Nothing: the department resubmitted the same templates.'),
  ];
}
