import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createWorkingCalendar, type WorkingCalendar } from '../core/calendar';
import type { Delegation } from '../core/delegation';
import { type HolidayCalendar, holidayCalendarSchema, SEED_HOLIDAY_CALENDARS } from '../core/holidays-seed';
import { zodIssuesToFieldErrors } from '../core/problem-fields';
import * as z from '../core/zod';
import { queryAllItems } from '../shared/all-items';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { ConflictError, ValidationError } from '../shared/errors';
import { logger, signalOperator } from '../shared/observability';
import { tableName } from '../shared/tables';
import { type ContactRole, type Contacts, type ContactsInput, contactsSchema } from './contacts';

/**
 * Admin-maintained configuration in the Config table:
 *   HOLIDAYS / <year>  -> { calendar: HolidayCalendar, updatedAt }
 *   CONTACTS / <role>  -> { role, name, members, emails, rule, phone?, updatedAt }  (older: no members, rule)
 * Reads are cached per container for CONFIG_CACHE_TTL_MS, so an admin's change reaches every Lambda
 * within that time without a deploy; writes from this container clear the cache at once.
 */
export const CONFIG_CACHE_TTL_MS = 5 * 60_000;

const HOLIDAYS_PK = 'HOLIDAYS';
const CONTACTS_PK = 'CONTACTS';

interface CacheEntry<T> {
  readonly expiresAt: number;
  readonly value: Promise<T>;
}

function cached<T>(load: () => Promise<T>): { get(): Promise<T>; clear(): void } {
  let entry: CacheEntry<T> | undefined;
  return {
    get() {
      const now = Date.now();
      if (!entry || entry.expiresAt <= now) {
        const value = load();
        entry = { expiresAt: now + CONFIG_CACHE_TTL_MS, value };
        // A failed read must not be served from the cache for five minutes.
        value.catch(() => {
          if (entry?.value === value) entry = undefined;
        });
      }
      return entry.value;
    },
    clear() {
      entry = undefined;
    },
  };
}

/** Every item of one partition of the Config table (the trust store reads its own with it too). */
export function queryAll(pk: string): Promise<Record<string, unknown>[]> {
  return queryAllItems({
    TableName: tableName('config'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
  });
}

// ---------------------------------------------------------------------------------------------------
// Holidays

/**
 * Re-validates what an item stores: one bad item is logged and left out, so it cannot stop every reader
 * (every deadline computation, every approval request).
 */
function validStored<T>(
  schema: z.core.$ZodType<T>,
  value: unknown,
  what: string,
  item: Record<string, unknown>,
): T | undefined {
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return parsed.data;
  logger.error(`Ignoring invalid stored ${what}`, {
    sk: item.sk,
    errors: zodIssuesToFieldErrors(parsed.error),
  });
  return undefined;
}

function storedCalendar(item: Record<string, unknown>): HolidayCalendar | undefined {
  return validStored(holidayCalendarSchema, item.calendar, 'holiday calendar', item);
}

const uploadedCalendars = cached(async () =>
  (await queryAll(HOLIDAYS_PK)).flatMap((item) => storedCalendar(item) ?? []),
);

function reportMissingYear(year: number): void {
  logger.warn('No holiday calendar for this year: counting only weekends as non-working days', { year });
  signalOperator('HolidayCalendarMissing', { year: String(year) });
}

const workingCalendar = cached(async () =>
  // Uploaded calendars come after the seed so an upload replaces the seed's year.
  createWorkingCalendar([...SEED_HOLIDAY_CALENDARS, ...(await uploadedCalendars.get())], {
    onMissingYear: reportMissingYear,
  }),
);

/**
 * The SoP working-day calendar: uploaded years, else the seed shipped with the code, else weekends only
 * (with a warning and the HolidayCalendarMissing metric, once per year per cached calendar).
 */
export function loadWorkingCalendar(): Promise<WorkingCalendar> {
  return workingCalendar.get();
}

export type HolidayCalendarOrigin = 'uploaded' | 'seed';

/** The calendar in force for a year and where it comes from; undefined when only weekends apply. */
export async function getHolidayCalendar(
  year: number,
): Promise<{ calendar: HolidayCalendar; origin: HolidayCalendarOrigin } | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName('config'), Key: { pk: HOLIDAYS_PK, sk: String(year) } }),
  );
  const uploaded = Item ? storedCalendar(Item) : undefined;
  if (uploaded) return { calendar: uploaded, origin: 'uploaded' };
  const seed = SEED_HOLIDAY_CALENDARS.find((calendar) => calendar.year === year);
  return seed ? { calendar: seed, origin: 'seed' } : undefined;
}

/** Validates and stores a year's holiday list (replacing any earlier upload for that year). */
export async function putHolidayCalendar(input: unknown): Promise<HolidayCalendar> {
  const parsed = holidayCalendarSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(zodIssuesToFieldErrors(parsed.error));
  const calendar = parsed.data;
  await dynamo.send(
    new PutCommand({
      TableName: tableName('config'),
      Item: { pk: HOLIDAYS_PK, sk: String(calendar.year), calendar, updatedAt: new Date().toISOString() },
    }),
  );
  uploadedCalendars.clear();
  workingCalendar.clear();
  return calendar;
}

