import type { WorkingCalendar } from '../../core/calendar';
import { formatIst } from '../../core/calendar';
import { maskEmail } from '../../core/email-mask';
import { attentionSentence } from '../../core/resume';
import { sopStep } from '../../core/sop';
import type { Onboarding } from '../../core/workflow';
import type { CurrentWait } from '../waiting';
import { describeSteps, predictedGoLive } from './status-view';

/**
 * Who the onboarding waits for, as the department reads it: the persons by name with their e-mail
 * masked (the department recognises them but gets no approver's address), since when, and the due date
 * in IST.
 */
export function waitingForView(waits: readonly CurrentWait[]) {
  return waits.map((wait) => ({
    step: wait.step,
    stepTitle: wait.stepTitle,
    role: wait.role,
    label: wait.label,
    persons: wait.persons.map((p) => ({ name: p.name, email: maskEmail(p.email) })),
    ...(wait.since ? { since: wait.since, sinceIst: formatIst(new Date(wait.since)) } : {}),
    ...(wait.dueAt ? { dueAt: wait.dueAt, dueAtIst: formatIst(new Date(wait.dueAt)) } : {}),
    overdue: wait.overdue,
  }));
}

/**
 * What the department API answers about an onboarding. Internal attributes (execution ARN, task tokens,
 * keys) never appear: the view picks fields rather than copying the item. The templates appear only when
 * the onboarding was read with them (`?include=templates`).
 */
export function onboardingView(
  onboarding: Onboarding,
  now: Date,
  calendar: WorkingCalendar,
  waits: readonly CurrentWait[],
) {
  const codes = onboarding.services.flatMap((s) =>
    s.serviceCode ? [{ serviceName: s.serviceName, serviceCode: s.serviceCode }] : [],
  );
  const goLive = predictedGoLive(onboarding, now, calendar);
  return {
    onboardingId: onboarding.onboardingId,
    status: onboarding.status,
    stalled: onboarding.status === 'STALLED',
    // Paused by a failure an admin resumes: the step and a plain sentence, never the technical cause.
    ...(onboarding.status === 'ATTENTION' && onboarding.attention
      ? {
          attention: {
            step: onboarding.attention.step,
            since: onboarding.attention.at,
            message: attentionSentence(onboarding.attention),
          },
        }
      : {}),
    currentStep: onboarding.currentStep,
    currentStepTitle: sopStep(onboarding.currentStep).title,
    waitingFor: waitingForView(waits),
    overdue: waits.some((w) => w.overdue),
    department: {
      departmentId: onboarding.departmentId,
      code: onboarding.departmentCode,
      name: onboarding.departmentName,
    },
    nodalOfficer: onboarding.nodalOfficer,
    competentAuthority: onboarding.competentAuthority,
    services: onboarding.services.map((s) => ({
      serviceName: s.serviceName,
      ...(s.serviceCode ? { serviceCode: s.serviceCode } : {}),
    })),
    ...(codes.length > 0 ? { serviceCodes: codes, serviceCodeStatus: onboarding.serviceCodeStatus } : {}),
    templatesVersion: onboarding.templatesVersion,
    ...(onboarding.templatesSubmittedAt ? { templatesSubmittedAt: onboarding.templatesSubmittedAt } : {}),
    ...(onboarding.templates ? { templates: onboarding.templates } : {}),
    amendmentRounds: onboarding.amendmentRounds ?? 0,
    steps: describeSteps(onboarding, now),
    ...(goLive ? { predictedGoLive: goLive } : {}),
    createdAt: onboarding.createdAt,
    createdAtIst: formatIst(new Date(onboarding.createdAt)),
    updatedAt: onboarding.updatedAt,
    ...(onboarding.liveAt ? { liveAt: onboarding.liveAt } : {}),
    ...(onboarding.rejectedAt ? { rejectedAt: onboarding.rejectedAt } : {}),
  };
}

/** The short form used in lists. */
export function onboardingSummary(onboarding: Onboarding) {
  return {
    onboardingId: onboarding.onboardingId,
    status: onboarding.status,
    currentStep: onboarding.currentStep,
    currentStepTitle: sopStep(onboarding.currentStep).title,
    services: onboarding.services.length,
    createdAt: onboarding.createdAt,
    updatedAt: onboarding.updatedAt,
  };
}
