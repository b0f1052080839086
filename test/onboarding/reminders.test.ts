import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueApproval } from '../../lambdas/approvals/issue';
import { pendingLinks } from '../../lambdas/approvals/pending-links';
import { putContacts } from '../../lambdas/config/repository';
import { createWorkingCalendar, istDateOf } from '../../lambdas/core/calendar';
import { SEED_HOLIDAY_CALENDARS } from '../../lambdas/core/holidays-seed';
import type { Onboarding } from '../../lambdas/core/workflow';
import { remindersTask } from '../../lambdas/onboarding/reminders/handler';
import { putNewOnboarding } from '../../lambdas/onboarding/repository';
import { ses } from '../../lambdas/shared/ses';
import { lambdaContext } from '../support/api-event';
import { onboardingFixture } from './fixtures';
import { startHarness } from './support';

/**
 * The reminder run on the emulated tables, SES captured: who is reminded (pending links only, open
 * onboardings only, the link's recipient else the role's contacts), and what a refused send does.
 */
let harness: Awaited<ReturnType<typeof startHarness>>;
const run = remindersTask(pendingLinks);
const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear: () => {} });
const CONTACT = 'review.desk@degs.example';

const started = new Date();
const dueAt = calendar.dueAt(started, 5).toISOString();
/** 10:00 IST on the working day before the due date. */
function dueSoonMorning(): Date {
  const dueDay = istDateOf(new Date(dueAt));
  let day = new Date(`${dueDay}T10:00:00+05:30`);
  do day = new Date(day.getTime() - 86_400_000);
  while (!calendar.isWorkingDay(istDateOf(day)));
  return day;
}

async function onboardingInReview(overrides: Partial<Onboarding> = {}): Promise<Onboarding> {
  const base = onboardingFixture();
  const onboarding = onboardingFixture({
    onboardingId: randomUUID(),
    currentStep: 4,
    steps: { ...base.steps, '4': { startedAt: started.toISOString(), dueAt, phase: 'review' } },
    ...overrides,
  });
  await putNewOnboarding(onboarding, 'hash');
  return onboarding;
}

const linkFor = (onboarding: Onboarding, expiresAt = dueAt) =>
  issueApproval({
    onboardingId: onboarding.onboardingId,
    departmentId: onboarding.departmentId,
    step: 4,
    role: 'etaalNodalContact',
    taskToken: `token-${onboarding.onboardingId}`,
    expiresAt,
    choices: ['approve', 'return', 'reject'],
  });

const invoke = (at: Date) =>
  run({ time: at.toISOString() }, lambdaContext('ApproverReminders')) as Promise<{
    sent: number;
    already: number;
    failed: number;
  }>;

beforeAll(async () => {
  harness = await startHarness('reminders-');
  process.env.EMAIL_SEND_ATTEMPTS = '1';
  await putContacts({ role: 'etaalNodalContact', emails: [CONTACT] });
});
afterAll(() => harness.stop());

describe('the reminder run', () => {
  it("reminds the role's contacts of open onboardings whose link is pending, in one digest", async () => {
    const withLink = await onboardingInReview();
    await linkFor(withLink);
    const secondWithLink = await onboardingInReview();
    await linkFor(secondWithLink);
    await onboardingInReview(); // its link is not issued yet (or was lost): nothing to open, no reminder
    const paused = await onboardingInReview({ status: 'ATTENTION' });
    await linkFor(paused);

    expect(await invoke(dueSoonMorning())).toEqual({ sent: 1, already: 0, failed: 0 });

    const digests = harness.emails.filter((e) => e.subject.includes('waiting for you'));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.to).toEqual([CONTACT]);
    expect(digests[0]?.subject).toBe('e-Taal Delhi: 2 e-Taal onboarding tasks waiting for you (2 due soon)');
    expect(digests[0]?.text).toContain(withLink.onboardingId);
    expect(digests[0]?.text).toContain(secondWithLink.onboardingId);
    expect(digests[0]?.text).not.toContain(paused.onboardingId);
  });

  it('gives a digest SES refused back, so the next run the same day sends it', async () => {
    const day = new Date(dueSoonMorning().getTime() + 3600_000);
    await putContacts({ role: 'etaalNodalContact', emails: ['second.desk@degs.example'] });
    // Once: the harness's capture answers the sends after it.
    vi.spyOn(ses, 'send').mockRejectedValueOnce(
      Object.assign(new Error('Throttled'), { name: 'TooManyRequestsException' }),
    );
    const before = harness.emails.length;

    expect(await invoke(day)).toEqual({ sent: 0, already: 0, failed: 1 });
    expect(harness.emails.length).toBe(before);
    expect(await invoke(new Date(day.getTime() + 3600_000))).toEqual({ sent: 1, already: 0, failed: 0 });
    expect(harness.emails.at(-1)?.to).toEqual(['second.desk@degs.example']);
  });
});
