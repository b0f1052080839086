import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDynalite, type TestDynamo } from '../support/dynamo';
import {
  type Answer,
  allCountItems,
  call,
  countsOfCode,
  getEvent,
  type Handler,
  istDay,
  pushHandler,
  putEvent,
  putServiceCode,
} from './support';

const signal = vi.fn(async (_onboardingId: string) => {});

let db: TestDynamo;
let push: Handler;
let list: Handler;
let revKey: string;
let tptKey: string;
let tptDepartmentId: string;

const REV_TEST = 'DL-REV-0001';
const REV_LIVE = 'DL-REV-0002';
const REV_ISSUED = 'DL-REV-0003';
const REV_REJECTED = 'DL-REV-0004';
const TPT_LIVE = 'DL-TPT-0001';

beforeAll(async () => {
  db = await startDynalite({ streams: true });
  db.applyEnv();
  process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  push = await pushHandler({ testCountsArrived: signal });
  ({ handler: list } = (await import('../../lambdas/counts/list')) as { handler: Handler });
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const rev = await createDepartment({ code: 'REV', name: 'Revenue' });
  const tpt = await createDepartment({ code: 'TPT', name: 'Transport' });
  revKey = rev.apiKey;
  tptKey = tpt.apiKey;
  tptDepartmentId = tpt.department.departmentId;
  const revId = rev.department.departmentId;
  await putServiceCode(db, {
    serviceCode: REV_TEST,
    departmentId: revId,
    onboardingId: 'onb-rev-1',
    status: 'testing',
  });
  await putServiceCode(db, {
    serviceCode: REV_LIVE,
    departmentId: revId,
    onboardingId: 'onb-rev-0',
    status: 'live',
  });
  await putServiceCode(db, {
    serviceCode: REV_ISSUED,
    departmentId: revId,
    onboardingId: 'onb-rev-2',
    status: 'issued',
  });
  await putServiceCode(db, {
    serviceCode: REV_REJECTED,
    departmentId: revId,
    onboardingId: 'onb-rev-3',
    status: 'rejected',
  });
  await putServiceCode(db, {
    serviceCode: TPT_LIVE,
    departmentId: tptDepartmentId,
    onboardingId: 'onb-tpt',
    status: 'live',
  });
});

afterAll(async () => {
  delete process.env.COUNTS_REQUESTS_PER_MINUTE;
  await db?.stop();
});

beforeEach(() => {
  signal.mockClear();
});

const pushCounts = (apiKey: string, counts: unknown[], headers?: Record<string, string>) =>
  call(push, putEvent(apiKey, { counts }, headers ? { headers } : {}));

async function storedCount(serviceCode: string, date: string, locationCode = '0') {
  const items = await countsOfCode(db, serviceCode);
  return items.find((i) => i.date === date && i.locationCode === locationCode);
}

