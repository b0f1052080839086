import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApprovalId } from '../../lambdas/approvals/approval';
import { handler as delegationHandler } from '../../lambdas/approvals/delegation-handler';
import { handler as documentsHandler } from '../../lambdas/approvals/documents-handler';
import { handler } from '../../lambdas/approvals/handler';
import { issueApproval, issueApprovals } from '../../lambdas/approvals/issue';
import type { Role, StepNumber } from '../../lambdas/core/sop';
import type { Decision } from '../../lambdas/core/workflow';
import { putCounts } from '../../lambdas/counts/repository';
import { activateTemplates, stageTemplates } from '../../lambdas/onboarding/templates-store';
import type { HttpResult } from '../../lambdas/shared/http';
import { apiEvent, lambdaContext } from '../support/api-event';
import { startDynalite, type TestDynamo } from '../support/dynamo';
import { type FakeSfn, startFakeSfn } from './fake-sfn';

const BASE_URL = 'https://etaal.example.test/prod';
const HOSTILE_SERVICE = '<img src=x onerror=alert(1)> Water "bills"';
const HOSTILE_DESCRIPTION = `Pay water bills online. </td><script>alert('xss')</script> ${'word '.repeat(100)}`;
const HOSTILE_DEPARTMENT = 'Delhi Jal Board <script>steal()</script>';

let db: TestDynamo;
let sfn: FakeSfn;
let departmentId: string;
let onboardingId: string;
const previousEnv = { ...process.env };
/** Everything the handlers log (Powertools writes JSON lines to stdout), kept to check it for secrets. */
const logLines: string[] = [];
const writeStdout = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  process.stdout.write = ((chunk: string | Uint8Array) => {
    logLines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  db = await startDynalite({ tablePrefix: 'approvals-test-' });
  db.applyEnv();
  sfn = await startFakeSfn();
  process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
  process.env.PUBLIC_BASE_URL = BASE_URL;

  departmentId = randomUUID();
  onboardingId = randomUUID();
  await db.client.send(
    new PutCommand({
      TableName: db.tables.onboardings,
      Item: {
        pk: `ONB#${onboardingId}`,
        sk: 'META',
        onboardingId,
        departmentId,
        departmentCode: 'DJB',
        departmentName: HOSTILE_DEPARTMENT,
        status: 'IN_PROGRESS',
        services: [
          { serviceName: HOSTILE_SERVICE, serviceCode: 'DL-DJB-0001' },
          { serviceName: 'New water connection', serviceCode: 'DL-DJB-0002' },
        ],
        templatesVersion: 0,
        amendmentRounds: 0,
        nodalOfficer: {
          name: 'Asha Verma',
          designation: 'IT in-charge',
          email: 'nodal@djb.example',
          phone: '+91 11 2339 0000',
        },
        competentAuthority: { name: 'R. K. Singh', designation: 'CEO', email: 'hod@djb.example' },
        steps: {},
      },
    }),
  );
  // The templates as the department's PUT stores them: items of a submission META points to.
  const staged = await stageTemplates(
    onboardingId,
    [
      {
        serviceName: HOSTILE_SERVICE,
        serviceDescription: HOSTILE_DESCRIPTION,
        deliveryMode: 'Online',
        category: 'G2C',
        missionModeProject: true,
      },
      {
        serviceName: 'New water connection',
        serviceDescription: 'Apply for a new connection.',
        deliveryMode: 'OCe',
        category: 'G2B',
        missionModeProject: false,
      },
    ],
    0,
  );
  await activateTemplates(onboardingId, staged, '2026-11-20T10:00:00.000Z');
  await putCounts([
    {
      serviceCode: 'DL-DJB-0002',
      date: '2026-11-24',
      locationCode: 'NDLS-7',
      count: 4321,
      phase: 'test',
      departmentId,
      updatedAt: '2026-11-24T10:00:00.000Z',
    },
  ]);
});

afterAll(async () => {
  process.stdout.write = writeStdout;
  await sfn?.stop();
  await db?.stop();
  process.env = previousEnv;
});

