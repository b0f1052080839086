import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, withLocalSystem } from '../support/local-system';
import { admin, configureContacts, createBody, mailFor, PEOPLE, runsOnboarding } from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = Record<string, any>;
/**
 * A step that misses its deadline, in local mode with accelerated time (a working day passes in well
 * under a second): the actor gets a reminder, the escalation contact a copy, the breach shows in the
 * status API, and after ESCALATION_LIMIT escalations the onboarding is STALLED while still waiting.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'etaal-e2e-timeout-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const local = withLocalSystem({
  dataDir,
  timeScale: 1_000_000,
  retryIntervalMs: 10,
  env: { ESCALATION_LIMIT: '2' },
});

describe('a step past its deadline (local mode, accelerated time)', () => {
  it('sends the reminder and the escalation, then flags the onboarding STALLED without failing it', async () => {
    const runtimeFile = local.system.runtimeFile as string;
    const { apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'DJB',
      '--name',
      'Delhi Jal Board',
    ])) as { apiKey: string };
    await configureContacts(runtimeFile);
    const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };

    const created = await local.api('/v1/onboardings', {
      method: 'POST',
      headers,
      body: JSON.stringify(createBody(['Water connection'])),
    });
    expect(created.status).toBe(201);
    const { onboardingId } = (await created.json()) as { onboardingId: string };

    // Nobody submits the templates of step 3: the wait times out and escalates.
    const reminder = await mailFor(local, PEOPLE.nodalOfficer, 3);
    expect(reminder.subject).toContain('REMINDER');
    expect(reminder.text).toMatch(/Due by \w{3} \d{1,2} \w{3} \d{4}, 23:59 IST/);
    const escalation = await mailFor(local, PEOPLE.escalation, 3);
    expect(escalation.subject).toContain('overdue');
    expect(escalation.text).toContain('Department (nodal officer)');

    const stalled = await eventually('the onboarding to be flagged STALLED', async () => {
      const body = (await (await local.api(`/v1/onboardings/${onboardingId}`, { headers })).json()) as Json;
      return body.status === 'STALLED' ? body : undefined;
    });
    expect(stalled.stalled).toBe(true);
    expect(stalled.currentStep).toBe(3);
    expect(stalled.steps[2].escalations).toBeGreaterThanOrEqual(2);
    expect((await mailFor(local, PEOPLE.escalation, 3, 1)).text).toContain('STALLED');
    const execution = local.system.stepFunctions
      ?.listExecutions()
      .find((e) => runsOnboarding(e, onboardingId));
    expect(execution?.status).toBe('RUNNING');
  }, 60_000);
});