describe('PUT /v1/counts', () => {
  it('sets the daily total: a second push replaces it and keeps the previous value visible', async () => {
    const day = istDay(10);
    const first = await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: 5 }]);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ accepted: 1, written: 1, live: 1, test: 0 });

    const second = await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: 7 }]);
    expect(second.json).toMatchObject({ written: 1 });
    const resend = await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: 7 }]);
    expect(resend.json).toMatchObject({ accepted: 1, written: 1 });
    await db.streamsDrained();

    const items = (await countsOfCode(db, REV_LIVE)).filter((i) => i.date === day);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ count: 7, phase: 'live' });

    const read = await call(list, getEvent(revKey, { serviceCode: REV_LIVE, from: day, to: day }));
    expect(read.status).toBe(200);
    // The resend of 7 left no revision: the history holds the one replaced value.
    expect(read.json.counts).toEqual([
      expect.objectContaining({
        date: day,
        count: 7,
        phase: 'live',
        previousCount: 5,
        locationCode: '0',
        history: [expect.objectContaining({ count: 5, phase: 'live' })],
      }),
    ]);
    const [row] = read.json.counts as { updatedAt: string; previousUpdatedAt: string }[];
    expect(row && row.previousUpdatedAt <= row.updatedAt).toBe(true);
  });

  it('stores counts of a testing service as test counts and signals step 8 with its onboarding', async () => {
    const day = istDay(1);
    const answer = await pushCounts(revKey, [
      { serviceCode: REV_TEST, date: day, count: 3, locationCode: 'NORTH' },
      { serviceCode: REV_LIVE, date: day, count: 4 },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ test: 1, live: 1 });
    expect(await storedCount(REV_TEST, day, 'NORTH')).toMatchObject({ count: 3, phase: 'test' });
    expect(await storedCount(REV_LIVE, day)).toMatchObject({ count: 4, phase: 'live' });
    expect(signal.mock.calls).toEqual([['onb-rev-1']]);
  });

  it('lists the test counts received for the step 9 approval page', async () => {
    const { listCountsByServiceCodes } = await import('../../lambdas/counts/queries');
    const day = istDay(6);
    await pushCounts(revKey, [{ serviceCode: REV_TEST, date: day, count: 21, locationCode: 'SOUTH' }]);
    const listed = await listCountsByServiceCodes([REV_TEST, REV_TEST]);
    expect(listed).toContainEqual({
      serviceCode: REV_TEST,
      date: day,
      locationCode: 'SOUTH',
      count: 21,
      phase: 'test',
      updatedAt: expect.any(String),
    });
    expect(new Set(listed.map((c) => `${c.date}/${c.locationCode}`)).size).toBe(listed.length);
  });

  it('does not signal the workflow for live counts only', async () => {
    expect((await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: istDay(2), count: 1 }])).status).toBe(
      200,
    );
    expect(signal).not.toHaveBeenCalled();
  });

  it('answers 503 when the workflow cannot be signalled, and a resend signals it', async () => {
    const day = istDay(3);
    signal.mockRejectedValueOnce(new Error('states unavailable'));
    const failed = await pushCounts(revKey, [{ serviceCode: REV_TEST, date: day, count: 8 }]);
    expect(failed.status).toBe(503);
    expect(failed.headers['Retry-After']).toBe('2');
    const resend = await pushCounts(revKey, [{ serviceCode: REV_TEST, date: day, count: 8 }]);
    expect(resend.json).toMatchObject({ written: 1 });
    expect(signal).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['issued (before the hand-over of step 7)', REV_ISSUED],
    ['rejected', REV_REJECTED],
  ])('refuses counts of a service whose code is %s with 409, storing nothing', async (_, code) => {
    const day = istDay(4);
    const answer = await pushCounts(revKey, [
      { serviceCode: REV_LIVE, date: day, count: 1 },
      { serviceCode: code, date: day, count: 1 },
    ]);
    expect(answer.status).toBe(409);
    expect(answer.headers['Content-Type']).toMatch(/^application\/problem\+json/);
    expect(answer.json.errors).toEqual([
      expect.objectContaining({ index: 1, field: 'counts[1].serviceCode' }),
    ]);
    expect(await storedCount(REV_LIVE, day)).toBeUndefined();
    expect(await countsOfCode(db, code)).toEqual([]);
  });

  it("answers another department's code exactly like an unknown one", async () => {
    const day = istDay(5);
    const foreign = await pushCounts(revKey, [{ serviceCode: TPT_LIVE, date: day, count: 1 }]);
    const unknown = await pushCounts(revKey, [{ serviceCode: 'DL-TPT-0999', date: day, count: 1 }]);
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors).toEqual(unknown.json.errors);
    expect(foreign.json.detail).toEqual(unknown.json.detail);
    expect(await countsOfCode(db, TPT_LIVE)).toEqual([]);
  });

  it('takes up to 1,000 counts in one request', async () => {
    const counts = Array.from({ length: 1000 }, (_, i) => ({
      serviceCode: REV_LIVE,
      date: istDay(20 + (i % 50)),
      locationCode: `L${Math.floor(i / 50)}`,
      count: i,
    }));
    const answer = await pushCounts(revKey, counts);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ accepted: 1000, written: 1000 });
    const items = await countsOfCode(db, REV_LIVE);
    expect(items.filter((i) => String(i.locationCode).startsWith('L'))).toHaveLength(1000);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body without writing again', async () => {
    const day = istDay(30);
    const body = [{ serviceCode: REV_LIVE, date: day, count: 11, locationCode: 'IDEM' }];
    const first = await pushCounts(revKey, body, { 'Idempotency-Key': 'batch-0001' });
    expect(first.json).toMatchObject({ written: 1 });
    // A later push (without the key) changes the total; replaying the keyed request must not undo it.
    await pushCounts(revKey, [{ ...body[0], count: 12 }]);
    const replay = await pushCounts(revKey, body, { 'Idempotency-Key': 'batch-0001' });
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual(first.json);
    expect(await storedCount(REV_LIVE, day, 'IDEM')).toMatchObject({ count: 12 });
  });

  it('refuses the same key with a different body with 422', async () => {
    const day = istDay(31);
    await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: 1 }], {
      'Idempotency-Key': 'batch-0002',
    });
    const reused = await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: 2 }], {
      'Idempotency-Key': 'batch-0002',
    });
    expect(reused.status).toBe(422);
    expect(reused.json.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await storedCount(REV_LIVE, day)).toMatchObject({ count: 1 });
  });

  it('scopes keys to the department: the same key from another department is its own request', async () => {
    const day = istDay(32);
    await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: 1 }], {
      'Idempotency-Key': 'shared-key',
    });
    const other = await pushCounts(tptKey, [{ serviceCode: TPT_LIVE, date: day, count: 9 }], {
      'Idempotency-Key': 'shared-key',
    });
    expect(other.status).toBe(200);
    expect(await storedCount(TPT_LIVE, day)).toMatchObject({ count: 9 });
  });

  it('does not remember a refused request: the corrected body with the same key goes through', async () => {
    const day = istDay(33);
    const bad = await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: -1 }], {
      'Idempotency-Key': 'batch-0003',
    });
    expect(bad.status).toBe(422);
    const fixed = await pushCounts(revKey, [{ serviceCode: REV_LIVE, date: day, count: 1 }], {
      'Idempotency-Key': 'batch-0003',
    });
    expect(fixed.status).toBe(200);
    expect(await storedCount(REV_LIVE, day)).toMatchObject({ count: 1 });
  });
});

