import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { countsExamples, EXAMPLE_SERVICE_CODES } from '../../lambdas/counts/examples';
import { ROUTES, type RouteSpec } from '../../lambdas/functions';
import { onboardingExamples } from '../../lambdas/onboarding/examples';
import { GUESSING_LIMIT } from '../../lambdas/shared/guessing-limit';
import { problemTypeUri } from '../../lambdas/shared/problem-types';
import { PER_IP_RATE_LIMITS, routeBudget } from '../../lib/edge-limits';
import { requestFrom } from '../abuse/support';
import { putServiceCode } from '../counts/support';
import { approvalLink, decide } from '../e2e/onboarding-support';
import { eventually, withLocalSystem } from '../support/local-system';
import { ContractChecker } from './openapi-contract';

/**
 * The contract test: real requests to the local system (`npm start`'s), every answer validated against
 * the OpenAPI document the system serves, and every documented answer (status and problem type of each
 * operation) exercised, except the few that need a failing dependency or a race, listed with why.
 * The requests are the reference's own examples (lambdas/<domain>/examples.ts).
 */
const RATE_LIMIT = 40;
/** Low onboarding quotas, so the test reaches both with the onboardings it starts anyway. */
const MAX_OPEN_ONBOARDINGS = 2;
const ONBOARDINGS_PER_HOUR = 3;
const local = withLocalSystem({
  env: {
    COUNTS_REQUESTS_PER_MINUTE: String(RATE_LIMIT),
    MAX_OPEN_ONBOARDINGS: String(MAX_OPEN_ONBOARDINGS),
    ONBOARDINGS_PER_HOUR: String(ONBOARDINGS_PER_HOUR),
  },
});

/** Documented answers no request over HTTP can provoke on a healthy local system. */
const NOT_PROVOKED: Readonly<Record<string, string>> = {
  '500 internal-error': 'a bug; shared/http.test.ts checks the shape of the 500 problem',
  '503 service-unavailable':
    'a dependency down or throttling; test/counts/throttling.test.ts and test/onboarding/api.test.ts provoke it',
  'pushCounts 409 idempotency-in-progress':
    'a race of two identical requests; test/counts/push.test.ts covers it',
  'submitTemplates 409 concurrent-submission': 'a race; test/onboarding/api.test.ts covers it',
  'submitTemplates 409 wait-expired':
    'a workflow timeout at the same moment; test/onboarding/api.test.ts covers it',
  'getSignedTemplateDocument 200 -':
    'a copy signed with a Class 3 DSC and verified at step 3; test/e2e/signature.test.ts signs, uploads and downloads it',
  'eTransactionCountGet 500 -':
    'a failure on our side (the counts store unavailable); a healthy local system answers every GET',
  '503 dependency-unavailable':
    'a dependency that does not answer; test/abuse/stalled-dependency.test.ts stalls DynamoDB under every route and checks each 503 against this document',
  '503 -':
    "the connector's XML answer to a store that does not answer; test/abuse/stalled-dependency.test.ts provokes and checks it",
  '403 forbidden':
    "AWS WAF's managed rule groups and the connector's address allow-list, which local mode does not emulate; test/cdk/app.test.ts checks the WAF's answer",
  '429 api-throttled':
    "API Gateway's per-method throttling, which local mode does not emulate (it applies the WAF's per-IP rules); test/cdk/app.test.ts checks the gateway response",
};

/** A concrete path of a documented path template (the answers it is used for do not depend on it). */
const samplePath = (template: string): string =>
  template
    .replace('{onboardingId}', '0f8fad5b-d9cb-469f-a165-70867728950e')
    .replace('{version}', '1')
    .replace('{slug}', 'invalid-counts');

function routeSpecOf(method: string, template: string): RouteSpec {
  const route = ROUTES.find((r) => r.method === method && r.path === template);
  if (!route) throw new Error(`${method} ${template} is not a route`);
  return route;
}
const routeOf = (method: string, template: string) => routeSpecOf(method, template).auth;

const notProvoked = (answer: string) =>
  Object.keys(NOT_PROVOKED).some((key) => answer === key || answer.endsWith(` ${key}`));

let contract: ContractChecker;
const dept = { apiKey: '', other: '' };

