import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { putContacts } from '../../lambdas/config/repository';
import type { ServiceTemplate } from '../../lambdas/core/template';
import { createDepartment } from '../../lambdas/departments/repository';
import { handler as requestAction } from '../../lambdas/entries/onboarding-request-action';
import { handler as createHandler } from '../../lambdas/onboarding/api/create';
import { signalTestCountsReceived } from '../../lambdas/onboarding/integration-signal';
import { getOnboarding } from '../../lambdas/onboarding/repository';
import { handler as escalate } from '../../lambdas/onboarding/tasks/escalate';
import { handler as outcomes } from '../../lambdas/onboarding/tasks/outcomes';
import { handler as recordDecision } from '../../lambdas/onboarding/tasks/record-decision';
import { handler as setDeadline } from '../../lambdas/onboarding/tasks/set-deadline';
import { activateTemplates, stageTemplates } from '../../lambdas/onboarding/templates-store';
import { peekWaitToken } from '../../lambdas/onboarding/wait-tokens';
import { apiEvent, lambdaContext } from '../support/api-event';
import { CREATE_BODY, template } from './fixtures';
import { auditTypes, BASE_URL, serviceCodeItem, startHarness } from './support';

let harness: Awaited<ReturnType<typeof startHarness>>;
let revKey: string;
let tptKey: string;
const ctx = lambdaContext();

beforeAll(async () => {
  harness = await startHarness('onb-tasks-');
  revKey = (await createDepartment({ code: 'REV', name: 'Revenue Department' })).apiKey;
  tptKey = (await createDepartment({ code: 'TPT', name: 'Transport <Department>' })).apiKey;
  await putContacts({ role: 'etaalNodalContact', emails: ['nodal-contact@etaal.example.test'] });
  await putContacts({ role: 'degsTechnical', emails: ['degs@etaal.example.test'] });
  await putContacts({ role: 'escalation', emails: ['escalation@etaal.example.test'] });
});
afterAll(() => harness.stop());
beforeEach(() => {
  harness.sfn.reset();
  harness.emails.length = 0;
  delete process.env.ETAAL_TIME_SCALE;
  delete process.env.ESCALATION_LIMIT;
});

let counter = 0;
async function newOnboarding(key = revKey): Promise<string> {
  counter += 1;
  const response = await createHandler(
    apiEvent({
      method: 'POST',
      path: '/v1/onboardings',
      headers: {
        'x-api-key': key,
        'content-type': 'application/json',
        'idempotency-key': `tasks-${counter}`,
      },
      body: JSON.stringify(CREATE_BODY),
    }),
    ctx,
  );
  return JSON.parse(response.body).onboardingId;
}

const decision = (
  role: string,
  value: 'approve' | 'return' | 'reject',
  extra: Record<string, unknown> = {},
) => ({
  decision: value,
  role,
  approvalId: `approval-${Math.random()}`,
  decidedAt: new Date().toISOString(),
  ...extra,
});

describe('starting a wait', () => {
  it('starts the step once with its SoP deadline; a retry returns the same deadline', async () => {
    const id = await newOnboarding();
    const first = await setDeadline({ onboardingId: id, step: 3, phase: 'templates' }, ctx);
    const retry = await setDeadline({ onboardingId: id, step: 3, phase: 'templates' }, ctx);
    const hod = await setDeadline({ onboardingId: id, step: 3, phase: 'hodApproval' }, ctx);

    expect(retry.dueAt).toBe(first.dueAt);
    // The HoD's approval shares step 3's five working days.
    expect(hod.dueAt).toBe(first.dueAt);
    expect(first.timeoutSeconds).toBeGreaterThan(5 * 86_400);
    const step3 = (await getOnboarding(id))?.steps['3'];
    expect(step3).toMatchObject({ dueAt: first.dueAt, phase: 'hodApproval' });
    expect((await getOnboarding(id))?.currentStep).toBe(3);
    expect((await auditTypes(harness, id)).filter((t) => t === 'step.started')).toHaveLength(1);
  });

  it('gives step 4 review and resubmission each a fresh clock, and honours ETAAL_TIME_SCALE', async () => {
    const id = await newOnboarding();
    process.env.ETAAL_TIME_SCALE = '86400';
    const review = await setDeadline({ onboardingId: id, step: 4, phase: 'review' }, ctx);
    const resubmission = await setDeadline({ onboardingId: id, step: 4, phase: 'resubmission' }, ctx);

    // Two working days pass in a few seconds; the due date people see stays the real one.
    expect(review.timeoutSeconds).toBeLessThanOrEqual(6);
    expect(Date.parse(review.dueAt) - Date.now()).toBeGreaterThan(86_400_000);
    expect((await getOnboarding(id))?.steps['4']?.phase).toBe('resubmission');
    expect(resubmission.escalations).toBe(0);
  });
});

