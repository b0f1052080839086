import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as approvalsHandler } from '../../lambdas/approvals/handler';
import { issueApproval } from '../../lambdas/approvals/issue';
import { putContacts } from '../../lambdas/config/repository';
import { createDepartment } from '../../lambdas/departments/repository';
import { handler as getHandler } from '../../lambdas/entries/get-onboarding';
import { handler as requestAction } from '../../lambdas/entries/onboarding-request-action';
import { handler as createHandler } from '../../lambdas/onboarding/api/create';
import { handler as listHandler } from '../../lambdas/onboarding/api/list';
import { handler as submitHandler } from '../../lambdas/onboarding/api/submit-templates';
import { getOnboarding } from '../../lambdas/onboarding/repository';
import type { HttpResult } from '../../lambdas/shared/http';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { apiEvent, lambdaContext } from '../support/api-event';
import { CREATE_BODY, template, words } from './fixtures';
import { auditTypes, startHarness } from './support';

let harness: Awaited<ReturnType<typeof startHarness>>;
let apiKey: string;
let otherApiKey: string;

beforeAll(async () => {
  harness = await startHarness('onb-api-');
  apiKey = (await createDepartment({ code: 'REV', name: 'Revenue Department' })).apiKey;
  otherApiKey = (await createDepartment({ code: 'TPT', name: 'Transport Department' })).apiKey;
  await putContacts({ role: 'etaalNodalContact', emails: ['nodal-contact@etaal.example.test'] });
});
afterAll(() => harness.stop());
beforeEach(() => harness.sfn.reset());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Body = Record<string, any>;

async function call(
  h: (e: ReturnType<typeof apiEvent>, c: ReturnType<typeof lambdaContext>) => Promise<HttpResult>,
  options: Parameters<typeof apiEvent>[0] & { key?: string },
): Promise<{ status: number; body: Body; headers: Record<string, string> }> {
  const { key = apiKey, ...rest } = options;
  const response = await h(
    apiEvent({ ...rest, headers: { 'x-api-key': key, ...(rest.headers ?? {}) } }),
    lambdaContext(),
  );
  return {
    status: response.statusCode,
    body: response.body ? JSON.parse(response.body) : {},
    headers: response.headers,
  };
}

const create = (body: unknown, headers: Record<string, string> = {}, key?: string) =>
  call(createHandler, {
    method: 'POST',
    path: '/v1/onboardings',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
    ...(key ? { key } : {}),
  });

const get = (onboardingId: string, key?: string, query?: Record<string, string>) =>
  call(getHandler, {
    path: `/v1/onboardings/${onboardingId}`,
    pathParameters: { onboardingId },
    ...(key ? { key } : {}),
    ...(query ? { query } : {}),
  });

const submit = (onboardingId: string, body: string, contentType = 'application/json', key?: string) =>
  call(submitHandler, {
    method: 'PUT',
    path: `/v1/onboardings/${onboardingId}/templates`,
    pathParameters: { onboardingId },
    body,
    headers: { 'content-type': contentType },
    ...(key ? { key } : {}),
  });

/** What the state machine does at step 3: the callback task opens the wait for templates. */
async function openTemplatesWait(
  onboardingId: string,
  taskToken = `token-${Math.random()}`,
  phase: 'templates' | 'resubmission' = 'templates',
) {
  await requestAction(
    {
      taskToken,
      onboardingId,
      step: phase === 'templates' ? 3 : 4,
      phase,
      timeoutSeconds: 3600,
      dueAt: '2026-12-01T18:29:59.000Z',
      escalations: 0,
    },
    lambdaContext(),
  );
  return taskToken;
}