beforeEach(() => sfn.reset());

// ---------------------------------------------------------------------------------------------------
// Helpers

const inOneDay = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString();

async function issue(
  step: StepNumber,
  role: Role,
  choices: Decision[],
  taskToken = `token-${randomBytes(24).toString('hex')}`,
) {
  const { approvalId, url } = await issueApproval({
    onboardingId,
    departmentId,
    step,
    role,
    taskToken,
    expiresAt: inOneDay(),
    choices,
  });
  return { approvalId, url, taskToken };
}

const call = (event: ReturnType<typeof apiEvent>) =>
  handler(event, lambdaContext('Approvals')) as Promise<HttpResult>;

function request(method: string, approvalId: string) {
  return call(
    apiEvent({
      method,
      path: `/approvals/${approvalId}`,
      resource: '/approvals/{approvalId}',
      pathParameters: { approvalId },
    }),
  );
}

function post(approvalId: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call(
    apiEvent({
      method: 'POST',
      path: `/approvals/${approvalId}`,
      resource: '/approvals/{approvalId}',
      pathParameters: { approvalId },
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'Mozilla/5.0 (approver browser)',
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

function nonceOf(page: string): string {
  const nonce = /<input type="hidden" name="nonce" value="([^"]+)">/.exec(page)?.[1];
  if (!nonce) throw new Error('no nonce on the page');
  return nonce;
}

/** Opens the link as the approver's browser would and submits the form. */
async function openAndSubmit(
  approvalId: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const page = await request('GET', approvalId);
  return post(approvalId, { nonce: nonceOf(page.body), ...fields }, headers);
}

async function tableState(): Promise<string> {
  const scan = async (TableName: string) => {
    const { Items = [] } = await db.client.send(new ScanCommand({ TableName, ConsistentRead: true }));
    return Items.map((item) => JSON.stringify(item)).sort();
  };
  return JSON.stringify([await scan(db.tables.approvals), await scan(db.tables.onboardings)]);
}

async function approvalItem(approvalId: string) {
  const { Item } = await db.client.send(
    new GetCommand({
      TableName: db.tables.approvals,
      Key: { pk: `APPROVAL#${hashApprovalId(approvalId)}`, sk: 'APPROVAL' },
      ConsistentRead: true,
    }),
  );
  return Item;
}

async function auditEntries(type: string) {
  const { Items = [] } = await db.client.send(
    new QueryCommand({
      TableName: db.tables.onboardings,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': `ONB#${onboardingId}`, ':audit': 'AUDIT#' },
      ConsistentRead: true,
    }),
  );
  return Items.filter((item) => item.type === type);
}

const forgedId = () => randomBytes(32).toString('base64url');

// ---------------------------------------------------------------------------------------------------

describe('issueApproval', () => {
  it('returns a 256-bit link under PUBLIC_BASE_URL and stores only its hash, with the token kept server-side', async () => {
    const { approvalId, url, taskToken } = await issue(4, 'etaalNodalContact', [
      'approve',
      'return',
      'reject',
    ]);

    expect(url).toBe(`${BASE_URL}/approvals/${approvalId}`);
    expect(Buffer.from(approvalId, 'base64url')).toHaveLength(32);
    const { Items = [] } = await db.client.send(new ScanCommand({ TableName: db.tables.approvals }));
    expect(JSON.stringify(Items)).not.toContain(approvalId);
    expect(await approvalItem(approvalId)).toMatchObject({
      onboardingId,
      departmentId,
      step: 4,
      role: 'etaalNodalContact',
      choices: ['approve', 'return', 'reject'],
      taskToken,
      status: 'pending',
    });
  });

  it('keeps one live link per task token when the callback task is retried', async () => {
    const first = await issue(12, 'centralCommittee', ['approve', 'reject']);
    const retry = await issue(12, 'centralCommittee', ['approve', 'reject'], first.taskToken);

    expect(retry.approvalId).not.toBe(first.approvalId);
    expect((await request('GET', first.approvalId)).statusCode).toBe(410);
    expect((await request('GET', retry.approvalId)).statusCode).toBe(200);
    const { Items = [] } = await db.client.send(new ScanCommand({ TableName: db.tables.approvals }));
    expect(
      Items.filter((item) => item.taskToken === first.taskToken && item.status === 'pending'),
    ).toHaveLength(1);
  });

  it('replaces the link of a step and role when the workflow issues a fresh one, leaving other roles alone', async () => {
    const nodal = await issue(10, 'etaalNodalContact', ['approve', 'reject']);
    const committee = await issue(10, 'stateCommittee', ['approve', 'reject']);
    const fresh = await issue(10, 'etaalNodalContact', ['approve', 'reject']);

    const old = await request('GET', nodal.approvalId);

    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('A newer link was sent for this step');
    expect((await request('GET', committee.approvalId)).statusCode).toBe(200);
    expect((await request('GET', fresh.approvalId)).statusCode).toBe(200);
  });

  it('refuses a return choice where no wait of the step offers it, and a role that does not act in the step', async () => {
    await expect(issue(6, 'degsTechnical', ['approve', 'return'])).rejects.toThrow(/choices/);
    await expect(issue(6, 'centralCommittee', ['approve'])).rejects.toThrow(/role/);
    await expect(issue(4, 'department', ['approve'])).rejects.toThrow(/role/);
    // The HoD returns at step 3 and signs off amended templates at step 4.
    await expect(issue(3, 'competentAuthority', ['approve', 'return'])).resolves.toBeDefined();
    await expect(issue(4, 'competentAuthority', ['approve', 'return'])).resolves.toBeDefined();
  });
});

describe('GET and HEAD of a link', () => {
  it('shows the step, the department and all five template fields, escaping department text', async () => {
    const { approvalId, taskToken } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);

    const response = await request('GET', approvalId);

    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.headers['Content-Security-Policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    const page = response.body;
    expect(page).toContain('Step 04 - Review by e-Taal Nodal Contact');
    expect(page).toContain('Delhi Jal Board &lt;script&gt;steal()&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; Water &quot;bills&quot;');
    expect(page).toContain('&lt;/td&gt;&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;');
    expect(page).toContain(
      '<td data-label="Online / OCe">Online</td><td data-label="Category">G2C</td><td data-label="Mission Mode Project">Yes</td>',
    );
    expect(page).toContain(
      '<td data-label="Online / OCe">OCe</td><td data-label="Category">G2B</td><td data-label="Mission Mode Project">No</td>',
    );
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).not.toContain(taskToken);
    expect(page).toMatch(/<form method="post"/);
  });

  it('offers "return for amendments" on step 4 only', async () => {
    const step4 = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);
    const step3 = await issue(3, 'competentAuthority', ['approve', 'reject']);

    const page4 = (await request('GET', step4.approvalId)).body;
    const page3 = (await request('GET', step3.approvalId)).body;

    expect(page4).toContain('value="return"');
    expect(page3).not.toContain('value="return"');
    expect(page3).toContain('Approve (sign) the service details');
  });

  it('shows the services to register on step 6, the test counts received on step 9 and codes on step 12', async () => {
    const step6 = await issue(6, 'degsTechnical', ['approve']);
    const step9 = await issue(9, 'degsTechnical', ['approve']);
    const step12 = await issue(12, 'centralCommittee', ['approve', 'reject']);

    expect((await request('GET', step6.approvalId)).body).toContain(
      'Register services and generate Service Codes',
    );
    const page9 = (await request('GET', step9.approvalId)).body;
    expect(page9).toContain('4321 in total, 1 day(s) from 2026-11-24 to 2026-11-24, 1 location(s)');
    expect(page9).toContain(
      '<tr><td data-label="Government Service Code">DL-DJB-0002</td><td data-label="Date (IST)">2026-11-24</td><td data-label="Location">NDLS-7</td><td data-label="Count">4321</td></tr>',
    );
    expect(page9).toMatch(/<tr class="flagged"><td data-label="Government Service Code">DL-DJB-0001<\/td>/);
    const page12 = (await request('GET', step12.approvalId)).body;
    expect(page12).toContain('DL-DJB-0001');
    expect(page12).toContain('DL-DJB-0002');
  });

  it('changes nothing in any table, and HEAD answers like GET without a body', async () => {
    const { approvalId } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);
    const before = await tableState();

    const get = await request('GET', approvalId);
    const head = await request('HEAD', approvalId);
    await request('GET', forgedId());

    expect(await tableState()).toBe(before);
    expect(head.statusCode).toBe(get.statusCode);
    expect(head.headers['Content-Type']).toBe(get.headers['Content-Type']);
    expect(head.body).toBe('');
    expect(sfn.calls).toHaveLength(0);
  });

  it('answers 404 for a forged or malformed id', async () => {
    for (const id of [forgedId(), 'not-a-link', '']) {
      const response = await request('GET', id);
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('Link not found');
    }
  });
});