async function call(
  method: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; text: string; bytes: Uint8Array; headers: Headers }> {
  const response = await local.api(path, { ...init, method, redirect: 'manual' });
  const headers = response.headers;
  const status = response.status;
  const { text, bytes } = await contract.checkBytes(method, path, response);
  return { status, text, bytes, headers };
}

const key = (apiKey = dept.apiKey) => ({ 'x-api-key': apiKey });
const jsonHeaders = (apiKey = dept.apiKey) => ({ ...key(apiKey), 'content-type': 'application/json' });

beforeAll(async () => {
  const document = await (await local.api('/v1/openapi.json')).json();
  contract = new ContractChecker(document as ConstructorParameters<typeof ContractChecker>[0]);
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const created = await createDepartment({ code: 'HLTH', name: 'Health' });
  const health = created.department;
  dept.apiKey = created.apiKey;
  dept.other = (await createDepartment({ code: 'TRPT', name: 'Transport' })).apiKey;
  const db = { client: local.dynamo(), tables: local.system.tables };
  for (const [serviceCode, status] of [
    [EXAMPLE_SERVICE_CODES.live, 'live'],
    [EXAMPLE_SERVICE_CODES.testing, 'testing'],
    ['DL-HLTH-0003', 'issued'],
    ['DL-HLTH-0004', 'retired'],
  ] as const) {
    await putServiceCode(db, {
      serviceCode,
      status,
      departmentId: health.departmentId,
      onboardingId: `onb-${serviceCode}`,
    });
  }
});

