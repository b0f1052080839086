import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, istDateOf } from '../../lambdas/core/calendar';
import { SEED_HOLIDAY_CALENDARS } from '../../lambdas/core/holidays-seed';
import { eventually } from '../support/local-system';
import {
  createBody,
  departmentApi,
  description,
  mailFor,
  PEOPLE,
  submitTemplates,
  withSystemOnDisk,
} from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = Record<string, any>;

/**
 * What a department reads about its onboarding, and the reminders an approver gets, in local mode over
 * HTTP and the mailbox: the status names who it waits for (masked) and leaves the templates out unless
 * asked; the HoD of two onboardings waiting for sign-off gets one digest on the working day before the
 * due date, none the day before that, and no second one the same day. The reminder run is invoked for a
 * chosen time, as EventBridge invokes it for its scheduled time.
 */
const { local } = withSystemOnDisk('etaal-status-');
const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear: () => {} });

/** The working day before an IST date, and the one before that. */
function workingDaysBefore(date: string): [string, string] {
  const previous = (d: string) => {
    let day = new Date(`${d}T00:00:00Z`);
    do day = new Date(day.getTime() - 86_400_000);
    while (!calendar.isWorkingDay(day.toISOString().slice(0, 10)));
    return day.toISOString().slice(0, 10);
  };
  const one = previous(date);
  return [one, previous(one)];
}

const at = (date: string, time: string) => new Date(`${date}T${time}:00+05:30`);

describe('status a person can read, and reminders that help rather than nag (local mode)', () => {
  it('names who it waits for, masked; one digest for two tasks on the working day before the deadline', async () => {
    const { api } = await departmentApi(local, 'REV', 'Revenue Department');
    const status = async (id: string, query = '') =>
      (await (await api(`/v1/onboardings/${id}${query}`)).json()) as Json;

    const onboardingIds: string[] = [];
    for (const services of [['Birth certificate'], ['Trade licence']]) {
      const created = await api('/v1/onboardings', {
        method: 'POST',
        body: JSON.stringify(createBody(services)),
      });
      expect(created.status).toBe(201);
      onboardingIds.push(((await created.json()) as Json).onboardingId);
    }
    const [first, second] = onboardingIds as [string, string];

    // Waiting for templates: the department's own nodal officer, masked like everyone.
    const waitingForTemplates = await eventually('the wait for templates', async () => {
      const s = await status(first);
      return s.waitingFor.length > 0 ? s : undefined;
    });
    expect(waitingForTemplates.waitingFor).toEqual([
      expect.objectContaining({
        step: 3,
        role: 'department',
        persons: [{ name: 'Asha Verma', email: 'n•••@rev.example' }],
        overdue: false,
      }),
    ]);

    for (const [i, id] of onboardingIds.entries()) {
      const services = [{ serviceName: i === 0 ? 'Birth certificate' : 'Trade licence' }].map((s) => ({
        ...s,
        serviceDescription: description(),
        deliveryMode: 'Online',
        category: 'G2C',
        missionModeProject: false,
      }));
      await submitTemplates(api, id, services);
      await mailFor(local, PEOPLE.hod, 3, 0, id);
    }

    // The HoD's sign-off: who, masked, since when and until when in IST; no templates unless asked.
    const small = await status(first);
    expect(small).not.toHaveProperty('templates');
    expect(small.overdue).toBe(false);
    expect(small.waitingFor).toEqual([
      {
        step: 3,
        stepTitle: expect.any(String),
        role: 'competentAuthority',
        label: 'Competent authority (HoD)',
        persons: [{ name: 'R. K. Singh', email: 'h•••@rev.example' }],
        since: expect.any(String),
        sinceIst: expect.stringMatching(/ IST$/),
        dueAt: small.steps[2].dueAt,
        dueAtIst: small.steps[2].dueAtIst,
        overdue: false,
      },
    ]);
    expect(JSON.stringify(small.waitingFor)).not.toContain(PEOPLE.hod);
    const full = await status(first, '?include=templates');
    expect(full.templates.map((t: Json) => t.serviceName)).toEqual(['Birth certificate']);
    expect((await api(`/v1/onboardings/${first}?include=everything`)).status).toBe(422);

    // Reminders: nothing two working days before the deadline, one digest the working day before.
    const dueDay = istDateOf(new Date(small.steps[2].dueAt));
    const [dueSoonDay, dayBefore] = workingDaysBefore(dueDay);
    const digestsToHod = async () =>
      (await local.emails()).filter(
        (e) => e.to.includes(PEOPLE.hod) && e.subject.includes('waiting for you'),
      );
    const reminders = local.system.reminders;
    if (!reminders) throw new Error('The local system runs no reminders');

    expect(await reminders.run(at(dayBefore, '10:00'))).toMatchObject({ sent: 0 });
    expect(await reminders.run(at(dueSoonDay, '08:00'))).toMatchObject({ sent: 0 });
    expect(await digestsToHod()).toHaveLength(0);

    const run = await reminders.run(at(dueSoonDay, '10:00'));
    expect(run.sent).toBeGreaterThanOrEqual(1);
    const [digest, ...more] = await digestsToHod();
    expect(more).toHaveLength(0);
    expect(digest?.subject).toBe('e-Taal Delhi: 2 e-Taal onboarding tasks waiting for you (2 due soon)');
    expect(digest?.text).toContain(first);
    expect(digest?.text).toContain(second);
    expect(digest?.text).toContain('Dear R. K. Singh,');
    expect(digest?.text).not.toMatch(/\/approvals\//);

    // Later runs the same day send it no more.
    expect(await reminders.run(at(dueSoonDay, '15:00'))).toMatchObject({ sent: 0 });
    expect(await digestsToHod()).toHaveLength(1);
  }, 120_000);
});