describe('POST a decision', () => {
  it('records it once, resumes the execution with the agreed output and audits who, when, IP and browser', async () => {
    const { approvalId, taskToken } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);

    const response = await openAndSubmit(approvalId, { decision: 'approve', comment: 'Looks complete.' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('your decision is recorded');
    const sends = sfn.callsOf('SendTaskSuccess');
    expect(sends).toHaveLength(1);
    expect(sends[0]?.body.taskToken).toBe(taskToken);
    const output = JSON.parse(String(sends[0]?.body.output));
    expect(output).toEqual({
      decision: 'approve',
      comment: 'Looks complete.',
      role: 'etaalNodalContact',
      approvalId: hashApprovalId(approvalId),
      decidedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const audit = (await auditEntries('approval.decided')).filter(
      (entry) => entry.detail.approvalRef === hashApprovalId(approvalId),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      step: 4,
      role: 'etaalNodalContact',
      detail: {
        decision: 'approve',
        comment: 'Looks complete.',
        sourceIp: '127.0.0.1',
        userAgent: 'Mozilla/5.0 (approver browser)',
      },
    });
    expect(response.body).not.toContain(taskToken);
  });

  it('answers a reused link with 409 saying who decided what and when, and does not resume again', async () => {
    const { approvalId } = await issue(10, 'stateCommittee', ['approve', 'reject']);
    const page = await request('GET', approvalId);
    await post(approvalId, { nonce: nonceOf(page.body), decision: 'approve' });

    const again = await post(approvalId, {
      nonce: nonceOf(page.body),
      decision: 'reject',
      comment: 'Changed my mind',
    });

    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This link has already been used');
    expect(again.body).toContain('<dd>Approved</dd>');
    expect(again.body).toContain('<dd>State Committee</dd>');
    expect(again.body).toMatch(/<dt>At<\/dt><dd>\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d IST<\/dd>/);
    expect(sfn.callsOf('SendTaskSuccess')).toHaveLength(1);
    const revisit = await request('GET', approvalId);
    expect(revisit.statusCode).toBe(200);
    expect(revisit.body).toContain('<dd>Approved</dd>');
    expect(revisit.body).not.toContain('<form');
  });

  it('resumes the execution exactly once when the same form is submitted twice at the same time', async () => {
    const { approvalId } = await issue(12, 'centralCommittee', ['approve', 'reject']);
    const nonce = nonceOf((await request('GET', approvalId)).body);

    const responses = await Promise.all([
      post(approvalId, { nonce, decision: 'approve' }),
      post(approvalId, { nonce, decision: 'approve' }),
    ]);

    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(sfn.callsOf('SendTaskSuccess')).toHaveLength(1);
  });

  it('does not resume again when the form is resubmitted while the first submission is still in flight', async () => {
    const { approvalId } = await issue(12, 'centralCommittee', ['approve', 'reject']);
    const nonce = nonceOf((await request('GET', approvalId)).body);
    const held = sfn.holdNext();

    const first = post(approvalId, { nonce, decision: 'approve' });
    await held.arrived;
    const second = await post(approvalId, { nonce, decision: 'approve' });
    const pageMeanwhile = await request('GET', approvalId);
    held.release();

    expect(second.statusCode).toBe(409);
    expect(pageMeanwhile.body).not.toContain('<form');
    expect((await first).statusCode).toBe(200);
    expect(sfn.callsOf('SendTaskSuccess')).toHaveLength(1);
  });

  it('refuses a wrong or missing nonce with 403 and changes nothing', async () => {
    const { approvalId } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);
    const before = await tableState();

    const wrong = await post(approvalId, { nonce: forgedId(), decision: 'approve' });
    const missing = await post(approvalId, { decision: 'approve' });

    expect(wrong.statusCode).toBe(403);
    expect(missing.statusCode).toBe(403);
    expect(await tableState()).toBe(before);
    expect(sfn.calls).toHaveLength(0);
  });

  it('requires a comment to return for amendments (422, form shown again) and changes nothing', async () => {
    const { approvalId } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);
    const before = await tableState();

    const response = await openAndSubmit(approvalId, { decision: 'return', comment: '   ' });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Say what the department must change.');
    expect(response.body).toMatch(/value="return" required checked/);
    expect(await tableState()).toBe(before);
    expect(sfn.calls).toHaveLength(0);
  });

  it('passes a return with its comment on to the workflow', async () => {
    const { approvalId } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);

    const response = await openAndSubmit(approvalId, {
      decision: 'return',
      comment: 'Describe service 2 in full.',
    });

    expect(response.statusCode).toBe(200);
    const output = JSON.parse(String(sfn.callsOf('SendTaskSuccess')[0]?.body.output));
    expect(output).toMatchObject({ decision: 'return', comment: 'Describe service 2 in full.' });
  });

  it('refuses choices the link does not offer and a reject without reason, with 422', async () => {
    const step3 = await issue(3, 'competentAuthority', ['approve', 'reject']);

    const returned = await openAndSubmit(step3.approvalId, { decision: 'return', comment: 'Fix it' });
    const rejected = await openAndSubmit(step3.approvalId, { decision: 'reject' });

    expect(returned.statusCode).toBe(422);
    expect(rejected.statusCode).toBe(422);
    expect(rejected.body).toContain('Give the reason for rejecting.');
    expect((await approvalItem(step3.approvalId))?.status).toBe('pending');
    expect(sfn.calls).toHaveLength(0);
  });

  it('answers 404 to a forged id and 415 to a body that is not a form', async () => {
    const forged = await post(forgedId(), { nonce: 'x', decision: 'approve' });
    const { approvalId } = await issue(12, 'centralCommittee', ['approve', 'reject']);
    const json = await call(
      apiEvent({
        method: 'POST',
        path: `/approvals/${approvalId}`,
        pathParameters: { approvalId },
        headers: { 'content-type': 'application/json' },
        body: '{"decision":"approve"}',
      }),
    );

    expect(forged.statusCode).toBe(404);
    expect(json.statusCode).toBe(415);
    expect(json.headers['Content-Type']).toMatch(/^text\/html/);
    expect((await approvalItem(approvalId))?.status).toBe('pending');
  });

  // Decision (issue 7): the shared chain's size limit answers 413 Content Too Large (RFC 9110 §15.5.14);
  // the approvals' own parser answered 415 to an oversized form, which said the wrong thing.
  it('answers a form over 32 KB with a 413 page and changes nothing', async () => {
    const { approvalId } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);
    const nonce = nonceOf((await request('GET', approvalId)).body);
    const before = await tableState();

    const response = await post(approvalId, { nonce, decision: 'return', comment: 'x'.repeat(33 * 1024) });

    expect(response.statusCode).toBe(413);
    expect(response.headers['Content-Type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Nothing was recorded.');
    expect(await tableState()).toBe(before);
    expect(sfn.calls).toHaveLength(0);
  });

  // Decision (issue 7): an empty form POST is a 400 naming the missing field, `decision` (it was a 403 for
  // the missing nonce, which sent the person to reload a page that was fine); nothing changes.
  it('answers an empty form with a 400 page naming the decision, to a program a problem naming it', async () => {
    const { approvalId } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);
    const before = await tableState();

    const page = await post(approvalId, {});
    const program = await post(approvalId, {}, { accept: 'application/json' });

    expect(page.statusCode).toBe(400);
    expect(page.headers['Content-Type']).toMatch(/^text\/html/);
    expect(page.body).toContain('decision: Choose a decision.');
    expect(program.statusCode).toBe(400);
    expect(JSON.parse(program.body)).toMatchObject({
      status: 400,
      errors: [{ field: 'decision', message: 'Choose a decision.' }],
    });
    expect(await tableState()).toBe(before);
    expect(sfn.calls).toHaveLength(0);
  });

  it('answers a bug with a 500 page that carries the request id and nothing of the error', async () => {
    const { approvalId } = await issue(9, 'degsTechnical', ['approve']);
    // A record no code writes: its step does not exist, so rendering its page fails.
    await db.client.send(
      new UpdateCommand({
        TableName: db.tables.approvals,
        Key: { pk: `APPROVAL#${hashApprovalId(approvalId)}`, sk: 'APPROVAL' },
        UpdateExpression: 'SET step = :step',
        ExpressionAttributeValues: { ':step': 99 },
      }),
    );

    const response = await call(
      apiEvent({
        path: `/approvals/${approvalId}`,
        resource: '/approvals/{approvalId}',
        pathParameters: { approvalId },
        requestId: 'req-bug-1',
      }),
    );

    expect(response.statusCode).toBe(500);
    expect(response.headers['Content-Type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Something went wrong');
    expect(response.body).toContain('req-bug-1');
    expect(response.body).not.toMatch(/Error:|\.ts:\d+|step 99/i);
  });

  it('answers 410 on an expired link, to GET and POST, without resuming anything', async () => {
    const { approvalId } = await issue(9, 'degsTechnical', ['approve']);
    const nonce = nonceOf((await request('GET', approvalId)).body);
    const past = new Date(Date.now() - 60_000);
    await db.client.send(
      new UpdateCommand({
        TableName: db.tables.approvals,
        Key: { pk: `APPROVAL#${hashApprovalId(approvalId)}`, sk: 'APPROVAL' },
        UpdateExpression: 'SET expiresAt = :iso, expiresAtEpoch = :epoch',
        ExpressionAttributeValues: {
          ':iso': past.toISOString(),
          ':epoch': Math.floor(past.getTime() / 1000),
        },
      }),
    );

    const get = await request('GET', approvalId);
    const submitted = await post(approvalId, { nonce, decision: 'approve' });

    expect(get.statusCode).toBe(410);
    expect(submitted.statusCode).toBe(410);
    expect(submitted.body).toContain('This link has expired');
    expect((await approvalItem(approvalId))?.status).toBe('pending');
    expect(sfn.calls).toHaveLength(0);
  });

  it('keeps a decision that arrives after the task timed out, answers 410 and expires the link', async () => {
    const { approvalId } = await issue(10, 'etaalNodalContact', ['approve', 'reject']);
    sfn.script({ kind: 'error', type: 'TaskTimedOut', status: 400 });

    const response = await openAndSubmit(approvalId, { decision: 'approve' });

    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('a reminder with a fresh link has been sent');
    expect(await approvalItem(approvalId)).toMatchObject({
      status: 'expired',
      closedReason: 'task-closed',
      decision: { decision: 'approve', role: 'etaalNodalContact' },
    });
    expect((await request('GET', approvalId)).statusCode).toBe(410);
  });

  it('lets the approver resubmit after a transient failure, resuming once with the recorded decision', async () => {
    const { approvalId } = await issue(12, 'centralCommittee', ['approve', 'reject']);
    const unavailable = { kind: 'error', type: 'ServiceUnavailable', status: 503 } as const;
    sfn.script(unavailable, unavailable, unavailable, unavailable, unavailable);
    const nonce = nonceOf((await request('GET', approvalId)).body);

    const failed = await post(approvalId, { nonce, decision: 'approve', comment: 'Good to go' });
    const pageAfterFailure = await request('GET', approvalId);
    sfn.script();
    const succeededBefore = sfn.callsOf('SendTaskSuccess').length;
    const retried = await post(approvalId, {
      nonce,
      decision: 'reject',
      comment: 'ignored: already recorded',
    });

    expect(failed.statusCode).toBe(503);
    expect(failed.body).toContain('Submit again');
    expect(pageAfterFailure.statusCode).toBe(200);
    expect(pageAfterFailure.body).toContain('Submit again');
    expect(retried.statusCode).toBe(200);
    const lastSend = sfn.callsOf('SendTaskSuccess').slice(succeededBefore);
    expect(lastSend).toHaveLength(1);
    expect(JSON.parse(String(lastSend[0]?.body.output))).toMatchObject({
      decision: 'approve',
      comment: 'Good to go',
    });
    const audited = (await auditEntries('approval.decided')).filter(
      (entry) => entry.detail.approvalRef === hashApprovalId(approvalId),
    );
    expect(audited).toHaveLength(1);
    expect((await post(approvalId, { nonce, decision: 'approve' })).statusCode).toBe(409);
  });

  it('answers JSON to a client that asks for it', async () => {
    const { approvalId } = await issue(12, 'centralCommittee', ['approve', 'reject']);
    const accept = { accept: 'application/json' };

    const first = await openAndSubmit(approvalId, { decision: 'approve' }, accept);
    const repeat = await post(approvalId, { nonce: 'stale', decision: 'approve' }, accept);

    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ decision: 'approve', role: 'centralCommittee' });
    expect(repeat.statusCode).toBe(409);
    expect(repeat.headers['Content-Type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(repeat.body)).toMatchObject({ status: 409, decided: { decision: 'approve' } });
  });

  it('never shows the task token or logs it or the link id, whatever it answers', async () => {
    const { approvalId, taskToken } = await issue(4, 'etaalNodalContact', ['approve', 'return', 'reject']);
    logLines.length = 0;
    const responses = [
      await request('GET', approvalId),
      await request('HEAD', approvalId),
      await openAndSubmit(approvalId, { decision: 'return' }),
      await openAndSubmit(approvalId, { decision: 'reject', comment: 'Not a GNCTD service' }),
      await request('GET', approvalId),
      await post(approvalId, { nonce: 'x', decision: 'approve' }),
    ];
    for (const response of responses) {
      expect(JSON.stringify(response)).not.toContain(taskToken);
    }
    expect(logLines.join('')).toContain('Decision passed on');
    expect(logLines.join('')).not.toContain(taskToken);
    expect(logLines.join('')).not.toContain(approvalId);
  });
});