// ---------------------------------------------------------------------------------------------------
// Contacts

/** Entries stored before members existed have only `emails`: each address reads as a member. */
function toContacts(item: Record<string, unknown>): Contacts | undefined {
  const stored = {
    role: item.role,
    name: item.name,
    ...(Array.isArray(item.members) ? { members: item.members } : { emails: item.emails }),
    ...(typeof item.rule === 'string' ? { rule: item.rule } : {}),
    phone: item.phone,
  };
  return validStored(contactsSchema, stored, 'contacts', item);
}

const allContacts = cached(async () =>
  (await queryAll(CONTACTS_PK)).flatMap((item) => toContacts(item) ?? []),
);

/** The people configured for a role; undefined until an admin has set them. */
export async function getContacts(role: ContactRole): Promise<Contacts | undefined> {
  return (await allContacts.get()).find((contacts) => contacts.role === role);
}

export async function listContacts(): Promise<readonly Contacts[]> {
  return allContacts.get();
}

/**
 * Validates and stores the contacts of one role, replacing the previous entry. `change` sees the entry
 * in force (undefined when none) and returns the new one; the write holds only if nobody changed the
 * entry meanwhile (a ConflictError asks the admin to run the command again).
 */
export async function changeContacts(
  role: ContactRole,
  change: (current: Contacts | undefined) => ContactsInput | Promise<ContactsInput>,
  updatedBy?: string,
): Promise<Contacts> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName('config'),
      Key: { pk: CONTACTS_PK, sk: role },
      ConsistentRead: true,
    }),
  );
  const current = Item ? toContacts(Item) : undefined;
  const parsed = contactsSchema.safeParse(await change(current));
  if (!parsed.success) throw new ValidationError(zodIssuesToFieldErrors(parsed.error));
  const contacts = parsed.data;
  const stored = await writeIf(
    dynamo.send(
      new PutCommand({
        TableName: tableName('config'),
        Item: {
          pk: CONTACTS_PK,
          sk: contacts.role,
          ...contacts,
          updatedAt: new Date().toISOString(),
          ...(updatedBy ? { updatedBy } : {}),
        },
        ...(typeof Item?.updatedAt === 'string'
          ? {
              ConditionExpression: 'updatedAt = :seen',
              ExpressionAttributeValues: { ':seen': Item.updatedAt },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    ),
  );
  if (!stored) throw new ConflictError(`The contacts of ${role} changed meanwhile; run the command again.`);
  allContacts.clear();
  return contacts;
}

/** Validates and stores the contacts of one role, replacing the previous list. */
export async function putContacts(input: ContactsInput, updatedBy?: string): Promise<Contacts> {
  return changeContacts(input.role as ContactRole, () => input, updatedBy);
}

// ---------------------------------------------------------------------------------------------------
// Delegations: DELEGATIONS / <member address, lower case> -> { delegation: Delegation, setBy, setAt }

const DELEGATIONS_PK = 'DELEGATIONS';

function toDelegation(item: Record<string, unknown>): StoredDelegation | undefined {
  const delegation = item.delegation as Delegation | undefined;
  if (!delegation?.from?.email || !delegation.to?.email || !delegation.fromDate || !delegation.until) {
    logger.error('Ignoring invalid stored delegation', { sk: item.sk });
    return undefined;
  }
  return { ...delegation, setBy: String(item.setBy ?? ''), setAt: String(item.setAt ?? '') };
}

export interface StoredDelegation extends Delegation {
  /** Who set it: the member (from their approval link) or the admin's identity. */
  readonly setBy: string;
  readonly setAt: string;
}

/**
 * Every delegation on record (past ones too, until replaced or cancelled). Not cached, unlike contacts:
 * a member who names a delegate today expects the next task to go to the delegate, not one five minutes
 * on; it is one small query per approval request.
 */
export async function listDelegations(): Promise<readonly StoredDelegation[]> {
  return (await queryAll(DELEGATIONS_PK)).flatMap((item) => toDelegation(item) ?? []);
}

/** Stores a member's delegation, replacing any earlier one of theirs. Validation is the caller's. */
export async function putDelegation(
  delegation: Delegation,
  setBy: string,
  now: Date,
): Promise<StoredDelegation> {
  const stored: StoredDelegation = { ...delegation, setBy, setAt: now.toISOString() };
  await dynamo.send(
    new PutCommand({
      TableName: tableName('config'),
      Item: {
        pk: DELEGATIONS_PK,
        sk: delegation.from.email.toLowerCase(),
        delegation,
        setBy,
        setAt: stored.setAt,
      },
    }),
  );
  return stored;
}

/** Ends a member's delegation; false when they had none. */
export async function deleteDelegation(memberEmail: string): Promise<boolean> {
  const { Attributes } = await dynamo.send(
    new DeleteCommand({
      TableName: tableName('config'),
      Key: { pk: DELEGATIONS_PK, sk: memberEmail.toLowerCase() },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Attributes !== undefined;
}

/** Forgets cached configuration (tests, and callers that must see another container's write now). */
export function clearConfigCache(): void {
  uploadedCalendars.clear();
  workingCalendar.clear();
  allContacts.clear();
}