describe('the callback task', () => {
  it('emails the approver a link to the approval page and keeps the task token out of the email', async () => {
    const id = await newOnboarding();
    const taskToken = 'AAAA+secret/task=token';
    await requestAction(
      {
        taskToken,
        onboardingId: id,
        step: 4,
        phase: 'review',
        timeoutSeconds: 600,
        dueAt: '2026-12-01T18:29:59.000Z',
        escalations: 0,
      },
      ctx,
    );

    const [email] = harness.emails;
    expect(email?.to).toEqual(['nodal-contact@etaal.example.test']);
    expect(email?.text).toMatch(new RegExp(`${BASE_URL}/approvals/[A-Za-z0-9_-]{40,}`));
    expect(`${email?.html}${email?.text}`).not.toContain('secret');
    expect(email?.text).toContain('Due by Tue 1 Dec 2026, 23:59 IST');
  });

  it('asks the department to resubmit with the e-Taal Nodal Contact comment, escaped', async () => {
    const id = await newOnboarding();
    await recordDecision(
      {
        onboardingId: id,
        step: 4,
        phase: 'review',
        decision: decision('etaalNodalContact', 'return', { comment: 'Describe <b>fees</b>' }),
      },
      ctx,
    );
    await requestAction(
      {
        taskToken: 't',
        onboardingId: id,
        step: 4,
        phase: 'resubmission',
        timeoutSeconds: 600,
        dueAt: '2026-12-01T18:29:59.000Z',
        escalations: 0,
      },
      ctx,
    );

    const [email] = harness.emails;
    expect(email?.to).toEqual([CREATE_BODY.nodalOfficer.email]);
    expect(email?.html).toContain('Describe &lt;b&gt;fees&lt;/b&gt;');
    expect((await getOnboarding(id))?.amendmentRounds).toBe(1);
  });
});

describe('the HoD wait (corrections before the HoD decides, HoD returns)', () => {
  it('lets a new submission end it, notes the version decided on, and counts a HoD return apart', async () => {
    const id = await newOnboarding();
    const staged = await stageTemplates(
      id,
      [template('Birth certificate'), template('Trade licence')] as ServiceTemplate[],
      0,
    );
    expect(await activateTemplates(id, staged, new Date().toISOString())).toBe(true);
    await requestAction(
      {
        taskToken: 'hod-token',
        onboardingId: id,
        step: 3,
        phase: 'hodApproval',
        timeoutSeconds: 600,
        dueAt: '2026-12-01T18:29:59.000Z',
        escalations: 0,
      },
      ctx,
    );
    // The department may replace the templates with the HoD's own token until the HoD decides.
    expect(await peekWaitToken(id, 'TEMPLATES')).toBe(true);
    expect(harness.emails.map((e) => e.to)).toEqual([[CREATE_BODY.competentAuthority.email]]);

    await recordDecision(
      {
        onboardingId: id,
        step: 3,
        phase: 'hodApproval',
        decision: decision('competentAuthority', 'return', { comment: 'Name the fees.' }),
      },
      ctx,
    );
    const after = await getOnboarding(id);
    expect(after?.hodReturns).toBe(1);
    expect(after?.amendmentRounds).toBe(0);
    expect(after?.steps['3']?.decisions?.[0]).toMatchObject({
      decision: 'return',
      templates: { version: 1, submissionId: staged.submissionId },
    });
    expect(after?.steps['3']?.completedAt).toBeUndefined();
    // Decided: the version decided on can no longer be replaced through the HoD's wait.
    expect(await peekWaitToken(id, 'TEMPLATES')).toBe(false);
  });
});