describe('the API answers as its OpenAPI document says', () => {
  it('serves the reference: the document, the page with its own viewer, and problem types that lead to it', async () => {
    const page = await call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<redoc spec-url="v1/openapi.json"');
    expect(page.text).not.toMatch(/https?:\/\//);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const script = await call('GET', '/docs/redoc.standalone.js');
    expect(script.status).toBe(200);
    expect(script.text.length).toBeGreaterThan(100_000);
    expect((await call('GET', '/v1/openapi.json')).status).toBe(200);
    const problem = await call('GET', '/docs/problems/invalid-counts');
    expect(problem.status).toBe(302);
    expect(problem.headers.get('location')).toBe(
      `${local.system.apiUrl}/docs#section/Problem-types/invalid-counts`,
    );
    expect((await call('GET', '/docs/problems/no-such-type')).status).toBe(404);
    // A problem's type is that very URL: following it leads to the explanation.
    const refused = await call('GET', '/v1/integration');
    const type = JSON.parse(refused.text).type as string;
    expect(type).toBe(`${local.system.apiUrl}/docs/problems/missing-api-key`);
    const followed = await fetch(type, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(
      `${local.system.apiUrl}/docs#section/Problem-types/missing-api-key`,
    );
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('counts: the documented examples work, in JSON and CSV, and every documented error comes back as documented', async () => {
    const { docContext } = await import('../../lambdas/docs/openapi-document');
    const examples = countsExamples(docContext(new Date()).yesterday);
    const pushed = await call('PUT', '/v1/counts', {
      headers: jsonHeaders(),
      body: JSON.stringify(examples.push),
    });
    expect(pushed.status).toBe(200);
    expect(JSON.parse(pushed.text)).toEqual(examples.pushResult);
    const csv = await call('PUT', '/v1/counts', {
      headers: { ...key(), 'content-type': 'text/csv' },
      body: examples.csv,
    });
    expect(JSON.parse(csv.text)).toMatchObject({ accepted: 3, written: 3 });
    const csvOnce = { ...key(), 'content-type': 'text/csv', 'idempotency-key': 'csv-1' };
    const first = await call('PUT', '/v1/counts', { headers: csvOnce, body: examples.csv });
    const replayed = await call('PUT', '/v1/counts', { headers: csvOnce, body: examples.csv });
    expect(replayed.text).toBe(first.text);
    const read = await call(
      'GET',
      `/v1/counts?serviceCode=${EXAMPLE_SERVICE_CODES.live}&from=${examples.push.counts[0]?.date}&to=${examples.push.counts[0]?.date}`,
      { headers: key() },
    );
    expect(JSON.parse(read.text).counts.map((c: { count: number }) => c.count)).toEqual(
      examples.page.counts.map((c) => c.count),
    );

    const put = (body: string, headers: Record<string, string> = jsonHeaders()) =>
      call('PUT', '/v1/counts', { headers, body });
    expect((await put(JSON.stringify(examples.push), { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    expect((await put(JSON.stringify(examples.push), jsonHeaders('not-a-key'))).status).toBe(401);
    expect((await put('')).status).toBe(400);
    expect((await put('{"counts": [')).status).toBe(400);
    expect(
      (await put(JSON.stringify(examples.push), { ...jsonHeaders(), 'idempotency-key': 'has space' })).status,
    ).toBe(400);
    expect((await put(JSON.stringify({ counts: 'x'.repeat(300 * 1024) }))).status).toBe(413);
    expect((await put('counts', { ...key(), 'content-type': 'text/plain' })).status).toBe(415);
    const invalid = await put(
      JSON.stringify({ counts: [{ serviceCode: 'DL-HLTH-0001', date: 'yesterday', count: -1 }] }),
    );
    expect(invalid.status).toBe(422);
    const badCsv = await put('serviceCode,date,count\r\nDL-HLTH-0001,2020-01-01,ten\r\n', {
      ...key(),
      'content-type': 'text/csv',
    });
    expect(JSON.parse(badCsv.text).errors).toEqual([
      expect.objectContaining({ field: 'row 2, column date', index: 0 }),
      expect.objectContaining({ field: 'row 2, column count', index: 0 }),
    ]);
    const idempotent = { ...jsonHeaders(), 'idempotency-key': 'contract-1' };
    expect((await put(JSON.stringify(examples.push), idempotent)).status).toBe(200);
    const reused = await put(
      JSON.stringify({ counts: [{ ...examples.push.counts[0], count: 1 }] }),
      idempotent,
    );
    expect(reused.status).toBe(422);
    const notYet = await put(
      JSON.stringify({
        counts: [{ serviceCode: 'DL-HLTH-0003', date: examples.push.counts[0]?.date, count: 1 }],
      }),
    );
    expect(notYet.status).toBe(409);
    const retired = await put(
      JSON.stringify({
        counts: [{ serviceCode: 'DL-HLTH-0004', date: examples.push.counts[0]?.date, count: 1 }],
      }),
    );
    expect(retired.status).toBe(409);

    const get = (query: string, apiKey = dept.apiKey) =>
      call('GET', `/v1/counts?${query}`, { headers: key(apiKey) });
    expect((await call('GET', '/v1/counts?serviceCode=x&from=2026-01-01&to=2026-01-01')).status).toBe(401);
    expect((await get('serviceCode=x&from=2026-01-01&to=2026-01-01', 'wrong')).status).toBe(401);
    expect((await get('serviceCode=DL-HLTH-0001&from=2026-02-30&to=2026-01-01')).status).toBe(422);
    expect((await get('serviceCode=DL-HLTH-0001&from=2026-01-01&to=2026-01-01', dept.other)).status).toBe(
      404,
    );
    // The other department floods its own per-minute budget: first GET, then PUT are refused with Retry-After.
    let limited = 0;
    // Twice the limit: a minute that turns during the loop starts a new window, which then fills too.
    for (let i = 0; i < 2 * RATE_LIMIT && limited === 0; i++) {
      const answer = await get('serviceCode=DL-TRPT-0001&from=2026-01-01&to=2026-01-01', dept.other);
      if (answer.status === 429) {
        limited++;
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      }
    }
    const floodedPut = await put(JSON.stringify(examples.push), jsonHeaders(dept.other));
    expect(floodedPut.status).toBe(429);
    expect((await get('serviceCode=DL-TRPT-0001&from=2026-01-01&to=2026-01-01', dept.other)).status).toBe(
      429,
    );
  });

  it('onboarding: the documented examples work, and every documented error comes back as documented', async () => {
    const examples = onboardingExamples();
    const post = (body: string, headers: Record<string, string> = jsonHeaders()) =>
      call('POST', '/v1/onboardings', { headers, body });
    const created = await post(JSON.stringify(examples.create));
    expect(created.status).toBe(201);
    const onboardingId = JSON.parse(created.text).onboardingId as string;
    expect((await post(JSON.stringify(examples.create), { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    expect((await post(JSON.stringify(examples.create), jsonHeaders('wrong'))).status).toBe(401);
    expect((await post('')).status).toBe(400);
    expect((await post('{')).status).toBe(400);
    expect(
      (await post(JSON.stringify(examples.create), { ...jsonHeaders(), 'idempotency-key': 'two words' }))
        .status,
    ).toBe(400);
    expect(
      (await post(JSON.stringify(examples.create), { ...key(), 'content-type': 'text/plain' })).status,
    ).toBe(415);
    expect((await post(`"${'x'.repeat(300 * 1024)}"`)).status).toBe(413);
    expect((await post(JSON.stringify({ ...examples.create, services: [] }))).status).toBe(422);
    const keyed = { ...jsonHeaders(), 'idempotency-key': 'contract-onboarding' };
    expect((await post(JSON.stringify(examples.create), keyed)).status).toBe(201);
    const otherBody = { ...examples.create, services: [{ serviceName: 'Another service' }] };
    expect((await post(JSON.stringify(otherBody), keyed)).status).toBe(409);

    expect((await call('GET', '/v1/onboardings', { headers: key() })).status).toBe(200);
    expect((await call('GET', '/v1/onboardings')).status).toBe(401);
    expect((await call('GET', '/v1/onboardings', { headers: key('wrong') })).status).toBe(401);
    expect((await call('GET', '/v1/onboardings?limit=0', { headers: key() })).status).toBe(422);
    expect((await call('GET', `/v1/onboardings/${onboardingId}`, { headers: key() })).status).toBe(200);
    expect(
      (await call('GET', `/v1/onboardings/${onboardingId}?include=templates`, { headers: key() })).status,
    ).toBe(200);
    expect(
      (await call('GET', `/v1/onboardings/${onboardingId}?include=everything`, { headers: key() })).status,
    ).toBe(422);
    expect((await call('GET', `/v1/onboardings/${onboardingId}`)).status).toBe(401);
    expect((await call('GET', `/v1/onboardings/${onboardingId}`, { headers: key('wrong') })).status).toBe(
      401,
    );
    expect((await call('GET', `/v1/onboardings/${onboardingId}`, { headers: key(dept.other) })).status).toBe(
      404,
    );

    const templates = `/v1/onboardings/${onboardingId}/templates`;
    const submit = (body: string, headers: Record<string, string> = jsonHeaders()) =>
      call('PUT', templates, { headers, body });
    expect(
      (await submit(JSON.stringify(examples.templates), { 'content-type': 'application/json' })).status,
    ).toBe(401);
    expect((await submit(JSON.stringify(examples.templates), jsonHeaders('wrong'))).status).toBe(401);
    expect((await submit('')).status).toBe(400);
    expect((await submit('{')).status).toBe(400);
    expect((await submit('x', { ...key(), 'content-type': 'text/plain' })).status).toBe(415);
    expect((await submit(`"${'x'.repeat(3 * 1024 * 1024 + 1)}"`)).status).toBe(413);
    expect((await submit(JSON.stringify(examples.templates), jsonHeaders(dept.other))).status).toBe(404);
    // The workflow takes templates once its step-2 email is out (step 3): 409 until then; then an invalid
    // submission is 422 (and changes nothing) and the example is accepted.
    const invalidTemplates = { services: [{ ...examples.templates.services[0], category: 'B2B' }] };
    await eventually(
      'the templates wait (step 3)',
      async () => ((await submit(JSON.stringify(invalidTemplates))).status === 422 ? true : undefined),
      20_000,
    );
    const accepted = await submit(JSON.stringify(examples.templates));
    expect(accepted.status).toBe(202);
    expect(JSON.parse(accepted.text)).toMatchObject({ onboardingId, services: 2 });
    const { document } = JSON.parse(accepted.text) as { document: { url: string; sha256: string } };
    expect(document.url).toBe(`${templates}/1/document.pdf`);
    const pdf = await call('GET', document.url, { headers: key() });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('x-document-sha256')).toBe(document.sha256);
    expect(createHash('sha256').update(pdf.bytes).digest('hex')).toBe(document.sha256);
    const followed = JSON.parse(
      (await call('GET', `/v1/onboardings/${onboardingId}`, { headers: key() })).text,
    );
    expect(followed.document).toMatchObject({
      templatesVersion: 1,
      url: document.url,
      sha256: document.sha256,
    });
    expect(followed.document.signed).toBeUndefined();
    for (const file of ['document.pdf', 'signed.pdf']) {
      const url = `${templates}/1/${file}`;
      expect((await call('GET', url)).status).toBe(401);
      expect((await call('GET', url, { headers: key('wrong') })).status).toBe(401);
      expect((await call('GET', url, { headers: key(dept.other) })).status).toBe(404);
      expect((await call('GET', `${templates}/2/${file}`, { headers: key() })).status).toBe(404);
      expect((await call('GET', `${templates}/first/${file}`, { headers: key() })).status).toBe(404);
    }
    // Not signed yet: the competent authority has not uploaded a signed copy.
    expect((await call('GET', `${templates}/1/signed.pdf`, { headers: key() })).status).toBe(404);
    // Until the competent authority decides, a new version replaces the one awaiting them; once they
    // decided, templates are not taken (409, naming the state and what to do next).
    const replaced = await submit(JSON.stringify(examples.templates));
    expect(replaced.status).toBe(202);
    expect(JSON.parse(replaced.text)).toMatchObject({ templatesVersion: 2 });
    const hodEmail = examples.create.competentAuthority.email;
    const hodMail = await eventually(
      'the HoD link for version 2',
      async () =>
        (await local.emails()).filter(
          (e) => e.to.includes(hodEmail) && e.subject.includes('Step 3 of 12'),
        )[1],
      20_000,
    );
    await decide(approvalLink(hodMail), 'approve');
    const refused = await eventually(
      'templates refused once the HoD decided',
      async () => {
        const r = await submit(JSON.stringify(examples.templates));
        return r.status === 409 ? r : undefined;
      },
      20_000,
    );
    expect(JSON.parse(refused.text)).toMatchObject({
      state: { templatesVersion: 2 },
      nextAction: expect.any(String),
    });
    expect((await submit(JSON.stringify({ services: [] }))).status).toBe(409);

    // Two onboardings are open (MAX_OPEN_ONBOARDINGS), three started this hour (ONBOARDINGS_PER_HOUR): a
    // new one is refused for the open quota, the next one for the hourly rate.
    const another = (name: string) =>
      post(JSON.stringify({ ...examples.create, services: [{ serviceName: name }] }));
    const full = await another('A third service');
    expect(full.status).toBe(429);
    expect(JSON.parse(full.text).type).toBe(problemTypeUri('open-onboardings-quota', local.system.apiUrl));
    // Each attempt takes one of the hour's allowance (an hour that turns meanwhile starts a new one).
    const rateLimited = problemTypeUri('onboarding-rate-limit', local.system.apiUrl);
    let tooFast = await another('A fourth service');
    for (let i = 0; i < ONBOARDINGS_PER_HOUR && !tooFast.text.includes(rateLimited); i++) {
      tooFast = await another('A fourth service');
    }
    expect(tooFast.status).toBe(429);
    expect(JSON.parse(tooFast.text).type).toBe(rateLimited);
    expect(tooFast.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('the integration kit and the connector answer as documented', async () => {
    const kit = await call('GET', '/v1/integration', { headers: key() });
    expect(kit.status).toBe(200);
    const body = JSON.parse(kit.text);
    expect(body.services.map((s: { serviceCode: string }) => s.serviceCode)).toContain(
      EXAMPLE_SERVICE_CODES.live,
    );
    expect(body.sections.flatMap((s: { commands?: string[] }) => s.commands ?? []).join('\n')).toContain(
      `${local.system.apiUrl}/v1/counts`,
    );
    const page = await call('GET', '/v1/integration', { headers: { ...key(), accept: 'text/html' } });
    expect(page.text).toContain('Invoke-RestMethod');
    expect((await call('GET', '/v1/integration')).status).toBe(401);
    expect((await call('GET', '/v1/integration', { headers: key('wrong') })).status).toBe(401);

    const connector = '/etaal/e-transaction-count';
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const answer = await call('POST', connector, {
      headers: form,
      body: 'TransactionDate=01/01/2026&UserName=nobody&Password=wrong',
    });
    expect(answer.text).toContain('<ServiceCount>-2</ServiceCount>');
    // Refusals are XML for NIC's poller, never a JSON problem.
    const empty = await call('POST', connector, { headers: form, body: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<Error><Status>400</Status>');
    const large = await call('POST', connector, { headers: form, body: `a=${'x'.repeat(5000)}` });
    expect(large.status).toBe(413);
    expect(large.text).toContain('<Error><Status>413</Status>');
    const plain = await call('POST', connector, { headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(plain.status).toBe(415);
    expect(plain.text).toContain('<Error><Status>415</Status>');

    const { SOAP_ACTION } = await import('../../lambdas/connector/soap');
    const soapHeaders = { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${SOAP_ACTION}"` };
    const reference = (await call('GET', '/v1/openapi.json')).text;
    const soapExample = JSON.parse(reference).paths[connector].post.requestBody.content['text/xml'].examples
      .soap.value as string;
    const soap = await call('POST', connector, { headers: soapHeaders, body: soapExample });
    expect(soap.status).toBe(200);
    expect(soap.text).toContain('<soap:Envelope');
    expect(soap.text).toContain('<ServiceCount>-2</ServiceCount>');
    const fault = await call('POST', connector, { headers: soapHeaders, body: 'not an envelope' });
    expect(fault.status).toBe(500);
    expect(fault.text).toContain('<faultcode>soap:Client</faultcode>');

    expect((await call('GET', `${connector}?TransactionDate=01/01/2026`)).status).toBe(200);
    const wsdl = await call('GET', `${connector}?wsdl`);
    expect(wsdl.status).toBe(200);
    expect(wsdl.text).toContain(`soapAction="${SOAP_ACTION}"`);
    // URL credentials are off unless the deployment enables them: the query's are not read.
    const inUrl = await call('GET', `${connector}?TransactionDate=01/01/2026&UserName=nic&Password=secret`);
    expect(inUrl.text).toContain('<ServiceCount>-2</ServiceCount>');
  });

  it('onboarding people: a new HoD or nodal officer as documented, and every documented error', async () => {
    // The earlier blocks' deliberate 401s must not lock this address out before its own (guessing limit).
    const { ScanCommand, DeleteCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { Items = [] } = await local
      .dynamo()
      .send(new ScanCommand({ TableName: local.system.tables.limits }));
    for (const item of Items.filter((i) => String(i.pk).startsWith('GUESS#'))) {
      await local
        .dynamo()
        .send(
          new DeleteCommand({ TableName: local.system.tables.limits, Key: { pk: item.pk, sk: item.sk } }),
        );
    }
    const examples = onboardingExamples();
    // Another department's onboarding: the first one's quotas were used up above on purpose.
    const created = await call('POST', '/v1/onboardings', {
      headers: { ...jsonHeaders(dept.other), 'idempotency-key': 'contract-people' },
      body: JSON.stringify({ ...examples.create, services: [{ serviceName: 'Birth certificate copies' }] }),
    });
    expect(created.status).toBe(201);
    const onboardingId = JSON.parse(created.text).onboardingId as string;
    const path = `/v1/onboardings/${onboardingId}/people/competent-authority`;
    const put = (body: string, headers: Record<string, string> = jsonHeaders(dept.other), to = path) =>
      call('PUT', to, { headers, body });
    const hod = {
      name: 'S. K. Mehra',
      designation: 'Secretary (Revenue)',
      email: 'secy.revenue@rev.example',
    };

    expect((await put(JSON.stringify(hod))).status).toBe(200);
    expect((await put(JSON.stringify(hod), { 'content-type': 'application/json' })).status).toBe(401);
    expect((await put(JSON.stringify(hod), jsonHeaders('wrong'))).status).toBe(401);
    expect((await put('')).status).toBe(400);
    expect((await put('{')).status).toBe(400);
    expect(
      (await put(JSON.stringify(hod), { ...key(dept.other), 'content-type': 'text/plain' })).status,
    ).toBe(415);
    expect((await put(`"${'x'.repeat(300 * 1024)}"`)).status).toBe(413);
    expect((await put(JSON.stringify({ ...hod, email: examples.create.nodalOfficer.email }))).status).toBe(
      422,
    );
    expect((await put(JSON.stringify(hod), jsonHeaders())).status).toBe(404);
    await local.dynamo().send(
      new UpdateCommand({
        TableName: local.system.tables.onboardings,
        Key: { pk: `ONB#${onboardingId}`, sk: 'META' },
        UpdateExpression: 'SET #status = :rejected',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':rejected': 'REJECTED' },
      }),
    );
    expect((await put(JSON.stringify(hod))).status).toBe(409);
  });

  it('refuses a source address that keeps sending wrong API keys, on every operation that takes a key', async () => {
    const guesser = '127.0.0.21';
    const blockedType = problemTypeUri('too-many-failed-attempts', local.system.apiUrl);
    // Fails the limit's worth of keys; the failures are counted in fixed windows, so a window that turns
    // before an operation is asked is failed again.
    const guessWrong = async () => {
      for (let i = 0; i < GUESSING_LIMIT.failures; i++) {
        const wrong = await requestFrom(guesser, `${local.system.apiUrl}/v1/integration`, {
          headers: key('etd_wrong'),
        });
        expect([401, 429]).toContain(wrong.status);
      }
    };
    await guessWrong();
    const keyed = contract
      .operations()
      .filter(({ template, method }) => routeOf(method, template) === 'apiKey');
    expect(keyed.length).toBeGreaterThan(5);
    for (const { method, template } of keyed) {
      const path = samplePath(template);
      const ask = () => requestFrom(guesser, `${local.system.apiUrl}${path}`, { method, headers: key() });
      let answer = await ask();
      if (!answer.body.includes(blockedType)) {
        await guessWrong();
        answer = await ask();
      }
      expect(answer.status, `${method} ${path}`).toBe(429);
      expect(JSON.parse(answer.body).type).toBe(blockedType);
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
      await contract.checkRaw(method, path, answer);
    }
  });

  it("refuses an address over the edge's per-IP limit (the WAF's rules, applied by local mode) on every operation", async () => {
    for (const [index, rule] of PER_IP_RATE_LIMITS.entries()) {
      const flooder = `127.0.0.${31 + index}`;
      const operations = contract
        .operations()
        .filter(({ method, template }) => rule.budgets.includes(routeBudget(routeSpecOf(method, template))));
      if (operations.length === 0) continue;
      // The cheapest operation of the budget to flood (never the 1 MB viewer script).
      const first =
        operations.find((o) => o.template === '/health') ??
        operations.find((o) => o.method === 'GET' && !o.template.endsWith('.js'));
      if (!first) throw new Error(`${rule.name}: no GET operation to flood`);
      const edgeType = problemTypeUri('address-rate-limit', local.system.apiUrl);
      // Uses up the address's window, then asks each operation; a window that rolls over in between is
      // used up again (the limiter counts fixed minutes). With a wrong key: after a few, the department
      // routes refuse the address before reading the key store (the guessing limit), which keeps the
      // flood cheap; public routes and the connector ignore the header.
      const exhaust = async () => {
        for (let sent = 0; sent <= rule.limit + 100; sent += 50) {
          const answers = await Promise.all(
            Array.from({ length: 50 }, () =>
              requestFrom(flooder, `${local.system.apiUrl}${samplePath(first.template)}`, {
                method: first.method,
                headers: key('etd_wrong'),
              }),
            ),
          );
          if (answers.some((a) => a.status === 429 && a.body.includes(edgeType))) return;
        }
        throw new Error(`${rule.name} never refused ${flooder}`);
      };
      await exhaust();
      for (const { method, template } of operations) {
        const path = samplePath(template);
        let answer = await requestFrom(flooder, `${local.system.apiUrl}${path}`, { method, headers: key() });
        if (!answer.body.includes(edgeType)) {
          await exhaust();
          answer = await requestFrom(flooder, `${local.system.apiUrl}${path}`, { method, headers: key() });
        }
        expect(answer.status, `${method} ${path} from ${flooder}`).toBe(429);
        expect(JSON.parse(answer.body).type).toBe(edgeType);
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
        await contract.checkRaw(method, path, answer);
      }
    }
  }, 180_000);

  it('exercised every documented answer (except those only a failing dependency or a race can provoke)', () => {
    const seen = contract.seenAnswers();
    const missing = contract
      .documentedAnswers()
      .filter((answer) => !seen.has(answer) && !notProvoked(answer));
    expect(missing).toEqual([]);
  });
});
