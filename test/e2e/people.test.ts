import { beforeAll, describe, expect, it } from 'vitest';
import { istDateOf } from '../../lambdas/core/calendar';
import { eventually } from '../support/local-system';
import {
  admin,
  adminRun,
  adminText as adminTextOn,
  approvalLink,
  configureContacts,
  createBody,
  decide,
  description,
  mailFor,
  PEOPLE,
  submitTemplates,
  withSystemOnDisk,
} from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = Record<string, any>;

/**
 * Approvers are people (issue 9), in local mode over HTTP, the mailbox and the admin CLI: the e-Taal Nodal
 * Contact is a committee of three deciding by quorum 2 at step 4; links are personal; an admin resends a
 * lost link and reassigns one; a member names an out-of-office delegate.
 */
const { local } = withSystemOnDisk('etaal-people-');

const MEMBERS = {
  asha: { name: 'Asha Rao', email: 'asha.rao@degs.example' },
  bilal: { name: 'Bilal Khan', email: 'bilal.khan@degs.example' },
  chitra: { name: 'Chitra Iyer', email: 'chitra.iyer@degs.example' },
} as const;

let runtimeFile: string;
let apiKey: string;

const api = (path: string, init: RequestInit = {}) =>
  local.api(path, {
    ...init,
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
const status = async (id: string) => (await (await api(`/v1/onboardings/${id}`)).json()) as Json;

/** A new onboarding whose HoD approved, so step 4 waits for the e-Taal Nodal Contact's members. */
let onboardings = 0;
/** A new onboarding whose templates are in, so step 3 waits for the HoD. */
async function atStep3(): Promise<string> {
  // A department onboards each service once: every onboarding here has its own.
  const serviceName = `Water bill ${++onboardings}`;
  const created = await api('/v1/onboardings', {
    method: 'POST',
    body: JSON.stringify(createBody([serviceName])),
  });
  expect(created.status).toBe(201);
  const { onboardingId } = (await created.json()) as { onboardingId: string };
  const templates = [
    {
      serviceName,
      serviceDescription: description(),
      deliveryMode: 'Online',
      category: 'G2C',
      missionModeProject: false,
    },
  ];
  await submitTemplates(api, onboardingId, templates);
  return onboardingId;
}

/** A new onboarding whose HoD approved, so step 4 waits for the e-Taal Nodal Contact's members. */
async function atStep4(): Promise<string> {
  const onboardingId = await atStep3();
  await decide(approvalLink(await mailFor(local, PEOPLE.hod, 3, 0, onboardingId)), 'approve');
  return onboardingId;
}

const linkOf = async (email: string, onboardingId: string, n = 0) =>
  approvalLink(await mailFor(local, email, 4, n, onboardingId));

/** The admin CLI's text output (tables, help), which is not JSON. */
async function adminText(args: string[]): Promise<string> {
  const { code, stdout, stderr } = await adminTextOn(runtimeFile, args);
  if (code !== 0) throw new Error(stderr);
  return stdout;
}

const hasForm = (page: string) => page.includes('name="nonce"');

describe('approvers are people (local mode, HTTP, mailbox, admin CLI)', () => {
  beforeAll(async () => {
    runtimeFile = local.system.runtimeFile as string;
    ({ apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'WTR',
      '--name',
      'Water Board',
    ])) as {
      apiKey: string;
    });
    await configureContacts(runtimeFile);
    // `contacts set` as the README runs it, then members with names, then the committee's rule.
    await admin(runtimeFile, [
      'contacts',
      'set',
      '--role',
      'etaalNodalContact',
      '--email',
      MEMBERS.asha.email,
    ]);
    await admin(runtimeFile, [
      'contacts',
      'members',
      'add',
      '--role',
      'etaalNodalContact',
      '--email',
      MEMBERS.asha.email,
      '--name',
      MEMBERS.asha.name,
      '--designation',
      'Joint Director',
    ]);
    for (const member of [MEMBERS.bilal, MEMBERS.chitra]) {
      await admin(runtimeFile, [
        'contacts',
        'members',
        'add',
        '--role',
        'etaalNodalContact',
        '--email',
        member.email,
        '--name',
        member.name,
      ]);
    }
    const ruled = await admin(runtimeFile, [
      'contacts',
      'rule',
      '--role',
      'etaalNodalContact',
      '--rule',
      'quorum:2',
    ]);
    expect(ruled).toMatchObject({
      rule: 'quorum:2',
      members: [{ ...MEMBERS.asha, designation: 'Joint Director' }, MEMBERS.bilal, MEMBERS.chitra],
    });
  }, 180_000);

  it('lists members as JSON and as a table, and refuses a quorum the committee cannot reach', async () => {
    const listed = await admin(runtimeFile, ['contacts', 'members', 'list', '--role', 'etaalNodalContact']);
    expect((listed.members as Json[]).map((m) => m.email)).toEqual(
      Object.values(MEMBERS).map((m) => m.email),
    );
    const table = await adminText(['contacts', 'members', 'list', '--format', 'table']);
    expect(table.split('\n')[1]).toMatch(/^role\s+rule\s+name\s+email\s+designation$/);
    expect(table).toMatch(
      /etaalNodalContact\s+quorum:2\s+Asha Rao\s+asha\.rao@degs\.example\s+Joint Director/,
    );
    const help = await adminText(['contacts', 'members', 'add', '--help']);
    expect(help).toContain('contacts members add --role <role> --email <address>');
    expect(help).not.toContain('report totals');
    const refused = await adminRun(runtimeFile, [
      'contacts',
      'rule',
      '--role',
      'etaalNodalContact',
      '--rule',
      'quorum:4',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('at least 4 members');
  });

  it('a committee of three with quorum 2: one approval waits, the second decides, the third link shows who decided', async () => {
    const onboardingId = await atStep4();
    const links = {
      asha: await linkOf(MEMBERS.asha.email, onboardingId),
      bilal: await linkOf(MEMBERS.bilal.email, onboardingId),
      chitra: await linkOf(MEMBERS.chitra.email, onboardingId),
    };
    expect(new Set(Object.values(links)).size).toBe(3);
    const mail = await mailFor(local, MEMBERS.chitra.email, 4, 0, onboardingId);
    expect(mail.to).toEqual([MEMBERS.chitra.email]);
    expect(mail.text).toContain(`personal to ${MEMBERS.chitra.name}`);

    const first = await decide(links.asha, 'approve', 'Fine by me.');
    expect(first).toContain('your vote is recorded');
    expect((await status(onboardingId)).steps[3]).toMatchObject({ status: 'active', decisions: [] });
    expect(hasForm(await (await fetch(links.chitra)).text())).toBe(true);

    const second = await decide(links.bilal, 'approve');
    expect(second).toContain('your decision is recorded');
    const decided = await eventually('step 4 to complete', async () => {
      const s = await status(onboardingId);
      return s.steps[3].status === 'done' ? s : undefined;
    });
    expect(decided.steps[3].decisions).toEqual([
      expect.objectContaining({ decision: 'approve', role: 'etaalNodalContact', by: MEMBERS.bilal }),
    ]);

    // The third member's link: "decided by", no form, to GET and POST alike.
    const moot = await fetch(links.chitra);
    const mootPage = await moot.text();
    expect(moot.status).toBe(200);
    expect(mootPage).toContain(`Already decided by ${MEMBERS.bilal.name}`);
    expect(hasForm(mootPage)).toBe(false);
    const posted = await fetch(links.chitra, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce: 'x', decision: 'reject', comment: 'Too late' }),
    });
    expect(posted.status).toBe(409);
    expect(hasForm(await posted.text())).toBe(false);
    // The first voter's page now says who decided too.
    expect(await (await fetch(links.asha)).text()).toContain(`Already decided by ${MEMBERS.bilal.name}`);
  }, 90_000);

  it('a single rejection rejects under quorum 2', async () => {
    const onboardingId = await atStep4();
    await decide(await linkOf(MEMBERS.asha.email, onboardingId), 'approve');
    await decide(await linkOf(MEMBERS.chitra.email, onboardingId), 'reject', 'Descriptions are copied.');
    const ended = await eventually('the onboarding to be rejected', async () => {
      const s = await status(onboardingId);
      return s.status === 'REJECTED' ? s : undefined;
    });
    expect(ended.steps[3].decisions[0]).toMatchObject({ decision: 'reject', by: MEMBERS.chitra });
  }, 90_000);

  it('resends a lost link: the old one answers 410, the new one works, the due date stays', async () => {
    const onboardingId = await atStep4();
    const lost = await linkOf(MEMBERS.asha.email, onboardingId);
    const dueBefore = (await status(onboardingId)).steps[3].dueAt;

    const resent = await admin(runtimeFile, [
      'links',
      'resend',
      '--onboarding',
      onboardingId,
      '--step',
      '4',
      '--to',
      MEMBERS.asha.email,
    ]);
    expect(resent).toMatchObject({ resent: [{ role: 'etaalNodalContact', to: MEMBERS.asha.email }] });
    expect(JSON.stringify(resent)).not.toContain('/approvals/');

    const fresh = await linkOf(MEMBERS.asha.email, onboardingId, 1);
    expect(fresh).not.toBe(lost);
    expect((await fetch(lost)).status).toBe(410);
    expect((await status(onboardingId)).steps[3].dueAt).toBe(dueBefore);
    const [firstMail, secondMail] = [
      await mailFor(local, MEMBERS.asha.email, 4, 0, onboardingId),
      await mailFor(local, MEMBERS.asha.email, 4, 1, onboardingId),
    ];
    const dueLine = (text: string | undefined) => /Due by [^\n]+/.exec(text ?? '')?.[0];
    expect(dueLine(secondMail.text)).toBe(dueLine(firstMail.text));

    expect(await decide(fresh, 'approve')).toContain('your vote is recorded');
    await decide(await linkOf(MEMBERS.bilal.email, onboardingId), 'approve');
    await eventually('step 4 to complete', async () =>
      (await status(onboardingId)).steps[3].status === 'done' ? true : undefined,
    );
  }, 90_000);

  it('reassigns a pending approval to someone else, who takes that member’s vote', async () => {
    const onboardingId = await atStep4();
    const chitraLink = await linkOf(MEMBERS.chitra.email, onboardingId);
    const stranger = await adminRun(runtimeFile, [
      'links',
      'reassign',
      '--onboarding',
      onboardingId,
      '--step',
      '4',
      '--to',
      'x@degs.example',
    ]);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('--from');

    const reassigned = await admin(runtimeFile, [
      'links',
      'reassign',
      '--onboarding',
      onboardingId,
      '--step',
      '4',
      '--from',
      MEMBERS.chitra.email,
      '--to',
      'deepak.singh@degs.example',
      '--name',
      'Deepak Singh',
    ]);
    expect(reassigned).toMatchObject({
      from: MEMBERS.chitra.email,
      reassigned: { to: 'deepak.singh@degs.example' },
    });
    expect((await fetch(chitraLink)).status).toBe(410);

    await decide(await linkOf('deepak.singh@degs.example', onboardingId), 'approve');
    await decide(await linkOf(MEMBERS.asha.email, onboardingId), 'approve');
    const done = await eventually('step 4 to complete', async () => {
      const s = await status(onboardingId);
      return s.steps[3].status === 'done' ? s : undefined;
    });
    expect(done.steps[3].decisions[0].by).toEqual(MEMBERS.asha);
  }, 90_000);

  it('a delegation: pending links go to the delegate, new tasks too, and the decision is on behalf of the member', async () => {
    const pending = await atStep4();
    const bilalLink = await linkOf(MEMBERS.bilal.email, pending);
    const until = istDateOf(new Date(Date.now() + 3 * 86_400_000));
    const deputy = { name: 'Esha Mehta', email: 'esha.mehta@degs.example' };

    const set = await admin(runtimeFile, [
      'contacts',
      'delegate',
      '--from',
      MEMBERS.bilal.email,
      '--to',
      deputy.email,
      '--name',
      deputy.name,
      '--until',
      until,
    ]);
    expect(set).toMatchObject({ active: true, resent: 1, delegation: { until, to: deputy } });
    expect((await fetch(bilalLink)).status).toBe(410);
    const delegated = await mailFor(local, deputy.email, 4, 0, pending);
    expect(delegated.text).toContain(`on behalf of ${MEMBERS.bilal.name}`);

    await decide(await linkOf(MEMBERS.asha.email, pending), 'approve');
    expect(await decide(approvalLink(delegated), 'approve')).toContain(`on behalf of ${MEMBERS.bilal.name}`);
    const done = await eventually('step 4 to complete', async () => {
      const s = await status(pending);
      return s.steps[3].status === 'done' ? s : undefined;
    });
    expect(done.steps[3].decisions[0].by).toEqual({ ...deputy, onBehalfOf: MEMBERS.bilal });

    // A new task goes straight to the delegate.
    const next = await atStep4();
    const direct = await mailFor(local, deputy.email, 4, 0, next);
    await decide(approvalLink(direct), 'approve');
    await decide(await linkOf(MEMBERS.chitra.email, next), 'approve');
    const nextDone = await eventually('step 4 to complete', async () => {
      const s = await status(next);
      return s.steps[3].status === 'done' ? s : undefined;
    });
    expect(nextDone.steps[3].decisions[0].by).toEqual(MEMBERS.chitra);
    const audit = await admin(runtimeFile, ['contacts', 'delegations']);
    expect(audit.delegations).toEqual([
      expect.objectContaining({ from: MEMBERS.bilal.email, to: deputy.email, active: true }),
    ]);
    await admin(runtimeFile, ['contacts', 'delegate', '--from', MEMBERS.bilal.email, '--cancel']);
  }, 120_000);

  it('a member names a delegate from the page behind their email; opening it changes nothing', async () => {
    const pending = await atStep4();
    const mail = await mailFor(local, MEMBERS.chitra.email, 4, 0, pending);
    const delegateUrl = /https?:\/\/[^\s"<]+\/approvals\/[A-Za-z0-9_-]+\/delegate/.exec(
      mail.text ?? '',
    )?.[0] as string;
    expect(delegateUrl).toBe(`${approvalLink(mail)}/delegate`);

    const form = await fetch(delegateUrl);
    const formPage = await form.text();
    expect(form.status).toBe(200);
    expect(formPage).toContain(MEMBERS.chitra.name);
    expect((await admin(runtimeFile, ['contacts', 'delegations'])).delegations).toEqual([]);
    const nonce = /name="nonce" value="([^"]+)"/.exec(formPage)?.[1] as string;
    const post = (fields: Record<string, string>) =>
      fetch(delegateUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
    const today = istDateOf(new Date());
    const until = istDateOf(new Date(Date.now() + 2 * 86_400_000));
    const deputy = { toName: 'Farah Ali', to: 'farah.ali@degs.example' };

    expect((await post({ nonce: 'forged', ...deputy, fromDate: today, until })).status).toBe(403);
    const backwards = await post({ nonce, ...deputy, fromDate: until, until: today });
    expect(backwards.status).toBe(422);
    expect(await backwards.text()).toContain('Must not be before the first day');
    // The decision form's nonce does not submit this form.
    const decisionNonce = /name="nonce" value="([^"]+)"/.exec(
      await (await fetch(approvalLink(mail))).text(),
    )?.[1] as string;
    expect((await post({ nonce: decisionNonce, ...deputy, fromDate: today, until })).status).toBe(403);

    const set = await post({ nonce, ...deputy, fromDate: today, until });
    expect(set.status).toBe(200);
    expect(await set.text()).toContain('1 approval waiting for you was sent to them');
    expect((await fetch(approvalLink(mail))).status).toBe(410);
    const delegated = await mailFor(local, deputy.to, 4, 0, pending);
    expect(delegated.text).toContain(`on behalf of ${MEMBERS.chitra.name}`);
    expect((await admin(runtimeFile, ['contacts', 'delegations'])).delegations).toEqual([
      expect.objectContaining({
        from: MEMBERS.chitra.email,
        to: deputy.to,
        setBy: `${MEMBERS.chitra.name} <${MEMBERS.chitra.email}>`,
      }),
    ]);
    await admin(runtimeFile, ['contacts', 'delegate', '--from', MEMBERS.chitra.email, '--cancel']);
  }, 90_000);

  it('the department names a new HoD on a running onboarding: the pending link goes to them; an admin changes the nodal officer', async () => {
    const onboardingId = await atStep3();
    const oldLink = approvalLink(await mailFor(local, PEOPLE.hod, 3, 0, onboardingId));
    const newHod = { name: 'S. K. Mehra', designation: 'Secretary (Water)', email: 'secy.water@wtr.example' };
    const put = (role: string, body: unknown) =>
      api(`/v1/onboardings/${onboardingId}/people/${role}`, { method: 'PUT', body: JSON.stringify(body) });

    const self = await put('competent-authority', { ...newHod, email: PEOPLE.nodalOfficer });
    expect(self.status).toBe(422);
    expect(((await self.json()) as Json).errors).toEqual([expect.objectContaining({ field: 'email' })]);
    expect((await put('head-clerk', newHod)).status).toBe(404);
    expect((await fetch(oldLink)).status).toBe(200);

    const changed = await put('competent-authority', newHod);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      role: 'competent-authority',
      person: newHod,
      reissuedLinks: 1,
    });
    expect((await fetch(oldLink)).status).toBe(410);
    await decide(approvalLink(await mailFor(local, newHod.email, 3, 0, onboardingId)), 'approve');
    const at4 = await eventually('step 3 to complete', async () => {
      const s = await status(onboardingId);
      return s.steps[2].status === 'done' ? s : undefined;
    });
    expect(at4.steps[2].decisions[0].by).toEqual({ name: newHod.name, email: newHod.email });

    const nodal = {
      name: 'P. Das',
      designation: 'IT Officer',
      email: 'p.das@wtr.example',
      phone: '+91 11 2339 1111',
    };
    const byAdmin = await admin(runtimeFile, [
      'onboardings',
      'set-person',
      onboardingId,
      '--role',
      'nodal-officer',
      '--name',
      nodal.name,
      '--designation',
      nodal.designation,
      '--email',
      nodal.email,
      '--phone',
      nodal.phone,
    ]);
    expect(byAdmin).toMatchObject({ person: nodal, reissuedLinks: 0 });
    // The next department email (the step-4 return: one objection decides under quorum:2) goes to the
    // new nodal officer.
    await decide(await linkOf(MEMBERS.asha.email, onboardingId), 'return', 'Add the fees.');
    expect((await mailFor(local, nodal.email, 4, 0, onboardingId)).text).toContain('Add the fees.');
  }, 120_000);
});
