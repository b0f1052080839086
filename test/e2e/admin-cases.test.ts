import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/local-system';
import {
  admin,
  adminRun,
  adminText,
  approvalLink,
  configureContacts,
  decide,
  mailFor,
  PEOPLE,
  withSystemOnDisk,
} from './onboarding-support';
import { createOnboarding, driveUntil, type Json, status, type Target } from './resilience-support';

/**
 * An admin sees and fixes a case (issue 9), through the admin CLI against the running local system, as
 * an operator would: list and show an onboarding, cancel it (its pending link answers 410 "ended", the
 * department and the approver are told), reopen it at step 4 and see it continue and complete the step.
 */
const { dataDir, local } = withSystemOnDisk('etaal-admin-cases-');
const runtimeFile = join(dataDir, 'runtime.json');

const adminTable = async (args: string[]) => (await adminText(runtimeFile, args)).stdout;

/** The newest approval link of onboarding `id` emailed to the e-Taal Nodal Contact other than `old`. */
const newReviewLink = (id: string, old: string) =>
  eventually('a new step-4 link after the reopen', async () =>
    (await local.emails())
      .filter(
        (e) =>
          e.to.includes(PEOPLE.etaalNodalContact) &&
          (e.text ?? '').includes(id) &&
          (e.text ?? '').includes('/approvals/'),
      )
      .map(approvalLink)
      .find((link) => link !== old),
  );

/** Waits until step 4 of onboarding `id` is done and the next step began; its status then. */
const stepFourDone = (target: Target, id: string) =>
  eventually('step 4 completed after the reopen', async () => {
    const s = await status(target, id);
    return s.steps[3].status === 'done' && s.currentStep > 4 ? s : undefined;
  });

const waitsFor = (s: Json, step: number, role: string) =>
  s.currentStep === step && s.steps[step - 1].waitingFor.some((w: { role: string }) => w.role === role);