/** The stored submissions of templates of an onboarding: version → number of template items. */
async function templateSubmissions(onboardingId: string): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await harness.db.client.send(
      new QueryCommand({
        TableName: harness.db.tables.onboardings,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `ONB#${onboardingId}`, ':prefix': 'TEMPLATE#' },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
        ExclusiveStartKey: cursor,
      }),
    );
    for (const item of page.Items ?? []) {
      const version = String(item.sk).split('#')[1] as string;
      versions.set(version, (versions.get(version) ?? 0) + 1);
    }
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return versions;
}

describe('POST /v1/onboardings', () => {
  it('creates the onboarding at step 2 and starts its execution named from department, date and id', async () => {
    const response = await create(CREATE_BODY, { 'idempotency-key': 'create-1' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'IN_PROGRESS', currentStep: 2, stalled: false });
    expect(response.body.steps).toHaveLength(12);
    expect(response.body.steps[0]).toMatchObject({ step: 1, status: 'done' });
    const [start] = harness.sfn.callsOf('StartExecution');
    const shortId = response.body.onboardingId.replaceAll('-', '').slice(0, 8);
    expect(start?.body).toMatchObject({
      name: expect.stringMatching(new RegExp(`^${response.body.department.code}-\\d{8}-${shortId}$`)),
      input: JSON.stringify({ onboardingId: response.body.onboardingId }),
    });
    expect(await auditTypes(harness, response.body.onboardingId)).toEqual(['onboarding.created']);
  });

  it('answers a repeated request with the same onboarding, and refuses a reused key with another body', async () => {
    const first = await create(CREATE_BODY, { 'idempotency-key': 'create-2' });
    const again = await create(CREATE_BODY, { 'idempotency-key': 'create-2' });
    const changed = await create(
      { ...CREATE_BODY, services: [{ serviceName: 'Other service' }] },
      { 'idempotency-key': 'create-2' },
    );
    const noKey1 = await create({ ...CREATE_BODY, services: [{ serviceName: 'Keyless service' }] });
    const noKey2 = await create({ ...CREATE_BODY, services: [{ serviceName: 'Keyless service' }] });

    expect(again.body.onboardingId).toBe(first.body.onboardingId);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(changed.status).toBe(409);
    expect(changed.body.type).toBe(problemTypeUri('idempotency-key-reused'));
    expect(noKey2.body.onboardingId).toBe(noKey1.body.onboardingId);
  });

  it('rejects unknown fields, duplicate names and bad contacts, naming each field, and stores nothing', async () => {
    const response = await create(
      {
        ...CREATE_BODY,
        departmentId: 'forged',
        nodalOfficer: { ...CREATE_BODY.nodalOfficer, email: 'not-an-email' },
        services: [{ serviceName: 'Same' + ' name' }, { serviceName: 'SAME NAME' }],
      },
      { 'idempotency-key': 'bad-1' },
    );

    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: Body) => e.field)).toEqual(
      expect.arrayContaining(['departmentId', 'nodalOfficer.email', 'services[1].serviceName']),
    );
    const tooMany = await create({
      ...CREATE_BODY,
      services: Array.from({ length: 201 }, (_, i) => ({ serviceName: `Service ${i}` })),
    });
    expect(tooMany.status).toBe(422);
    expect(harness.sfn.callsOf('StartExecution')).toHaveLength(0);
  });
});

describe('GET /v1/onboardings[/{id}]', () => {
  it("shows a department its own onboardings and answers another department's id as absent", async () => {
    const { body } = await create(CREATE_BODY, { 'idempotency-key': 'get-1' });

    const own = await get(body.onboardingId);
    const foreign = await get(body.onboardingId, otherApiKey);
    const list = await call(listHandler, { path: '/v1/onboardings', query: { limit: '100' } });
    const otherList = await call(listHandler, { path: '/v1/onboardings', key: otherApiKey });

    expect(own.status).toBe(200);
    expect(own.body.steps[1]).toMatchObject({
      step: 2,
      title: 'Share service-details template with nodal officer',
      status: 'pending',
    });
    expect(own.body.predictedGoLive).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(own.body).not.toHaveProperty('executionArn');
    expect(foreign.status).toBe(404);
    expect(await get('00000000-0000-8000-8000-000000000000').then((r) => r.status)).toBe(404);
    expect(list.body.items.map((i: Body) => i.onboardingId)).toContain(body.onboardingId);
    expect(otherList.body.items).toEqual([]);
  });

  it('refuses a forged list cursor', async () => {
    const forged = Buffer.from(
      JSON.stringify({ pk: 'x', sk: 'META', gsi1pk: 'DEPT#someone-else', gsi1sk: 'x' }),
    ).toString('base64url');
    const response = await call(listHandler, { path: '/v1/onboardings', query: { cursor: forged } });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].field).toBe('cursor');
  });
});