describe('the delegation form and the signed upload of a link, on the shared chain', () => {
  const send = (
    route: 'delegate' | 'signed-pdf',
    approvalId: string,
    body: string | Buffer,
    contentType: string,
  ) =>
    (route === 'delegate' ? delegationHandler : documentsHandler)(
      apiEvent({
        method: 'POST',
        path: `/approvals/${approvalId}/${route}`,
        resource: `/approvals/{approvalId}/${route}`,
        pathParameters: { approvalId },
        headers: { 'content-type': contentType },
        ...(typeof body === 'string' ? { body } : { body: body.toString('base64'), isBase64Encoded: true }),
      }),
      lambdaContext('Approvals'),
    ) as Promise<HttpResult>;

  it('answers a body that is not a form 415, a forged link 404 and an oversized upload 413, as pages, changing nothing', async () => {
    const { approvalId } = await issue(3, 'competentAuthority', ['approve', 'return']);
    const before = await tableState();

    const delegationJson = await send('delegate', approvalId, '{"to":"x@y.example"}', 'application/json');
    const forgedDelegation = await send(
      'delegate',
      forgedId(),
      'nonce=x',
      'application/x-www-form-urlencoded',
    );
    const image = await send('signed-pdf', approvalId, Buffer.from('GIF89a'), 'image/gif');
    const oversized = await send(
      'signed-pdf',
      approvalId,
      Buffer.alloc(4 * 1024 * 1024 + 17 * 1024),
      'application/pdf',
    );

    expect(delegationJson.statusCode).toBe(415);
    expect(forgedDelegation.statusCode).toBe(404);
    expect(forgedDelegation.body).toContain('Link not found');
    expect(image.statusCode).toBe(415);
    expect(oversized.statusCode).toBe(413);
    for (const response of [delegationJson, forgedDelegation, image, oversized]) {
      expect(response.headers['Content-Type']).toMatch(/^text\/html/);
    }
    expect(await tableState()).toBe(before);
    expect(sfn.calls).toHaveLength(0);
  });
});

