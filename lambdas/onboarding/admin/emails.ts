import type { Onboarding } from '../../core/workflow';
import { compose, type Email, heading, paragraph } from '../emails';

/** The emails of an admin's cancel and reopen: the department and the approvers it waited on are told. */

export function cancelledEmail(onboarding: Onboarding, reason: string): Email {
  return compose(onboarding, onboarding.currentStep, 'onboarding cancelled', [
    paragraph(
      `The DeGS administrators cancelled this onboarding at step ${onboarding.currentStep}. Links sent for it no longer work and nothing more is needed from you. Service Codes not yet live are withdrawn.`,
    ),
    heading('Reason given'),
    paragraph(reason),
  ]);
}

export function reopenedEmail(onboarding: Onboarding, step: number, reason: string): Email {
  return compose(onboarding, onboarding.currentStep, `onboarding reopened at step ${step}`, [
    paragraph(
      `The DeGS administrators reopened this onboarding at step ${step}. Whoever acts at that step receives a new email with what to do; earlier links stay closed.`,
    ),
    heading('Reason given'),
    paragraph(reason),
  ]);
}