describe('PUT /v1/onboardings/{id}/templates', () => {
  let onboardingId: string;
  beforeAll(async () => {
    onboardingId = (await create(CREATE_BODY, { 'idempotency-key': 'templates-1' })).body.onboardingId;
  });

  it('is 409 while the workflow is not waiting for templates, and 404 for another department', async () => {
    const body = JSON.stringify({ services: CREATE_BODY.services.map((s) => template(s.serviceName)) });
    const early = await submit(onboardingId, body);
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('Submit again in a few seconds');
    expect(early.body).toMatchObject({
      state: { step: 2, templatesVersion: 0 },
      nextAction: 'Submit again in a few seconds.',
    });
    await openTemplatesWait(onboardingId);
    expect((await submit(onboardingId, body, 'application/json', otherApiKey)).status).toBe(404);
  });

  it('names every bad JSON field: word counts, enums, unknown fields, services not listed', async () => {
    const response = await submit(
      onboardingId,
      JSON.stringify({
        services: [
          template('Birth certificate', {
            serviceDescription: words(501),
            deliveryMode: 'Fax',
            templateId: 7,
          }),
          template('<script>alert(1)</script>', { category: 'G2X' }),
        ],
      }),
    );

    expect(response.status).toBe(422);
    expect(response.headers['Content-Type']).toContain('application/problem+json');
    expect(response.body.errors.map((e: Body) => e.field)).toEqual([
      'services[0].serviceDescription',
      'services[0].deliveryMode',
      'services[0].templateId',
      'services[1].category',
      'services[1].serviceName',
    ]);
  });

  it('refuses a body over 3 MiB with 413 before reading it', async () => {
    const response = await submit(onboardingId, `{"services": "${'x'.repeat(3 * 1024 * 1024)}"}`);

    expect(response.status).toBe(413);
    expect(harness.sfn.callsOf('SendTaskSuccess')).toHaveLength(0);
  });

  it('names every bad CSV field by row and column and changes nothing', async () => {
    const csv = [
      'serviceName,serviceDescription,deliveryMode,category,missionModeProject',
      `Birth certificate,${words(99)},Online,G2C,yes`,
      `Trade licence,${words(501)},Online,X2Y,no`,
    ].join('\n');
    const response = await submit(onboardingId, csv, 'text/csv');

    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: Body) => e.field)).toEqual([
      'row 2, column serviceDescription',
      'row 3, column serviceDescription',
      'row 3, column category',
    ]);
    expect((await getOnboarding(onboardingId))?.templatesVersion).toBe(0);
    expect(harness.sfn.callsOf('SendTaskSuccess')).toHaveLength(0);
  });

  it('accepts valid CSV once: resumes the wait with its token, stores the templates; a second PUT is 409', async () => {
    const token = await openTemplatesWait(onboardingId);
    const csv = [
      'serviceName,serviceDescription,deliveryMode,category,missionModeProject',
      `Birth certificate,"${words(100)}",OCe,G2C,Yes`,
      `trade licence,${words(150)},Online,G2B,false`,
    ].join('\n');

    const accepted = await submit(onboardingId, csv, 'text/csv');
    const repeated = await submit(onboardingId, csv, 'text/csv');

    expect(accepted.status).toBe(202);
    expect(repeated.status).toBe(409);
    const resumed = harness.sfn.callsOf('SendTaskSuccess');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.body.taskToken).toBe(token);
    const stored = await getOnboarding(onboardingId);
    expect(stored?.templatesVersion).toBe(1);
    expect(stored?.templates?.map((t) => [t.serviceName, t.deliveryMode, t.missionModeProject])).toEqual([
      ['Birth certificate', 'OCe', true],
      ['Trade licence', 'Online', false],
    ]);
    const tokenItem = await harness.db.client.send(
      new GetCommand({
        TableName: harness.db.tables.onboardings,
        Key: { pk: `ONB#${onboardingId}`, sk: 'WAIT#TEMPLATES' },
      }),
    );
    expect(tokenItem.Item).toBeUndefined();
  });

  it('puts the wait back when Step Functions is briefly unavailable, so the department can retry', async () => {
    await openTemplatesWait(onboardingId);
    const body = JSON.stringify({ services: CREATE_BODY.services.map((s) => template(s.serviceName)) });
    harness.sfn.script(
      { kind: 'error', type: 'ServiceUnavailable', status: 503 },
      { kind: 'error', type: 'ServiceUnavailable', status: 503 },
      { kind: 'error', type: 'ServiceUnavailable', status: 503 },
      { kind: 'error', type: 'ServiceUnavailable', status: 503 },
    );
    const versionBefore = (await getOnboarding(onboardingId))?.templatesVersion;
    const failed = await submit(onboardingId, body);
    expect((await getOnboarding(onboardingId))?.templatesVersion).toBe(versionBefore);
    harness.sfn.script();
    const retried = await submit(onboardingId, body);

    expect(failed.status).toBe(503);
    expect(retried.status).toBe(202);
    expect(await templateSubmissions(onboardingId)).toEqual(
      new Map([
        [`0001`, 2],
        [`0002`, 2],
      ]),
    );
  });

  it('answers 409 and keeps the previous templates when the wait timed out just before the PUT', async () => {
    await openTemplatesWait(onboardingId);
    const before = await getOnboarding(onboardingId);
    harness.sfn.script({ kind: 'error', type: 'TaskTimedOut', status: 400 });
    const body = JSON.stringify({
      services: CREATE_BODY.services.map((s) => template(s.serviceName, { category: 'B2C' })),
    });

    const response = await submit(onboardingId, body);

    expect(response.status).toBe(409);
    expect(response.body.type).toBe(problemTypeUri('wait-expired'));
    const after = await getOnboarding(onboardingId);
    expect(after?.templatesVersion).toBe(before?.templatesVersion);
    expect(after?.templates).toEqual(before?.templates);
    expect([...(await templateSubmissions(onboardingId)).keys()]).toEqual(['0001', '0002']);
  });

  it('accepts one of two concurrent submissions whole; the other is 409 and leaves nothing behind', async () => {
    const { body } = await create(CREATE_BODY, { 'idempotency-key': 'concurrent-1' });
    await openTemplatesWait(body.onboardingId);
    const submission = (category: string) =>
      JSON.stringify({ services: CREATE_BODY.services.map((s) => template(s.serviceName, { category })) });

    const responses = await Promise.all([
      submit(body.onboardingId, submission('G2B')),
      submit(body.onboardingId, submission('G2G')),
    ]);

    expect(responses.map((r) => r.status).sort()).toEqual([202, 409]);
    const winner = responses.findIndex((r) => r.status === 202) === 0 ? 'G2B' : 'G2G';
    const stored = await getOnboarding(body.onboardingId);
    expect(stored?.templates?.map((t) => t.category)).toEqual([winner, winner]);
    expect(await templateSubmissions(body.onboardingId)).toEqual(new Map([['0001', 2]]));
    expect(harness.sfn.callsOf('SendTaskSuccess')).toHaveLength(1);
  });
});

