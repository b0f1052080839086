import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_ROLES } from '../../lambdas/config/contacts';
import { FUNCTION_IDS } from '../../lambdas/onboarding/workflow/definition';
import { FunctionError } from '../../local/lambda';
import { eventually, withLocalSystem } from '../support/local-system';
import {
  admin,
  adminRun,
  approvalLink,
  configureContacts,
  mailFor,
  PEOPLE,
  runsOnboarding,
} from './onboarding-support';
import {
  createOnboarding,
  driveUntil,
  expectedOutcome,
  type FaultySes,
  HEALTHY_OUTCOME,
  isLive,
  type Json,
  startFaultySes,
  type Target,
} from './resilience-support';

/**
 * Issue 8, through the real local system: SES failing for a while and for good, a workflow Lambda
 * throwing, an execution aborted from outside. Each onboarding runs concurrently with its own fault and
 * must end LIVE after at most one admin command, with one code per service and no approval lost.
 */
let ses: FaultySes;
beforeAll(async () => {
  ses = await startFaultySes();
});
afterAll(() => ses.stop());

const dataDir = mkdtempSync(join(tmpdir(), 'etaal-resilience-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const local = withLocalSystem({
  dataDir,
  retryIntervalMs: 5,
  recoveryIntervalMs: 500,
  get env() {
    return { AWS_ENDPOINT_URL_SESV2: ses.endpoint, EMAIL_RETRY_BASE_MS: '5' };
  },
});

/** Onboardings whose step-6 Lambda (issue Service Codes) throws while they are in this set. */
const breakCodes = new Set<string>();
let target: Target;
let runtimeFile: string;

beforeAll(async () => {
  ses.target = local.system.endpoints.sesv2;
  runtimeFile = local.system.runtimeFile as string;
  const { apiKey } = (await admin(runtimeFile, [
    'department',
    'add',
    '--code',
    'REV',
    '--name',
    'Revenue',
  ])) as {
    apiKey: string;
  };
  await configureContacts(runtimeFile);
  target = { apiUrl: local.system.apiUrl, mailboxUrl: local.system.mailboxUrl, apiKey };
  const functions = local.system.functions;
  const invoke = functions.invoke.bind(functions);
  functions.invoke = (id: string, event: unknown) => {
    const e = event as { onboardingId?: string; action?: string };
    if (id === FUNCTION_IDS.outcomes && e.action === 'issueCodes' && breakCodes.has(e.onboardingId ?? '')) {
      return Promise.reject(new FunctionError(id, 'TypeError', 'Injected failure: cannot issue codes', []));
    }
    return invoke(id, event);
  };
});

const attention = (id: string) => driveUntil(target, id, (s) => s.status === 'ATTENTION', 60_000);

describe.concurrent('an onboarding survives', () => {
  it('SES failing for its first sends, then recovering, with no admin command', async () => {
    const nodal = 'first.sends@rev.example';
    ses.failNext(4, nodal);
    const id = await createOnboarding(target, ['Birth certificate', 'Trade licence'], nodal);
    const live = await driveUntil(target, id, isLive);
    expect(expectedOutcome(live)).toEqual(HEALTHY_OUTCOME);
    expect(ses.rejected).toBeGreaterThanOrEqual(4);
  }, 150_000);

  it('SES failing for good: needs an admin, and one resume completes it once SES recovers', async () => {
    const nodal = 'for.good@rev.example';
    ses.failAlways(nodal);
    const id = await createOnboarding(target, ['Water connection'], nodal);
    const paused = await attention(id);
    expect(paused.currentStep).toBe(2);
    expect(paused.attention).toMatchObject({
      step: 2,
      message: expect.stringContaining('an email could not be sent'),
    });
    expect(JSON.stringify(paused)).not.toMatch(/MessageRejected|not verified/);

    ses.heal(nodal);
    await admin(runtimeFile, ['onboardings', 'resume', id]);
    const live = await driveUntil(target, id, isLive);
    expect(expectedOutcome(live)).toEqual(HEALTHY_OUTCOME);
    expect(live.attention).toBeUndefined();
  }, 150_000);

  it('a workflow Lambda throwing: needs an admin at step 6, and one resume issues each code once', async () => {
    const id = await createOnboarding(
      target,
      ['Ration card', 'Domicile certificate'],
      'lambda.throws@rev.example',
    );
    breakCodes.add(id);
    const paused = await attention(id);
    expect(paused.attention.step).toBe(6);
    expect(paused.serviceCodes).toBeUndefined();

    breakCodes.delete(id);
    const resumed = await admin(runtimeFile, ['onboardings', 'resume', id]);
    expect(resumed.executionName).toMatch(/^REV-\d{8}-[0-9a-f]{8}-r1$/);
    const live = await driveUntil(target, id, isLive);
    expect(expectedOutcome(live)).toEqual(HEALTHY_OUTCOME);
  }, 150_000);

  it('its execution aborted from outside: the sweep resumes it where it was, links of the old one answer 410', async () => {
    const id = await createOnboarding(target, ['Income certificate'], 'aborted@rev.example');
    const atStep4 = await driveUntil(
      target,
      id,
      (s) => s.currentStep === 4 && s.steps[3].status === 'active',
    );
    expect(atStep4.steps[2].decisions).toHaveLength(1);
    const oldLink = approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 0, id));
    const running = await eventually('the execution', () =>
      local.system.stepFunctions?.listExecutions('RUNNING').find((e) => runsOnboarding(e, id)),
    );
    local.system.stepFunctions?.stopExecution(running.executionArn, 'Operator.Stopped', 'Stopped by hand');

    const resumed = await eventually(
      'the sweep to resume it',
      () =>
        local.system.stepFunctions
          ?.listExecutions('RUNNING')
          .find((e) => runsOnboarding(e, id) && e.name.endsWith('-r1')),
      20_000,
    );
    expect(JSON.parse(resumed.input)).toMatchObject({ resume: { step: 4 } });
    // The resumed execution asks again with a fresh link; the replaced execution's link is superseded.
    const newLink = approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 1, id));
    expect(newLink).not.toBe(oldLink);
    expect((await fetch(oldLink)).status).toBe(410);
    const live = await driveUntil(target, id, isLive);
    expect(expectedOutcome(live)).toEqual(HEALTHY_OUTCOME);
    // Step 3's approval, given before the abort, was kept: not asked again.
    expect(live.steps[2].decisions).toHaveLength(1);
  }, 150_000);
});

describe('npm run admin -- preflight (local system: the data checks)', () => {
  it('lists every check with what to do, and exits 1 while one fails', async () => {
    const { code, result } = await adminRun(runtimeFile, ['preflight']);
    const out = result as Json;
    const year = new Date().getUTCFullYear();
    const byName = new Map((out.checks as Json[]).map((c) => [c.check, c]));
    // configureContacts set every role.
    for (const role of CONTACT_ROLES) expect(byName.get(`Contacts: ${role}`)?.ok).toBe(true);
    expect(byName.has(`Holidays ${year}`) && byName.has(`Holidays ${year + 1}`)).toBe(true);
    for (const c of out.checks as Json[]) if (!c.ok) expect(c.fix).toMatch(/npm run admin -- /);
    expect(code).toBe(out.ok ? 0 : 1);
  });
});