describe('step 8 overdue', () => {
  it('reminds the department to send test counts and gives DeGS a fresh link', async () => {
    const id = await newOnboarding();
    await requestAction(
      {
        taskToken: 'step8-again',
        onboardingId: id,
        step: 8,
        phase: 'integration',
        timeoutSeconds: 600,
        dueAt: '2026-12-01T18:29:59.000Z',
        escalations: 1,
      },
      ctx,
    );
    const [toDepartment, toDegs] = harness.emails;
    expect(toDepartment?.to).toEqual([CREATE_BODY.nodalOfficer.email]);
    expect(toDepartment?.text).toContain(`PUT ${BASE_URL}/v1/counts`);
    expect(toDegs?.to).toEqual(['degs@etaal.example.test']);
    expect(toDegs?.subject).toContain('REMINDER');
    expect(toDegs?.text).toContain(`${BASE_URL}/approvals/`);
  });
});

describe('escalation', () => {
  it('records the breach, copies the escalation contact once per timeout, and flags STALLED at the limit', async () => {
    const id = await newOnboarding();
    process.env.ESCALATION_LIMIT = '2';
    await setDeadline({ onboardingId: id, step: 6, phase: 'registration' }, ctx);

    const first = await escalate({ onboardingId: id, step: 6, phase: 'registration', escalations: 0 }, ctx);
    const retried = await escalate({ onboardingId: id, step: 6, phase: 'registration', escalations: 0 }, ctx);
    expect(first.escalations).toBe(1);
    expect(retried).toEqual({ ...first, timeoutSeconds: expect.any(Number) });
    expect(harness.emails.map((e) => e.to[0])).toEqual(['escalation@etaal.example.test']);
    expect((await getOnboarding(id))?.status).toBe('IN_PROGRESS');

    const second = await escalate({ onboardingId: id, step: 6, phase: 'registration', escalations: 1 }, ctx);
    expect(second.escalations).toBe(2);
    expect((await getOnboarding(id))?.status).toBe('STALLED');
    expect(harness.emails.at(-1)?.text).toContain('STALLED');
    const audit = await auditTypes(harness, id);
    expect(audit.filter((t) => t === 'step.deadline-breached')).toHaveLength(2);
    expect(audit).toContain('onboarding.stalled');

    // The step moving on clears the flag.
    await recordDecision(
      { onboardingId: id, step: 6, phase: 'registration', decision: decision('degsTechnical', 'approve') },
      ctx,
    );
    expect((await getOnboarding(id))?.status).toBe('IN_PROGRESS');
  });
});

describe('decisions', () => {
  it('complete step 10 only once both state-level approvers approved; a repeated decision is recorded once', async () => {
    const id = await newOnboarding();
    const nodal = decision('etaalNodalContact', 'approve');
    await Promise.all([
      recordDecision({ onboardingId: id, step: 10, phase: 'nodalApproval', decision: nodal }, ctx),
      recordDecision({ onboardingId: id, step: 10, phase: 'nodalApproval', decision: nodal }, ctx),
    ]);
    expect((await getOnboarding(id))?.steps['10']?.completedAt).toBeUndefined();

    await recordDecision(
      { onboardingId: id, step: 10, phase: 'stateApproval', decision: decision('stateCommittee', 'approve') },
      ctx,
    );
    const step10 = (await getOnboarding(id))?.steps['10'];
    expect(step10?.completedAt).toBeDefined();
    expect(step10?.decisions).toHaveLength(2);
  });
});