describe('a full-size submission: 200 services of 500 words', () => {
  const services = Array.from({ length: 200 }, (_, i) => ({ serviceName: `Service number ${i + 1}` }));
  // ~7 KB a description, ~1.4 MB in all: over a 400 KB item and the default 256 KiB body limit.
  const description = (n: number, variant: string) => `${variant} ${n} ${words(498, 'longerword')}`;
  let onboardingId: string;
  let departmentId: string;

  beforeAll(async () => {
    const { body } = await create({ ...CREATE_BODY, services }, { 'idempotency-key': 'full-size-1' });
    onboardingId = body.onboardingId;
    departmentId = body.department.departmentId;
  });

  it('takes them as JSON, keeps them out of the onboarding item and the execution, and shows them via GET', async () => {
    await openTemplatesWait(onboardingId);
    const templates = services.map((s, i) =>
      template(s.serviceName, { serviceDescription: description(i + 1, 'first') }),
    );
    const requestBody = JSON.stringify({ services: templates });
    expect(Buffer.byteLength(requestBody)).toBeGreaterThan(1024 * 1024);

    const response = await submit(onboardingId, requestBody);

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ templatesVersion: 1, services: 200 });
    const [resumed] = harness.sfn.callsOf('SendTaskSuccess');
    expect(String(resumed?.body.output).length).toBeLessThan(200);
    const meta = await harness.db.client.send(
      new GetCommand({
        TableName: harness.db.tables.onboardings,
        Key: { pk: `ONB#${onboardingId}`, sk: 'META' },
      }),
    );
    expect(meta.Item).not.toHaveProperty('templates');
    expect(JSON.stringify(meta.Item).length).toBeLessThan(50_000);
    const small = await get(onboardingId);
    expect(small.body.templatesVersion).toBe(1);
    expect(small.body).not.toHaveProperty('templates');
    const shown = await get(onboardingId, undefined, { include: 'templates' });
    expect(shown.status).toBe(200);
    expect(shown.body.templates).toEqual(templates);
  });

  it('takes the amended templates as CSV and shows the new version on the step-4 approval page', async () => {
    await openTemplatesWait(onboardingId, undefined, 'resubmission');
    const csv = [
      'serviceName,serviceDescription,deliveryMode,category,missionModeProject',
      ...services.map((s, i) => `${s.serviceName},"${description(i + 1, 'amended')}",OCe,G2B,yes`),
    ].join('\n');

    const response = await submit(onboardingId, csv, 'text/csv');
    const { url } = await issueApproval({
      onboardingId,
      departmentId,
      step: 4,
      role: 'etaalNodalContact',
      taskToken: 'review-token',
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      choices: ['approve', 'return', 'reject'],
    });
    const approvalId = url.split('/').at(-1) as string;
    const page = await approvalsHandler(
      apiEvent({
        path: `/approvals/${approvalId}`,
        resource: '/approvals/{approvalId}',
        pathParameters: { approvalId },
      }),
      lambdaContext('Approvals'),
    );

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ templatesVersion: 2, services: 200 });
    const shown = await get(onboardingId, undefined, { include: 'templates' });
    expect(shown.body.templates).toHaveLength(200);
    expect(shown.body.templates[199]).toEqual({
      serviceName: 'Service number 200',
      serviceDescription: description(200, 'amended'),
      deliveryMode: 'OCe',
      category: 'G2B',
      missionModeProject: true,
    });
    expect(page.statusCode).toBe(200);
    expect(
      page.body.match(/<tr><th scope="row" data-label="Service Name">Service number \d+<\/th>/g),
    ).toHaveLength(200);
    expect(page.body).toContain(description(200, 'amended'));
    expect(page.body).not.toContain('first 200 ');
    // The version the HoD approved stays readable next to the amendment.
    expect(await templateSubmissions(onboardingId)).toEqual(
      new Map([
        ['0001', 200],
        ['0002', 200],
      ]),
    );
  });
});
