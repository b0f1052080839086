import type { StepDeadline } from './deadline';

/**
 * How often a stalled wait is escalated. Up to the escalation limit a wait gets a fresh deadline of its
 * working days after each escalation; from the limit on, the escalation contact (and the actor, whose
 * reminder comes with the re-entered wait) hear at most once a week: an onboarding left for months is a
 * handful of reminders, not a year of daily ones. Time-scaled like every other timeout.
 */
export const STALLED_REMINDER_DAYS = 7;

export function nextEscalationDeadline(input: {
  deadline: StepDeadline;
  now: Date;
  escalations: number;
  limit: number;
  timeScale: number;
}): StepDeadline {
  const { deadline, now, escalations, limit, timeScale } = input;
  if (escalations < limit) return deadline;
  const weekMs = STALLED_REMINDER_DAYS * 24 * 3_600_000;
  const weeklySeconds = Math.max(1, Math.ceil(weekMs / 1000 / timeScale));
  if (deadline.timeoutSeconds >= weeklySeconds) return deadline;
  return { dueAt: new Date(now.getTime() + weekMs).toISOString(), timeoutSeconds: weeklySeconds };
}