describe('service codes and outcomes', () => {
  async function registered(key = revKey) {
    const id = await newOnboarding(key);
    const onboarding = await getOnboarding(id);
    const staged = await stageTemplates(
      id,
      CREATE_BODY.services.map((s) => template(s.serviceName, { category: 'G2B' }) as ServiceTemplate),
      onboarding?.templatesVersion ?? 0,
    );
    await activateTemplates(id, staged, new Date().toISOString());
    await outcomes({ onboardingId: id, action: 'issueCodes' }, ctx);
    return id;
  }

  it('issues one readable code per service, the same codes on a retry, and never the same code twice', async () => {
    const a = await registered();
    const codesA = (await getOnboarding(a))?.services.map((s) => s.serviceCode);
    await outcomes({ onboardingId: a, action: 'issueCodes' }, ctx);
    const b = await registered();
    const c = await registered(tptKey);

    expect((await getOnboarding(a))?.services.map((s) => s.serviceCode)).toEqual(codesA);
    const all = (
      await Promise.all(
        [a, b, c].map(async (id) => (await getOnboarding(id))?.services.map((s) => s.serviceCode) ?? []),
      )
    ).flat();
    expect(new Set(all).size).toBe(6);
    for (const code of all) expect(code).toMatch(/^DL-(REV|TPT)-\d{4}$/);
    const item = await serviceCodeItem(harness, codesA?.[0] as string);
    expect(item).toMatchObject({
      status: 'issued',
      onboardingId: a,
      departmentId: expect.any(String),
      category: 'G2B',
      serviceName: 'Birth certificate',
      gsi1pk: expect.stringMatching(/^DEPT#/),
    });
  });

  it('moves codes to testing when step 8 starts, to live with the onboarding at step 12', async () => {
    const id = await registered();
    const codes = (await getOnboarding(id))?.services.map((s) => s.serviceCode as string) ?? [];
    await setDeadline({ onboardingId: id, step: 8, phase: 'integration' }, ctx);
    expect((await serviceCodeItem(harness, codes[0] as string))?.status).toBe('testing');
    expect((await getOnboarding(id))?.serviceCodeStatus).toBe('testing');

    await outcomes({ onboardingId: id, action: 'goLive' }, ctx);
    expect((await getOnboarding(id))?.status).toBe('LIVE');
    for (const code of codes) expect((await serviceCodeItem(harness, code))?.status).toBe('live');
    expect(harness.emails.at(-1)?.subject).toContain('services are live');
  });

  it('rejects: codes rejected, the onboarding REJECTED, the department told why', async () => {
    const id = await registered();
    await recordDecision(
      {
        onboardingId: id,
        step: 9,
        phase: 'testConfirmation',
        decision: decision('degsTechnical', 'reject', { comment: 'No test counts' }),
      },
      ctx,
    );
    await outcomes({ onboardingId: id, action: 'reject' }, ctx);
    await outcomes({ onboardingId: id, action: 'reject' }, ctx);

    const onboarding = await getOnboarding(id);
    expect(onboarding?.status).toBe('REJECTED');
    expect((await serviceCodeItem(harness, onboarding?.services[0]?.serviceCode as string))?.status).toBe(
      'rejected',
    );
    expect(harness.emails.filter((e) => e.subject.includes('rejected'))).toHaveLength(1);
    expect(harness.emails.at(-1)?.text).toContain('No test counts');
  });
});

describe('signalTestCountsReceived', () => {
  it('sends nothing unless step 8 waits, and resumes it exactly once', async () => {
    const id = await newOnboarding();
    await signalTestCountsReceived(id);
    expect(harness.sfn.callsOf('SendTaskSuccess')).toHaveLength(0);

    await requestAction(
      {
        taskToken: 'step8-token',
        onboardingId: id,
        step: 8,
        phase: 'integration',
        timeoutSeconds: 600,
        dueAt: '2026-12-01T18:29:59.000Z',
        escalations: 0,
      },
      ctx,
    );
    await Promise.all([signalTestCountsReceived(id), signalTestCountsReceived(id)]);
    const calls = harness.sfn.callsOf('SendTaskSuccess');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body.taskToken).toBe('step8-token');
    expect(JSON.parse(String(calls[0]?.body.output))).toMatchObject({ decision: 'approve', role: 'system' });
    const leftover = await harness.db.client.send(
      new QueryCommand({
        TableName: harness.db.tables.onboardings,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
        ExpressionAttributeValues: { ':pk': `ONB#${id}`, ':w': 'WAIT#' },
      }),
    );
    expect(leftover.Items).toEqual([]);
  });

  it('lets test counts that came before the step-8 wait was set up end it when it is (no DeGS link sent)', async () => {
    // Codes take test counts before step 8 shows started (issue 14): a department may push before the
    // workflow's wait has stored its token.
    const id = await newOnboarding();
    await signalTestCountsReceived(id);
    expect(harness.sfn.callsOf('SendTaskSuccess')).toHaveLength(0);
    const emailsBefore = harness.emails.length;

    await requestAction(
      {
        taskToken: 'step8-late-token',
        onboardingId: id,
        step: 8,
        phase: 'integration',
        timeoutSeconds: 600,
        dueAt: '2026-12-01T18:29:59.000Z',
        escalations: 0,
      },
      ctx,
    );
    const calls = harness.sfn.callsOf('SendTaskSuccess');
    expect(calls.map((c) => c.body.taskToken)).toEqual(['step8-late-token']);
    expect(harness.emails).toHaveLength(emailsBefore);
    await signalTestCountsReceived(id);
    expect(harness.sfn.callsOf('SendTaskSuccess')).toHaveLength(1);
  });
});