describe('onboardings list, show, cancel and reopen', () => {
  it('shows who an onboarding waits on, cancels it with its links ended, and reopens it to complete step 4', async () => {
    const { apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'ADM',
      '--name',
      'Admin Cases',
    ])) as {
      apiKey: string;
    };
    await configureContacts(runtimeFile);
    const target: Target = { apiUrl: local.system.apiUrl, mailboxUrl: local.system.mailboxUrl, apiKey };
    const id = await createOnboarding(target, ['Birth certificate']);
    await driveUntil(target, id, (s) => waitsFor(s, 4, 'etaalNodalContact'));

    // list: the onboarding waits on the e-Taal Nodal Contact at step 4, due in IST, not overdue.
    const listed = (await admin(runtimeFile, ['onboardings', 'list', '--department', 'ADM'])) as {
      onboardings: Json[];
    };
    expect(listed.onboardings).toEqual([
      expect.objectContaining({
        onboardingId: id,
        status: 'IN_PROGRESS',
        step: 4,
        waitingOn: [expect.objectContaining({ role: 'etaalNodalContact' })],
        dueAtIst: expect.stringMatching(/IST$/),
        overdue: false,
        breaches: 0,
      }),
    ]);
    expect(
      ((await admin(runtimeFile, ['onboardings', 'list', '--status', 'LIVE'])) as { onboardings: Json[] })
        .onboardings,
    ).toEqual([]);
    const table = await adminTable(['onboardings', 'list', '--format', 'table', '--department', 'ADM']);
    expect(table.split('\n')[0]).toMatch(
      /^onboardingId +dept +status +step +waitingOn +since +due +overdue +breaches$/,
    );
    expect(table).toContain(id);
    expect(table).toContain('e-Taal Nodal Contact');
    // overdue reads as the JSON says (false: no), then breaches.
    expect(table).toMatch(new RegExp(`^${id} .* no +0$`, 'm'));

    // show: the timeline, with the live link but never its id.
    const reviewMail = await mailFor(local, PEOPLE.etaalNodalContact, 4, 0, id);
    const reviewLink = approvalLink(reviewMail);
    const linkId = reviewLink.split('/').at(-1) as string;
    const shown = await adminRun(runtimeFile, ['onboardings', 'show', id]);
    expect(shown.code, shown.stderr).toBe(0);
    const timeline = shown.result as Json;
    expect(timeline.onboarding).toMatchObject({ onboardingId: id, status: 'IN_PROGRESS', currentStep: 4 });
    expect(timeline.decisions).toEqual(
      expect.arrayContaining([expect.objectContaining({ step: 3, decision: 'approve' })]),
    );
    expect(timeline.emails).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ step: 4, email: expect.stringContaining('approval link') }),
      ]),
    );
    expect(timeline.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ step: 3, state: 'used' }),
        expect.objectContaining({ step: 4, state: 'live' }),
      ]),
    );
    expect(JSON.stringify(timeline)).not.toContain(linkId);
    expect(JSON.stringify(timeline)).not.toMatch(/approvalHash|taskToken/);

    // cancel: CANCELLED, the pending link ends (410), the department and the approver are told, audited.
    const cancelled = await adminRun(runtimeFile, [
      'onboardings',
      'cancel',
      id,
      '--reason',
      'Department withdrew',
    ]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.result).toMatchObject({ status: 'CANCELLED', linksEnded: 1 });
    expect((await status(target, id)).status).toBe('CANCELLED');
    const ended = await fetch(reviewLink);
    expect(ended.status).toBe(410);
    expect(await ended.text()).toContain('This onboarding has ended');
    for (const to of [PEOPLE.nodalOfficer, PEOPLE.etaalNodalContact]) {
      await eventually(`cancellation email to ${to}`, async () =>
        (await local.emails()).find((e) => e.to.includes(to) && e.subject.includes('onboarding cancelled')),
      );
    }
    const afterCancel = (await admin(runtimeFile, ['onboardings', 'show', id])) as Json;
    expect(afterCancel.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'onboarding.cancelled',
          by: expect.stringContaining(userInfo().username),
          detail: 'Department withdrew',
        }),
      ]),
    );
    expect(afterCancel.links).toEqual(
      expect.arrayContaining([expect.objectContaining({ step: 4, state: 'ended' })]),
    );
    const twice = await adminRun(runtimeFile, ['onboardings', 'cancel', id, '--reason', 'Again']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('CANCELLED');

    // reopen at step 4: a new link for the reviewer, who approves; step 4 completes and the onboarding goes on.
    const reopened = await adminRun(runtimeFile, [
      'onboardings',
      'reopen',
      id,
      '--step',
      '4',
      '--reason',
      'Withdrawn by mistake',
    ]);
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(reopened.result).toMatchObject({ reopenedFrom: 'CANCELLED', resume: { step: 4 } });
    const newLink = await newReviewLink(id, reviewLink);
    expect(newLink).not.toBe(reviewLink);
    expect((await fetch(reviewLink)).status).toBe(410);
    await decide(newLink, 'approve');
    const moved = await stepFourDone(target, id);
    expect(moved.status).toBe('IN_PROGRESS');
    const finalShow = (await admin(runtimeFile, ['onboardings', 'show', id])) as Json;
    expect(finalShow.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'onboarding.reopened',
          by: expect.stringContaining(userInfo().username),
        }),
      ]),
    );
  }, 400_000);
});

describe('onboardings reopen after a rejection', () => {
  it('refuses a step after the rejected one, reopens at it, and the reviewer can approve this time', async () => {
    const { apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'REJ',
      '--name',
      'Rejected Department',
    ])) as { apiKey: string };
    const target: Target = { apiUrl: local.system.apiUrl, mailboxUrl: local.system.mailboxUrl, apiKey };
    const id = await createOnboarding(target, ['Ration card']);
    await driveUntil(target, id, (s) => waitsFor(s, 4, 'etaalNodalContact'));
    const reviewLink = approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 0, id));
    await decide(reviewLink, 'reject', 'Not a GNCTD service');
    await eventually('the rejection', async () =>
      (await status(target, id)).status === 'REJECTED' ? true : undefined,
    );

    const tooLate = await adminRun(runtimeFile, [
      'onboardings',
      'reopen',
      id,
      '--step',
      '6',
      '--reason',
      'Wrong step',
    ]);
    expect(tooLate.code).toBe(2);
    expect(tooLate.stderr).toContain('at or before step 4');
    const reopened = await adminRun(runtimeFile, [
      'onboardings',
      'reopen',
      id,
      '--step',
      '4',
      '--reason',
      'It is a GNCTD service after all',
    ]);
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(reopened.result).toMatchObject({ reopenedFrom: 'REJECTED' });
    const again = await newReviewLink(id, reviewLink);
    await decide(again, 'approve');
    const moved = await stepFourDone(target, id);
    expect(moved.status).toBe('IN_PROGRESS');
  }, 300_000);
});
