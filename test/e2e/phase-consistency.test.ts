import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { istDateOf } from '../../lambdas/core/calendar';
import { LOCAL_CONNECTOR_CREDENTIALS } from '../../local/system';
import {
  admin,
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
 * Issue 14: what the status API shows is already true for the counts API. A department of 20 services
 * polls its onboarding as fast as the API answers and pushes counts for every code in the same instant
 * the status first shows step 8 started, and again when it first shows the onboarding live (or a
 * rejection). Several onboardings run at once, so the workflow's writes interleave with the polls.
 */
const { local } = withSystemOnDisk('etaal-e2e-phase-');

const SERVICES = Array.from({ length: 20 }, (_, i) => `Citizen service ${i + 1}`);
const ROUNDS = ['PHA', 'PHB', 'PHC'] as const;
const today = () => istDateOf(new Date());
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

/** Polls without pause until `done` holds for the status answer; returns that answer. */
async function pollUntil(status: () => Promise<Json>, done: (s: Json) => boolean): Promise<Json> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await status();
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`Status never matched; last: ${JSON.stringify(s)}`);
  }
}

async function walk(departmentCode: string, ending: 'live' | 'rejectedAtStep9'): Promise<void> {
  const runtimeFile = local.system.runtimeFile as string;
  const { apiKey } = (await admin(runtimeFile, [
    'department',
    'add',
    '--code',
    departmentCode,
    '--name',
    `Department ${departmentCode}`,
  ])) as { apiKey: string };
  const api = (path: string, init: RequestInit = {}) =>
    local.api(path, {
      ...init,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const created = await api('/v1/onboardings', {
    method: 'POST',
    body: JSON.stringify(createBody(SERVICES)),
  });
  expect(created.status).toBe(201);
  const { onboardingId } = (await created.json()) as { onboardingId: string };
  const status = async () => (await (await api(`/v1/onboardings/${onboardingId}`)).json()) as Json;
  const push = (count: number) =>
    api('/v1/counts', {
      method: 'PUT',
      body: JSON.stringify({
        counts: SERVICES.map((_, i) => ({
          serviceCode: `DL-${departmentCode}-${String(i + 1).padStart(4, '0')}`,
          date: today(),
          count: count + i,
        })),
      }),
    });

  const templates = SERVICES.map((serviceName) => ({
    serviceName,
    serviceDescription: description(),
    deliveryMode: 'Online',
    category: 'G2C',
    missionModeProject: false,
  }));
  await submitTemplates(api, onboardingId, templates);
  await decide(approvalLink(await mailFor(local, PEOPLE.hod, 3, 0, onboardingId)), 'approve');
  await decide(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 0, onboardingId)), 'approve');
  await decide(approvalLink(await mailFor(local, PEOPLE.degsTechnical, 6, 0, onboardingId)), 'approve');

  // The instant step 8 shows started, every code takes test counts.
  const atStep8 = await pollUntil(status, (s) => s.steps[7].status !== 'pending');
  const testPush = await push(100);
  expect(testPush.status, await testPush.clone().text()).toBe(200);
  expect(await testPush.json()).toMatchObject({ accepted: 20, test: 20, live: 0 });
  expect(atStep8.serviceCodeStatus).toBe('testing');
  expect(atStep8.serviceCodes).toHaveLength(20);

  await decide(
    approvalLink(await mailFor(local, PEOPLE.degsTechnical, 9, 0, onboardingId)),
    ending === 'live' ? 'approve' : 'reject',
    'Checked.',
  );
  if (ending === 'rejectedAtStep9') {
    // The instant the status shows the rejection (decision, step done or REJECTED), no code takes counts.
    const shown = await pollUntil(
      status,
      (s) => s.status === 'REJECTED' || s.steps[8].decisions.length > 0 || s.steps[8].status === 'done',
    );
    expect(shown.status === 'REJECTED' || shown.steps[8].decisions[0].decision === 'reject').toBe(true);
    const refused = await push(300);
    expect(refused.status, await refused.clone().text()).toBe(409);
    expect(((await refused.json()) as Json).errors).toHaveLength(20);
    return;
  }
  await decide(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 10, 0, onboardingId)), 'approve');
  await decide(approvalLink(await mailFor(local, PEOPLE.stateCommittee, 10, 0, onboardingId)), 'approve');
  await decide(approvalLink(await mailFor(local, PEOPLE.centralCommittee, 12, 0, onboardingId)), 'approve');

  // The instant the onboarding shows live (step 12 done, or status LIVE), every code is live.
  await pollUntil(
    status,
    (s) => s.status === 'LIVE' || s.steps[11].status === 'done' || s.steps[11].decisions.length > 0,
  );
  const livePush = await push(200);
  expect(livePush.status, await livePush.clone().text()).toBe(200);
  expect(await livePush.json()).toMatchObject({ accepted: 20, test: 0, live: 20 });

  for (const [i] of SERVICES.entries()) {
    const code = `DL-${departmentCode}-${String(i + 1).padStart(4, '0')}`;
    const stored = (await (
      await api(`/v1/counts?serviceCode=${code}&from=${today()}&to=${today()}`)
    ).json()) as Json;
    expect(stored.counts).toEqual([expect.objectContaining({ count: 200 + i, phase: 'live' })]);
  }

  // The go-live email says from when counts go to e-Taal.
  const liveMail = await mailFor(local, PEOPLE.nodalOfficer, 12, 0, onboardingId);
  expect(liveMail.text).toMatch(/Counts you send from .+ on go to national e-Taal/);

  const { username, password } = LOCAL_CONNECTOR_CREDENTIALS;
  const pulled = await local.api('/etaal/e-transaction-count', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      TransactionDate: ddmmyyyy(today()),
      UserName: username,
      Password: password,
    }).toString(),
  });
  const rows = (
    new XMLParser({ isArray: (name) => name === 'Row', parseTagValue: false }).parse(await pulled.text())
      .ETransactionCount.Row as { ServiceCode: string; ServiceCount: string }[]
  ).filter((r) => r.ServiceCode.startsWith(`DL-${departmentCode}-`));
  expect(rows).toHaveLength(20);
  for (const row of rows) expect(Number(row.ServiceCount)).toBe(200 + Number(row.ServiceCode.slice(-4)) - 1);
}

describe('status and service-code phase change together (20 services, pushes at the first sight)', () => {
  it('accepts every count the instant step 8 shows started and the instant the onboarding shows live', async () => {
    await configureContacts(local.system.runtimeFile as string);
    // Rounds at once: the polls of one interleave with the workflow writes of the others.
    await Promise.all([walk(ROUNDS[0], 'live'), walk(ROUNDS[1], 'live'), walk(ROUNDS[2], 'rejectedAtStep9')]);
  }, 240_000);
});
