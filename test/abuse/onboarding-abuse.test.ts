import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../lambdas/shared/http';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { CREATE_BODY } from '../onboarding/fixtures';
import { startHarness } from '../onboarding/support';
import { apiEvent, lambdaContext } from '../support/api-event';

/**
 * Issue 11, separation of duties, quotas for what sends email, input hygiene: attacks on POST
 * /v1/onboardings by a department, each refused with the field named (422) or 429 + Retry-After.
 */
let harness: Awaited<ReturnType<typeof startHarness>>;
let create: ApiHandler;

beforeAll(async () => {
  harness = await startHarness('onb-abuse-');
  ({ handler: create } = await import('../../lambdas/onboarding/api/create'));
  const { putContacts } = await import('../../lambdas/config/repository');
  await putContacts({ role: 'etaalNodalContact', emails: ['nodal-contact@etaal.example.test'] });
});
afterAll(() => harness.stop());
beforeEach(() => {
  harness.sfn.reset();
  delete process.env.MAX_OPEN_ONBOARDINGS;
  delete process.env.ONBOARDINGS_PER_HOUR;
});

async function department(code: string): Promise<string> {
  const { createDepartment } = await import('../../lambdas/departments/repository');
  return (await createDepartment({ code, name: `Department ${code}` })).apiKey;
}

async function post(apiKey: string, body: unknown, idempotencyKey?: string) {
  const response = await create(
    apiEvent({
      method: 'POST',
      path: '/v1/onboardings',
      body: JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        'x-api-key': apiKey,
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
    }),
    lambdaContext(),
  );
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body || '{}') };
}

const withServices = (n: number) => ({ ...CREATE_BODY, services: [{ serviceName: `Service number ${n}` }] });

describe('separation of duties', () => {
  it("refuses a competent authority with the nodal officer's address, whatever its case", async () => {
    const key = await department('SOD');
    const response = await post(key, {
      ...CREATE_BODY,
      competentAuthority: { ...CREATE_BODY.competentAuthority, email: 'NODAL@Dept.Example' },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { field: 'competentAuthority.email', message: expect.stringMatching(/nodal officer/) },
    ]);
    expect(harness.sfn.callsOf('StartExecution')).toHaveLength(0);
  });

  it('when an admin pinned the HoD, refuses any other address (422 naming the field), accepts the pinned one', async () => {
    const key = await department('PIN');
    const { pinCompetentAuthority } = await import('../../lambdas/departments/authority');
    await pinCompetentAuthority({ code: 'PIN', email: 'Secretary@Pin.Example', name: 'Secretary' }, 'test');

    const other = await post(key, withServices(1));
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([
      { field: 'competentAuthority.email', message: expect.stringMatching(/competent authority on record/) },
    ]);
    const pinned = await post(key, {
      ...withServices(2),
      competentAuthority: { ...CREATE_BODY.competentAuthority, email: 'secretary@pin.example' },
    });
    expect(pinned.status).toBe(201);
  });
});

describe('input hygiene', () => {
  it.each([
    ['nodalOfficer.name', { nodalOfficer: { ...CREATE_BODY.nodalOfficer, name: '\u200b\u200d\u2060' } }],
    [
      'competentAuthority.designation',
      { competentAuthority: { ...CREATE_BODY.competentAuthority, designation: '\u00a0\u200e\ufeff' } },
    ],
    ['services[0].serviceName', { services: [{ serviceName: '\u200b\u200b\u200b\u200b\u200b' }] }],
  ])('refuses %s made only of invisible characters, naming the field', async (field, override) => {
    const key = await department(`HYG${field.length}`);
    const response = await post(key, { ...CREATE_BODY, ...override });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([{ field, message: expect.stringMatching(/visible characters/) }]),
    );
  });
});

describe('quotas on onboardings', () => {
  it('refuses more open onboardings than the quota with 429, Retry-After and a problem; replays still answer', async () => {
    process.env.MAX_OPEN_ONBOARDINGS = '2';
    const key = await department('QUOTA');
    expect((await post(key, withServices(1), 'k1')).status).toBe(201);
    expect((await post(key, withServices(2), 'k2')).status).toBe(201);
    const third = await post(key, withServices(3), 'k3');
    expect(third.status).toBe(429);
    expect(Number(third.headers['Retry-After'])).toBeGreaterThan(0);
    expect(third.body).toMatchObject({ status: 429, type: problemTypeUri('open-onboardings-quota') });
    // The same request again is the same onboarding, not a new one.
    expect((await post(key, withServices(1), 'k1')).status).toBe(201);
  });

  it('counts an onboarding paused in ATTENTION (waiting for an admin) as open', async () => {
    process.env.MAX_OPEN_ONBOARDINGS = '2';
    const key = await department('ATTN');
    const first = await post(key, withServices(1), 'a1');
    expect((await post(key, withServices(2), 'a2')).status).toBe(201);
    const { recordAttention } = await import('../../lambdas/onboarding/recovery/store');
    const paused = await recordAttention(first.body.onboardingId, () => ({
      step: 1,
      task: 'test',
      error: 'States.TaskFailed',
      cause: 'a task failed after its retries',
      at: new Date().toISOString(),
    }));
    expect(paused).toBeDefined();
    const third = await post(key, withServices(3), 'a3');
    expect(third.status).toBe(429);
    expect(third.body.type).toBe(problemTypeUri('open-onboardings-quota'));
  });

  it('holds the quota under concurrent creation', async () => {
    process.env.MAX_OPEN_ONBOARDINGS = '2';
    const key = await department('RACE');
    const statuses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(key, withServices(i), `race-${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429 || s === 503)).toHaveLength(4);
  });

  it('rate-limits onboarding creation per department, like the count API', async () => {
    process.env.ONBOARDINGS_PER_HOUR = '2';
    process.env.MAX_OPEN_ONBOARDINGS = '10';
    const key = await department('RATE');
    expect((await post(key, withServices(1), 'r1')).status).toBe(201);
    expect((await post(key, withServices(2), 'r2')).status).toBe(201);
    const third = await post(key, withServices(3), 'r3');
    expect(third.status).toBe(429);
    expect(third.body.type).toBe(problemTypeUri('onboarding-rate-limit'));
    expect(Number(third.headers['Retry-After'])).toBeGreaterThan(0);
    // Another department has its own allowance.
    expect((await post(await department('RATE2'), withServices(1), 'r1')).status).toBe(201);
  });
});

describe('daily cap on reminder and escalation emails', () => {
  it('leaves a recipient out once it reached the cap; others still get theirs', async () => {
    process.env.REMINDERS_PER_RECIPIENT_PER_DAY = '3';
    const { underDailyCap } = await import('../../lambdas/onboarding/email-cap');
    const now = new Date();
    const sent: string[][] = [];
    for (let i = 0; i < 5; i++)
      sent.push(await underDailyCap(['hod@cap.example', `other${i}@cap.example`], now));
    expect(sent.filter((to) => to.includes('hod@cap.example'))).toHaveLength(3);
    expect(sent.every((to, i) => to.includes(`other${i}@cap.example`))).toBe(true);
    // The address is compared case-insensitively: no second allowance for HOD@.
    expect(await underDailyCap(['HOD@cap.example'], now)).toEqual([]);
    delete process.env.REMINDERS_PER_RECIPIENT_PER_DAY;
  });
});
