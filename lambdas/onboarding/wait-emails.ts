import { formatIst } from '../core/calendar';
import { ROLES, type Role } from '../core/sop';
import type { Onboarding, WaitPhase } from '../core/workflow';
import { type Block, compose, due, type Email, heading, link, paragraph, serviceNames } from './emails';
import { submitRequestBlocks } from './templates-request';
import { WAITS } from './workflow/waits';

/**
 * The emails of any wait, written from its spec (onboarding/workflow/waits.ts): the approval link or the
 * request to (re)submit templates, and the escalation contact's notice when a wait is overdue. Apart
 * from ./emails (the frame the step modules compose with), which must not import the wait table: the
 * step modules declare it.
 */

// A wait: the approval link, or the request to (re)submit templates

export interface WaitEmailInput {
  readonly onboarding: Onboarding;
  readonly phase: WaitPhase;
  readonly dueAt: string;
  /** How many times this wait has been escalated; from 1 on the email is a reminder. */
  readonly escalations: number;
  readonly approvalUrl?: string;
  /** The return this email answers (an amendment request): who returned the templates, their comment. */
  readonly returned?: { readonly role: Role | 'system'; readonly comment?: string };
  /** What changed since the version returned (a resubmission's review), from ./resubmission-summary. */
  readonly revision?: readonly Block[];
  readonly baseUrl: string;
  /** What the approver needs to decide (./dossier-email.ts); without it the services are listed by name. */
  readonly dossier?: readonly Block[];
}

export function waitEmail(input: WaitEmailInput): Email {
  const { onboarding, phase, dueAt, escalations, approvalUrl, returned, baseUrl, dossier } = input;
  const spec = WAITS[phase];
  const blocks: Block[] = [];
  if (escalations > 0) {
    blocks.push(
      paragraph(
        `REMINDER: this step passed its deadline (escalation ${escalations}). The escalation contact has been informed. Any earlier link has expired; use the one below.`,
      ),
    );
  }
  blocks.push(paragraph(spec.action.replace('{onboardingId}', onboarding.onboardingId)));
  if (returned?.comment !== undefined) {
    blocks.push(heading(`Comments of the ${ROLES[returned.role]}`), paragraph(returned.comment));
  }
  if (spec.kind === 'templates') {
    blocks.push(
      ...submitRequestBlocks(onboarding, baseUrl),
      heading('Your services'),
      serviceNames(onboarding),
      due(dueAt),
    );
  } else {
    // A resubmission's approver first reads which return it answers and what changed.
    blocks.push(...(input.revision ?? []));
    if (approvalUrl) {
      blocks.push(
        link('Open the approval page', approvalUrl),
        paragraph(
          'The link is personal to your role for this step: do not forward it. Opening it changes nothing; you decide on the page.',
        ),
      );
    }
    // The deadline next to the link; what to decide on (the dossier) after it.
    blocks.push(due(dueAt), ...(dossier ?? [heading('Services'), serviceNames(onboarding)]));
  }
  const what = spec.kind === 'templates' ? 'templates needed' : `action needed by ${ROLES[spec.role]}`;
  return compose(onboarding, spec.step, escalations > 0 ? `REMINDER: ${what}` : what, blocks);
}

// ---------------------------------------------------------------------------------------------------
// Escalation copy

export function escalationEmail(input: {
  onboarding: Onboarding;
  phase: WaitPhase;
  previousDueAt: string | undefined;
  dueAt: string;
  escalations: number;
  limit: number;
  stalled: boolean;
}): Email {
  const { onboarding, phase, previousDueAt, dueAt, escalations, limit, stalled } = input;
  const spec = WAITS[phase];
  return compose(onboarding, spec.step, `overdue (escalation ${escalations})`, [
    paragraph(
      `This step is waiting for ${spec.kind === 'approvalOrSignal' ? `test counts from the department (or the ${ROLES[spec.role]}'s confirmation)` : `the ${ROLES[spec.role]}`} and passed its deadline${previousDueAt ? ` of ${formatIst(new Date(previousDueAt))}` : ''}. A reminder has been sent to them, with a new deadline.`,
    ),
    paragraph(
      stalled
        ? `The onboarding is now flagged STALLED (${escalations} escalations of this step; the limit is ${limit}). It keeps waiting; please follow up with the ${ROLES[spec.role]}.`
        : `Escalation ${escalations} of ${limit} before the onboarding is flagged STALLED.`,
    ),
    due(dueAt),
  ]);
}
