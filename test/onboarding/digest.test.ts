import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../lambdas/core/calendar';
import { SEED_HOLIDAY_CALENDARS } from '../../lambdas/core/holidays-seed';
import {
  digestsFor,
  isDigestHour,
  isDueSoon,
  type ReminderTask,
} from '../../lambdas/onboarding/reminders/digest';
import { digestEmail } from '../../lambdas/onboarding/reminders/digest-email';
import type { CurrentWait } from '../../lambdas/onboarding/waiting';

const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear: () => {} });

/** 23:59:59 IST of an IST date: how every SoP deadline falls. */
const endOfIstDay = (date: string) => new Date(`${date}T23:59:59+05:30`).toISOString();
/** An instant at a given IST wall-clock time. */
const ist = (dateTime: string) => new Date(`${dateTime}+05:30`);

describe('due soon: the working day before the due date, in IST', () => {
  it('is the day before on an ordinary week', () => {
    const due = endOfIstDay('2026-11-19'); // Thursday
    expect(isDueSoon(due, ist('2026-11-18T10:00'), calendar)).toBe(true);
    expect(isDueSoon(due, ist('2026-11-17T10:00'), calendar)).toBe(false);
    expect(isDueSoon(due, ist('2026-11-19T10:00'), calendar)).toBe(false);
  });

  it('is the Friday before a Monday deadline, not the weekend', () => {
    const due = endOfIstDay('2026-11-30'); // Monday
    expect(isDueSoon(due, ist('2026-11-27T10:00'), calendar)).toBe(true);
    expect(isDueSoon(due, ist('2026-11-28T10:00'), calendar)).toBe(false);
    expect(isDueSoon(due, ist('2026-11-29T10:00'), calendar)).toBe(false);
  });

  it('skips a gazetted holiday: a Wednesday deadline after Guru Nanak Jayanti (Tue 24 Nov) is due soon on Monday', () => {
    const due = endOfIstDay('2026-11-25');
    expect(isDueSoon(due, ist('2026-11-23T10:00'), calendar)).toBe(true);
    expect(isDueSoon(due, ist('2026-11-24T10:00'), calendar)).toBe(false);
  });

  it('skips a holiday before a weekend: Christmas (Fri 25 Dec) moves a Monday deadline to Thursday', () => {
    const due = endOfIstDay('2026-12-28');
    expect(isDueSoon(due, ist('2026-12-24T10:00'), calendar)).toBe(true);
    expect(isDueSoon(due, ist('2026-12-25T10:00'), calendar)).toBe(false);
  });

  it('goes by the IST date, not the UTC one: 01:00 IST is already the next day', () => {
    const due = endOfIstDay('2026-11-19');
    // 19:30 UTC on the 17th is 01:00 IST on the 18th: the day before the deadline.
    expect(isDueSoon(due, new Date('2026-11-17T19:30:00Z'), calendar)).toBe(true);
  });

  it('sends digests from 09:00 IST, not at midnight', () => {
    expect(isDigestHour(ist('2026-11-18T08:59'))).toBe(false);
    expect(isDigestHour(ist('2026-11-18T09:00'))).toBe(true);
    expect(isDigestHour(ist('2026-11-18T23:30'))).toBe(true);
  });
});

function task(
  onboardingId: string,
  dueDate: string,
  persons: CurrentWait['persons'],
  overdue = false,
): ReminderTask {
  return {
    onboardingId,
    departmentName: `Department ${onboardingId}`,
    departmentCode: onboardingId.toUpperCase(),
    wait: {
      step: 4,
      stepTitle: 'Review by e-Taal Nodal Contact',
      role: 'etaalNodalContact',
      label: 'e-Taal Nodal Contact',
      phase: 'review',
      persons,
      byLink: true,
      since: '2026-11-16T05:30:00.000Z',
      dueAt: endOfIstDay(dueDate),
      overdue,
    },
  };
}

const ritu = { name: 'Ritu Sharma', email: 'ritu@delhi.gov.in' };
const amit = { name: 'Amit Rao', email: 'amit@delhi.gov.in' };

describe('the daily digest', () => {
  const now = ist('2026-11-18T10:00'); // the day before Thursday 19 Nov

  it('gives a person with several tasks one digest listing all of them, due-soon first', () => {
    const digests = digestsFor(
      [
        task('later', '2026-11-27', [ritu]),
        task('soon', '2026-11-19', [ritu]),
        task('old', '2026-11-17', [ritu], true),
      ],
      now,
      calendar,
    );

    expect(digests).toHaveLength(1);
    expect(digests[0]?.recipient).toEqual(ritu);
    expect(digests[0]?.day).toBe('2026-11-18');
    expect(digests[0]?.lines.map((l) => [l.onboardingId, l.dueSoon])).toEqual([
      ['soon', true],
      ['old', false],
      ['later', false],
    ]);
  });

  it('sends nothing to a person none of whose tasks is due soon', () => {
    const digests = digestsFor(
      [task('soon', '2026-11-19', [ritu]), task('later', '2026-11-27', [amit])],
      now,
      calendar,
    );
    expect(digests.map((d) => d.recipient.email)).toEqual([ritu.email]);
  });

  it('groups a committee task under each member, and one address whatever its case', () => {
    const digests = digestsFor(
      [
        task('a', '2026-11-19', [ritu, amit]),
        task('b', '2026-11-19', [{ name: 'Ritu Sharma', email: 'RITU@delhi.gov.in' }]),
      ],
      now,
      calendar,
    );
    expect(digests.map((d) => [d.recipient.email, d.lines.map((l) => l.onboardingId)])).toEqual([
      [ritu.email, ['a', 'b']],
      [amit.email, ['a']],
    ]);
  });

  it('writes one email naming every task, its due date in IST and where to act, without any link', () => {
    const [digest] = digestsFor(
      [task('soon', '2026-11-19', [ritu]), task('later', '2026-11-27', [ritu])],
      now,
      calendar,
    );
    const email = digestEmail(digest as NonNullable<typeof digest>, 'https://etaal.example');

    expect(email.subject).toBe('e-Taal Delhi: 2 e-Taal onboarding tasks waiting for you (1 due soon)');
    expect(email.text).toContain('Dear Ritu Sharma,');
    expect(email.text).toContain(
      'Department soon (SOON), step 4 of 12: Review by e-Taal Nodal Contact - due Thu 19 Nov 2026, 23:59 IST [due soon]',
    );
    expect(email.text).toContain('due Fri 27 Nov 2026, 23:59 IST [waiting]');
    expect(email.text).toContain('Use the link in the e-Taal Delhi email sent Mon 16 Nov 2026, 11:00 IST');
    expect(email.html).not.toContain('/approvals/');
  });
});
