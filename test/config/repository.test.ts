import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONFIG_CACHE_TTL_MS,
  changeContacts,
  clearConfigCache,
  getContacts,
  getHolidayCalendar,
  listContacts,
  loadWorkingCalendar,
  putContacts,
  putHolidayCalendar,
} from '../../lambdas/config/repository';
import { ValidationError } from '../../lambdas/shared/errors';
import { startDynalite, type TestDynamo } from '../support/dynamo';

let db: TestDynamo;
let output: string[];

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
});
afterAll(async () => db?.stop());
beforeEach(() => {
  clearConfigCache();
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const calendar2027 = {
  year: 2027,
  source: 'GNCTD notification 2027 (test)',
  holidays: [{ date: '2027-01-26', name: 'Republic Day' }],
};

describe('holiday calendars', () => {
  it('uses the seed for a year nobody uploaded', async () => {
    const calendar = await loadWorkingCalendar();

    expect(calendar.isWorkingDay('2026-01-26')).toBe(false); // Republic Day, a Monday
    expect(calendar.isWorkingDay('2026-01-27')).toBe(true);
    expect(await getHolidayCalendar(2026)).toMatchObject({ origin: 'seed', calendar: { year: 2026 } });
  });

  it('counts only weekends for a year with no calendar, warning once and emitting HolidayCalendarMissing', async () => {
    const calendar = await loadWorkingCalendar();

    expect(calendar.isWorkingDay('2031-01-27')).toBe(true); // a Monday
    expect(calendar.isWorkingDay('2031-01-25')).toBe(false); // a Saturday
    calendar.isWorkingDay('2031-03-03');

    const logged = output.join('');
    expect(logged.match(/No holiday calendar for this year/g)).toHaveLength(1);
    expect(logged).toContain('"year":2031');
    expect(logged).toContain('HolidayCalendarMissing');
    expect(await getHolidayCalendar(2031)).toBeUndefined();
  });

  it('applies an uploaded calendar at once in this container, and it replaces the seed of its year', async () => {
    await putHolidayCalendar(calendar2027);
    await putHolidayCalendar({
      year: 2026,
      source: 'GNCTD 2026 (test)',
      holidays: [{ date: '2026-01-27', name: 'Test holiday' }],
    });

    const calendar = await loadWorkingCalendar();

    expect(calendar.isWorkingDay('2027-01-26')).toBe(false);
    expect(calendar.isWorkingDay('2026-01-27')).toBe(false);
    expect(calendar.isWorkingDay('2026-01-26')).toBe(true);
    expect(await getHolidayCalendar(2027)).toEqual({
      origin: 'uploaded',
      calendar: { year: 2027, source: calendar2027.source, holidays: calendar2027.holidays },
    });
  });

  it("sees another container's upload once the cache expires", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const before = await loadWorkingCalendar();
    expect(before.isWorkingDay('2028-01-26')).toBe(true); // a Wednesday, no 2028 list yet

    await db.client.send(
      new PutCommand({
        TableName: db.tables.config,
        Item: {
          pk: 'HOLIDAYS',
          sk: '2028',
          calendar: { year: 2028, source: 'x', holidays: [{ date: '2028-01-26', name: 'Republic Day' }] },
        },
      }),
    );
    expect(await loadWorkingCalendar()).toBe(before);

    vi.advanceTimersByTime(CONFIG_CACHE_TTL_MS + 1);
    expect((await loadWorkingCalendar()).isWorkingDay('2028-01-26')).toBe(false);
  });

  it('rejects an invalid upload naming the field, storing nothing', async () => {
    const upload = putHolidayCalendar({
      year: 2029,
      source: 'x',
      holidays: [{ date: '2030-01-01', name: 'Wrong year' }],
    });

    await expect(upload).rejects.toBeInstanceOf(ValidationError);
    await expect(upload).rejects.toMatchObject({ errors: [{ field: 'holidays[0].date' }] });
    expect(await getHolidayCalendar(2029)).toBeUndefined();
  });

  it('ignores a corrupt stored calendar instead of failing every deadline', async () => {
    await db.client.send(
      new PutCommand({
        TableName: db.tables.config,
        Item: { pk: 'HOLIDAYS', sk: '2030', calendar: { year: 2030, holidays: 'nope' } },
      }),
    );

    const calendar = await loadWorkingCalendar();

    expect(calendar.isWorkingDay('2030-01-01')).toBe(true);
    expect(output.join('')).toContain('Ignoring invalid stored holiday calendar');
  });
});

describe('contacts', () => {
  it('stores, replaces and lists contacts per role', async () => {
    expect(await getContacts('centralCommittee')).toBeUndefined();

    await putContacts({ role: 'centralCommittee', emails: ['cc@etaal.gov.in'] });
    await putContacts({
      role: 'centralCommittee',
      name: 'Central Committee secretariat',
      emails: ['sec@etaal.gov.in'],
    });
    await putContacts({ role: 'escalation', emails: ['ceo@degs.delhi.gov.in'] });

    expect(await getContacts('centralCommittee')).toEqual({
      role: 'centralCommittee',
      name: 'Central Committee secretariat',
      members: [{ name: 'sec@etaal.gov.in', email: 'sec@etaal.gov.in' }],
      emails: ['sec@etaal.gov.in'],
      rule: 'any',
    });
    expect((await listContacts()).map((c) => c.role).sort()).toEqual(['centralCommittee', 'escalation']);
  });

  it('reads an entry stored before members existed (addresses only) as one member per address, deciding by any', async () => {
    await db.client.send(
      new PutCommand({
        TableName: db.tables.config,
        Item: {
          pk: 'CONTACTS',
          sk: 'stateCommittee',
          role: 'stateCommittee',
          name: 'State Committee',
          emails: ['a@delhi.gov.in', 'b@delhi.gov.in'],
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    clearConfigCache();

    const contacts = await getContacts('stateCommittee');

    expect(contacts?.members).toEqual([
      { name: 'a@delhi.gov.in', email: 'a@delhi.gov.in' },
      { name: 'b@delhi.gov.in', email: 'b@delhi.gov.in' },
    ]);
    expect(contacts?.rule).toBe('any');
    expect(contacts?.emails).toEqual(['a@delhi.gov.in', 'b@delhi.gov.in']);
  });

  it('refuses a change made against an entry another admin changed meanwhile', async () => {
    await putContacts({ role: 'degsTechnical', emails: ['t1@degs.in'] });

    const change = changeContacts('degsTechnical', async (current) => {
      // Another admin's write lands between this command's read and its write.
      await putContacts({ role: 'degsTechnical', emails: ['other@degs.in'] });
      return { role: 'degsTechnical', emails: [...(current?.emails ?? []), 't2@degs.in'] };
    });

    await expect(change).rejects.toMatchObject({ status: 409 });
    clearConfigCache();
    expect((await getContacts('degsTechnical'))?.emails).toEqual(['other@degs.in']);
  });

  it('refuses a quorum larger than the role', async () => {
    await expect(
      putContacts({ role: 'stateCommittee', emails: ['a@d.in', 'b@d.in'], rule: 'quorum:3' }),
    ).rejects.toMatchObject({
      errors: [{ field: 'rule', message: expect.stringContaining('at least 3 members') }],
    });
  });

  it('rejects an unknown role or a bad address, naming the field', async () => {
    await expect(putContacts({ role: 'hod' as never, emails: ['a@b.in'] })).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'role' }],
    });
    await expect(putContacts({ role: 'degsTechnical', emails: ['x'] })).rejects.toMatchObject({
      errors: [{ field: 'emails[0]' }],
    });
  });
});