describe('committee ballots (personal links)', () => {
  const members = [
    { name: 'Asha Rao', email: 'asha@degs.example' },
    { name: 'Bilal Khan', email: 'bilal@degs.example' },
    { name: 'Chitra Iyer', email: 'chitra@degs.example' },
  ];
  const committee = async (rule: { approvals: number; objections: number }) => {
    const taskToken = `token-${randomBytes(24).toString('hex')}`;
    const { links } = await issueApprovals({
      onboardingId,
      departmentId,
      step: 12,
      role: 'centralCommittee',
      taskToken,
      expiresAt: inOneDay(),
      choices: ['approve', 'reject'],
      approvers: members,
      rule,
    });
    return { taskToken, ids: links.map((link) => link.approvalId) };
  };

  it('resumes the task exactly once when two members complete a quorum at the same moment', async () => {
    const { taskToken, ids } = await committee({ approvals: 2, objections: 1 });
    const [asha, bilal, chitra] = ids as [string, string, string];
    const pages = await Promise.all([request('GET', asha), request('GET', bilal), request('GET', chitra)]);

    const [first, second, third] = await Promise.all([
      post(asha, { nonce: nonceOf(pages[0].body), decision: 'approve' }),
      post(bilal, { nonce: nonceOf(pages[1].body), decision: 'approve' }),
      post(chitra, { nonce: nonceOf(pages[2].body), decision: 'approve' }),
    ]);

    const resumed = sfn.callsOf('SendTaskSuccess');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.body.taskToken).toBe(taskToken);
    const output = JSON.parse(String(resumed[0]?.body.output));
    expect(members).toContainEqual(output.by);
    // One request passed the decision on; the others' votes were counted or came after the outcome, and
    // their pages say who decided (409 to a POST whose link was made moot).
    const answers = [first, second, third];
    expect(
      answers.filter((a) => a.statusCode === 200 && a.body.includes('your decision is recorded')),
    ).toHaveLength(1);
    for (const other of answers.filter((a) => !a.body.includes('your decision is recorded'))) {
      expect(other.body).toMatch(/Already decided by|your vote is recorded/);
      expect(other.body).not.toContain('name="nonce"');
    }
  });

  it('never lets the same person vote twice, and a link made moot shows who decided with no form', async () => {
    const { ids } = await committee({ approvals: 2, objections: 1 });
    const [asha, bilal, chitra] = ids as [string, string, string];
    const voted = await openAndSubmit(asha, { decision: 'approve' });
    expect(voted.body).toContain('1 so far');
    // Asha's link again: her vote is counted, no form, and nothing was passed on.
    const again = await request('GET', asha);
    expect(again.body).not.toContain('name="nonce"');
    expect(sfn.callsOf('SendTaskSuccess')).toHaveLength(0);

    await openAndSubmit(bilal, { decision: 'approve' });
    expect(sfn.callsOf('SendTaskSuccess')).toHaveLength(1);
    const moot = await request('GET', chitra);
    expect(moot.statusCode).toBe(200);
    expect(moot.body).toContain('Already decided by Bilal Khan');
    expect(moot.body).not.toContain('name="nonce"');
  });
});
