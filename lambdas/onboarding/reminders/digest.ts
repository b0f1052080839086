import { IST_OFFSET_MS, istDateOf, type WorkingCalendar } from '../../core/calendar';
import type { CurrentWait, WaitingPerson } from '../waiting';

/**
 * Reminders that help rather than nag, as rules (pure: no AWS). A wait is *due soon* on the working day
 * before its due date (Delhi working calendar: weekends and gazetted holidays do not count), so a wait
 * due on Monday is due soon on the Friday before, or on the Thursday when that Friday is a holiday. On
 * such a day each person asked to act gets one digest, whatever the number of onboardings: every task
 * still waiting for them, the due-soon and overdue ones first. Passing the due date is the escalation's
 * business (lambdas/onboarding/tasks/escalate.ts), not the digest's.
 */

/** Digests go out from this hour (IST) on: in the morning of the working day, not at midnight. */
export const DIGEST_HOUR_IST = 9;

export interface ReminderTask {
  readonly onboardingId: string;
  readonly departmentName: string;
  readonly departmentCode: string;
  readonly wait: CurrentWait;
}

export interface DigestLine extends ReminderTask {
  readonly dueSoon: boolean;
}

export interface Digest {
  readonly recipient: WaitingPerson;
  /** The IST date the digest is for: one digest per recipient and day. */
  readonly day: string;
  readonly lines: readonly DigestLine[];
}

/** Whether `now` is on the working day before the IST day `dueAt` falls on. */
export function isDueSoon(dueAt: string, now: Date, calendar: WorkingCalendar): boolean {
  const today = istDateOf(now);
  const dueDay = istDateOf(new Date(dueAt));
  return today < dueDay && calendar.isWorkingDay(today) && calendar.addWorkingDays(today, 1) === dueDay;
}

/** Whether `now` is late enough in its IST day for digests to go out. */
export function isDigestHour(now: Date): boolean {
  return new Date(now.getTime() + IST_OFFSET_MS).getUTCHours() >= DIGEST_HOUR_IST;
}

const addressKey = (email: string) => email.trim().toLowerCase();

/**
 * One digest per person with at least one task due soon today, listing all their tasks: due soon first,
 * then overdue, then by due date. Persons are told apart by address, case-insensitively.
 */
export function digestsFor(tasks: readonly ReminderTask[], now: Date, calendar: WorkingCalendar): Digest[] {
  const byPerson = new Map<string, { recipient: WaitingPerson; lines: DigestLine[] }>();
  for (const task of tasks) {
    const dueSoon = task.wait.dueAt !== undefined && isDueSoon(task.wait.dueAt, now, calendar);
    for (const person of task.wait.persons) {
      const key = addressKey(person.email);
      const entry = byPerson.get(key) ?? { recipient: person, lines: [] };
      entry.lines.push({ ...task, dueSoon });
      byPerson.set(key, entry);
    }
  }
  const rank = (line: DigestLine) => (line.dueSoon ? 0 : line.wait.overdue ? 1 : 2);
  const day = istDateOf(now);
  return [...byPerson.values()]
    .filter((entry) => entry.lines.some((line) => line.dueSoon))
    .map(({ recipient, lines }) => ({
      recipient,
      day,
      lines: lines.sort(
        (a, b) => rank(a) - rank(b) || (a.wait.dueAt ?? '').localeCompare(b.wait.dueAt ?? ''),
      ),
    }));
}