describe('GET /v1/counts', () => {
  it("answers 404 for another department's code and pages through long ranges", async () => {
    const foreign = await call(
      list,
      getEvent(revKey, { serviceCode: TPT_LIVE, from: istDay(40), to: istDay(0) }),
    );
    expect(foreign.status).toBe(404);

    const from = istDay(80);
    const to = istDay(0);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page: Answer = await call(
        list,
        getEvent(revKey, {
          serviceCode: REV_LIVE,
          from,
          to,
          limit: '300',
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      expect(page.status).toBe(200);
      seen.push(
        ...(page.json.counts as { date: string; locationCode: string }[]).map(
          (c) => `${c.date}/${c.locationCode}`,
        ),
      );
      nextToken = page.json.nextToken as string | undefined;
      pages++;
    } while (nextToken);
    const stored = (await countsOfCode(db, REV_LIVE)).map((i) => `${i.date}/${i.locationCode}`);
    expect(new Set(seen)).toEqual(new Set(stored));
    expect(seen).toHaveLength(stored.length);
    expect(pages).toBeGreaterThan(1);

    const inverted = await call(list, getEvent(revKey, { serviceCode: REV_LIVE, from: to, to: from }));
    expect(inverted.status).toBe(422);
    expect(inverted.json.errors).toEqual([expect.objectContaining({ field: 'to' })]);

    const forged = Buffer.from(JSON.stringify({ pk: `CODE#${TPT_LIVE}`, sk: 'DAY#' })).toString('base64url');
    const bad = await call(list, getEvent(revKey, { serviceCode: REV_LIVE, from, to, nextToken: forged }));
    expect(bad.status).toBe(422);
  });
});

describe('per-department throttling', () => {
  it('answers 429 with Retry-After past the per-minute allowance, for that department only', async () => {
    process.env.COUNTS_REQUESTS_PER_MINUTE = '3';
    try {
      const { createDepartment } = await import('../../lambdas/departments/repository');
      const { apiKey } = await createDepartment({ code: 'BUSY', name: 'Busy department' });
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 5; i++) {
        const answer = await call(
          list,
          getEvent(apiKey, { serviceCode: REV_LIVE, from: istDay(1), to: istDay(0) }),
        );
        statuses.push(answer.status);
        retryAfter ??= answer.headers['Retry-After'];
      }
      // Three allowed (404: not its code), then throttled — unless the minute turned in between.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      const calm = await createDepartment({ code: 'CALM', name: 'Calm department' });
      const other = await call(
        list,
        getEvent(calm.apiKey, { serviceCode: REV_LIVE, from: istDay(1), to: istDay(0) }),
      );
      expect(other.status).toBe(404);
    } finally {
      process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
    }
  });
});

describe('a push past the allowance', () => {
  it('is refused with 429 before anything else is answered or stored, with or without Idempotency-Key', async () => {
    const { createDepartment } = await import('../../lambdas/departments/repository');
    const limited = await createDepartment({ code: 'LIM', name: 'Limited department' });
    const code = 'DL-LIM-0001';
    await putServiceCode(db, {
      serviceCode: code,
      departmentId: limited.department.departmentId,
      onboardingId: 'onb-lim',
      status: 'live',
    });
    // The window is a clock minute: start early in one, so the four requests share it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
    process.env.COUNTS_REQUESTS_PER_MINUTE = '1';
    try {
      const day = istDay(1);
      expect((await pushCounts(limited.apiKey, [{ serviceCode: code, date: day, count: 1 }])).status).toBe(
        200,
      );

      // A refused push costs its rate-limit write and nothing more: no read of the codes it names. (The
      // accepted push's stream consumers read codes too: let them finish first.)
      await db.streamsDrained();
      const { dynamo } = await import('../../lambdas/shared/aws');
      const { tableName } = await import('../../lambdas/shared/tables');
      const codeReads: unknown[] = [];
      dynamo.middlewareStack.add(
        (next) => async (args) => {
          const items = (args.input as { RequestItems?: Record<string, unknown> }).RequestItems ?? {};
          if (tableName('serviceCodes') in items) codeReads.push(args.input);
          return next(args);
        },
        { step: 'initialize', name: 'recordRefusedPushRequests' },
      );
      const refused = await pushCounts(limited.apiKey, [{ serviceCode: code, date: day, count: 2 }]);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
      // The limit answers first: an invalid body, or an unknown code, hears 429 too.
      expect(
        (await pushCounts(limited.apiKey, [{ serviceCode: code, date: 'soon', count: -1 }])).status,
      ).toBe(429);
      expect(
        (await pushCounts(limited.apiKey, [{ serviceCode: 'DL-LIM-0404', date: day, count: 3 }])).status,
      ).toBe(429);
      const keyed = await pushCounts(limited.apiKey, [{ serviceCode: code, date: day, count: 4 }], {
        'Idempotency-Key': 'lim-1',
      });
      expect(keyed.status).toBe(429);
      dynamo.middlewareStack.remove('recordRefusedPushRequests');
      expect(codeReads).toEqual([]);
      expect((await storedCount(code, day))?.count).toBe(1);
    } finally {
      process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
    }
  }, 90_000);
});

describe('all-or-nothing validation: hostile bodies store nothing', () => {
  const today = () => istDay(0);
  const good = () => ({ serviceCode: REV_LIVE, date: istDay(60), count: 1 });
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...good(), locationCode: `H${i}` }));
  const tomorrow = () => {
    const d = new Date(`${today()}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };

  type Case = [name: string, status: number, event: () => ReturnType<typeof putEvent>];
  const withItem = (name: string, status: number, bad: () => Record<string, unknown>): Case => [
    name,
    status,
    () => putEvent(revKey, { counts: [good(), bad()] }),
  ];
  const cases: Case[] = [
    ['malformed JSON', 400, () => putEvent(revKey, '{"counts": [', { raw: true })],
    ['empty body', 400, () => putEvent(revKey, '', { raw: true })],
    [
      'wrong content type',
      415,
      () => putEvent(revKey, { counts: [good()] }, { headers: { 'Content-Type': 'text/plain' } }),
    ],
    [
      'form content type',
      415,
      () =>
        putEvent(revKey, 'counts=1', {
          raw: true,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
    ],
    ['no API key', 401, () => putEvent(undefined, { counts: [good()] })],
    ['a wrong API key', 401, () => putEvent(`etd_${'A'.repeat(43)}`, { counts: [good()] })],
    [
      'a body over 256 KB',
      413,
      () => putEvent(revKey, { counts: [{ ...good(), pad: 'x'.repeat(300_000) }] }),
    ],
    ['1,001 items', 422, () => putEvent(revKey, { counts: many(1001) })],
    ['no items', 422, () => putEvent(revKey, { counts: [] })],
    ['counts is not an array', 422, () => putEvent(revKey, { counts: good() })],
    ['a JSON array body', 422, () => putEvent(revKey, [good()])],
    ['a JSON string body', 422, () => putEvent(revKey, 'counts')],
    ['JSON null', 422, () => putEvent(revKey, null)],
    ['an unknown top-level field', 422, () => putEvent(revKey, { counts: [good()], department: 'TPT' })],
    withItem('a float count', 422, () => ({ ...good(), count: 1.5 })),
    withItem('a negative count', 422, () => ({ ...good(), count: -3 })),
    withItem('a count as a string', 422, () => ({ ...good(), count: '12' })),
    withItem('a null count', 422, () => ({ ...good(), count: null })),
    withItem('a huge count', 422, () => ({ ...good(), count: 1e15 })),
    withItem('a missing count', 422, () => ({ serviceCode: REV_LIVE, date: istDay(61) })),
    withItem('2026-02-30', 422, () => ({ ...good(), date: '2026-02-30' })),
    withItem('tomorrow in IST', 422, () => ({ ...good(), date: tomorrow() })),
    withItem('a date beyond the back-fill window', 422, () => ({ ...good(), date: istDay(91) })),
    withItem('a date in DD/MM/YYYY', 422, () => ({ ...good(), date: '24/11/2026' })),
    withItem('a date with a time', 422, () => ({ ...good(), date: `${istDay(1)}T00:00:00Z` })),
    withItem('a duplicate key', 422, () => good()),
    withItem('a duplicate key via the default location', 422, () => ({ ...good(), locationCode: '0' })),
    withItem("another department's code", 422, () => ({ ...good(), serviceCode: TPT_LIVE })),
    withItem('an unknown code', 422, () => ({ ...good(), serviceCode: 'DL-REV-9999' })),
    withItem('an unknown field', 422, () => ({ ...good(), date: istDay(62), departmentId: tptDepartmentId })),
    withItem('a huge service code', 422, () => ({ ...good(), serviceCode: 'D'.repeat(100_000) })),
    withItem('a huge location code', 422, () => ({ ...good(), locationCode: 'L'.repeat(100_000) })),
    withItem('a key-breaking service code', 422, () => ({ ...good(), serviceCode: `${REV_LIVE}#DAY` })),
    withItem('an empty service code', 422, () => ({ ...good(), serviceCode: '' })),
    withItem('a location code that is a number', 422, () => ({ ...good(), locationCode: 7 })),
    withItem('an item that is an array', 422, () => [good()] as unknown as Record<string, unknown>),
    withItem('an issued code', 409, () => ({ ...good(), serviceCode: REV_ISSUED })),
    [
      'a prototype-polluting body',
      422,
      () => putEvent(revKey, '{"counts":[{"__proto__":{"count":1}}]}', { raw: true }),
    ],
    [
      'a bad Idempotency-Key',
      400,
      () => putEvent(revKey, { counts: [good()] }, { headers: { 'Idempotency-Key': 'x'.repeat(200) } }),
    ],
  ];

  it(`has at least 30 hostile bodies (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s → %i, problem+json, nothing stored', async (_name, status, event) => {
    const before = await allCountItems(db);
    const answer = await call(push, event());
    expect(answer.status).toBe(status);
    expect(answer.headers['Content-Type']).toMatch(/^application\/problem\+json/);
    if (status === 422) expect(answer.json.errors?.length).toBeGreaterThan(0);
    expect(await allCountItems(db)).toEqual(before);
    expect(signal).not.toHaveBeenCalled();
  });

  it('names each bad item by index and field', async () => {
    const answer = await call(
      push,
      putEvent(revKey, {
        counts: [
          good(),
          { ...good(), date: '2026-02-30', locationCode: 'A' },
          { ...good(), count: 2.5, locationCode: 'B' },
        ],
      }),
    );
    expect(answer.json.errors).toEqual([
      { index: 1, field: 'counts[1].date', message: expect.any(String) },
      { index: 2, field: 'counts[2].count', message: expect.any(String) },
    ]);
  });
});
