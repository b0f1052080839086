import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryPages, unavailableOnFailure } from '../counts/batch';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import type {
  DayAggregate,
  DayRollup,
  MonthAggregate,
  MonthRollup,
  PhaseTotals,
  ServiceMonthTotals,
} from './aggregation';

/**
 * Aggregates table (docs/data-model.md, *Aggregates*):
 *   DAY#<YYYY-MM-DD>  / SVC#<serviceCode>   a service's totals of a day, with what each location applied
 *   MONTH#<YYYY-MM>   / SVC#<serviceCode>   a service's totals of each day of a month (what reports read)
 *   ROLLUP#<YYYY-MM>  / DEPT#<departmentId> a department's services' totals of a month (reports of whole months)
 *   DAYROLLUP#<YYYY-MM> / <DD>#DEPT#<departmentId>  a department's services' totals of a day, and their sums per
 *                                           category (reports by date without services: one query per month)
 * Each item carries a `version`; writes are conditional on the version read, so two stream consumers
 * (different shards) updating one item retry instead of overwriting each other.
 */

const dayKey = (date: string, serviceCode: string) => ({ pk: `DAY#${date}`, sk: `SVC#${serviceCode}` });
const monthKey = (month: string, serviceCode: string) => ({ pk: `MONTH#${month}`, sk: `SVC#${serviceCode}` });
const rollupKey = (month: string, departmentId: string) => ({
  pk: `ROLLUP#${month}`,
  sk: `DEPT#${departmentId}`,
});

const dayRollupKey = (date: string, departmentId: string) => ({
  pk: `DAYROLLUP#${date.slice(0, 7)}`,
  sk: `${date.slice(8, 10)}#DEPT#${departmentId}`,
});

/** Reads and writes one kind of versioned aggregate item (see above), by its identity. */
export interface VersionedItems<T extends Id & { readonly version: number }, Id> {
  get(id: Id): Promise<T | undefined>;
  /** Stores `next` unless another writer changed the item since `previousVersion`; false then. */
  put(next: T, previousVersion: number): Promise<boolean>;
}

function versionedItems<T extends Id & { readonly version: number }, Id>(
  keyOf: (id: Id) => Record<string, string>,
  toItem: (aggregate: T) => Record<string, unknown> = (aggregate) => ({ ...aggregate }),
  fromItem: (item: Record<string, unknown>) => T = (item) => item as unknown as T,
): VersionedItems<T, Id> {
  return {
    get: async (id) => {
      const item = await getItem(keyOf(id));
      return item && fromItem(item);
    },
    put: (next, previousVersion) => putIfVersion({ ...keyOf(next), ...toItem(next) }, previousVersion),
  };
}

export const dayItems = versionedItems<DayAggregate, Pick<DayAggregate, 'date' | 'serviceCode'>>(
  ({ date, serviceCode }) => dayKey(date, serviceCode),
);
export const monthItems = versionedItems<MonthAggregate, Pick<MonthAggregate, 'month' | 'serviceCode'>>(
  ({ month, serviceCode }) => monthKey(month, serviceCode),
  toMonthItem,
  fromMonthItem,
);
export const monthRollupItems = versionedItems<MonthRollup, Pick<MonthRollup, 'month' | 'departmentId'>>(
  ({ month, departmentId }) => rollupKey(month, departmentId),
  toRollupItem,
  fromRollupItem,
);
export const dayRollupItems = versionedItems<DayRollup, Pick<DayRollup, 'date' | 'departmentId'>>(
  ({ date, departmentId }) => dayRollupKey(date, departmentId),
  toDayRollupItem,
  fromDayRollupItem,
);

/** Every department's month rollup of a month, a page at a time. */
export async function* monthRollups(month: string): AsyncGenerator<MonthRollup[]> {
  for await (const items of pages(`ROLLUP#${month}`)) yield items.map(fromRollupItem);
}

/** Every department's day rollup of a date, whole (reconciliation). */
export async function dayRollupsOf(date: string): Promise<DayRollup[]> {
  const rollups: DayRollup[] = [];
  const { pk, sk } = dayRollupKey(date, '');
  for await (const items of pages(pk, { skPrefix: sk })) rollups.push(...items.map(fromDayRollupItem));
  return rollups;
}

/** A department's totals of a date per category, as reports read them (without the services). */
export interface DepartmentDayTotals {
  readonly date: string;
  readonly departmentId: string;
  readonly totals: Readonly<Record<string, PhaseTotals>>;
}

/**
 * The day rollups of a month's days `fromDay`..`toDay` ("01".."31"), a page at a time, projected on their
 * totals: a report reads and decodes a few numbers per department and day, never the services.
 */
export async function* dayRollupTotals(
  month: string,
  fromDay: string,
  toDay: string,
): AsyncGenerator<DepartmentDayTotals[]> {
  for await (const items of pages(`DAYROLLUP#${month}`, {
    skBetween: [`${fromDay}#`, `${toDay}#~`],
    projection: ['date', 'departmentId', 'totals'],
  })) {
    yield items.map((item) => ({
      date: String(item.date),
      departmentId: String(item.departmentId),
      totals: fromTotalsString(item.totals),
    }));
  }
}

/**
 * The items keep their maps of totals (a month's days, a rollup's services, a day rollup's categories) as
 * one JSON string of `[live, test, liveEntries, testEntries, …]` per key: a year report reads 13 items per
 * service, and one string attribute is several times cheaper to store, return and decode than 31 nested
 * maps of five numbers.
 */
type Tuple = [number, number, number, number, ...(number | string | null)[]];

function encodeTotals<T extends PhaseTotals>(
  byKey: Readonly<Record<string, T>>,
  rest: (totals: T) => (number | string | null)[] = () => [],
): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(byKey).map(([key, t]): [string, Tuple] => [
        key,
        [t.live, t.test, t.liveEntries, t.testEntries, ...rest(t)],
      ]),
    ),
  );
}

function decodeTotals<T>(
  value: unknown,
  withRest: (totals: PhaseTotals, rest: (number | string | null)[]) => T,
): Record<string, T> {
  const tuples = JSON.parse(String(value ?? '{}')) as Record<string, Tuple>;
  return Object.fromEntries(
    Object.entries(tuples).map(([key, [live, test, liveEntries, testEntries, ...rest]]) => [
      key,
      withRest({ live, test, liveEntries, testEntries }, rest),
    ]),
  );
}

const fromTotalsString = (value: unknown): Record<string, PhaseTotals> =>
  decodeTotals(value, (totals) => totals);

/** A rollup's service, `[…, version, category, name]` (a day rollup's have no name). */
const serviceTotalsOf = (
  totals: PhaseTotals,
  [version, category, serviceName]: (number | string | null)[],
): ServiceMonthTotals => ({
  ...totals,
  version: Number(version),
  category: String(category),
  ...(serviceName === null || serviceName === undefined ? {} : { serviceName: String(serviceName) }),
});

/** Services `[…, version, category]`, totals per category `[…]`. */
export function toDayRollupItem(rollup: DayRollup): Record<string, unknown> {
  return {
    ...rollup,
    services: encodeTotals(rollup.services, (t) => [t.version, t.category]),
    totals: encodeTotals(rollup.totals),
  };
}

function fromDayRollupItem(item: Record<string, unknown>): DayRollup {
  return {
    date: String(item.date),
    departmentId: String(item.departmentId),
    version: Number(item.version),
    services: decodeTotals(item.services, serviceTotalsOf),
    totals: fromTotalsString(item.totals),
  };
}

/** Services `[…, version, category, name]`. */
export function toRollupItem(rollup: MonthRollup): Record<string, unknown> {
  return {
    ...rollup,
    services: encodeTotals(rollup.services, (t) => [t.version, t.category, t.serviceName ?? null]),
  };
}

function fromRollupItem(item: Record<string, unknown>): MonthRollup {
  return {
    month: String(item.month),
    departmentId: String(item.departmentId),
    version: Number(item.version),
    services: decodeTotals(item.services, serviceTotalsOf),
  };
}

/** Every service's month aggregate of a month, a page at a time (each page ≤ 1 MB). */
export async function* monthAggregates(month: string): AsyncGenerator<MonthAggregate[]> {
  for await (const items of pages(`MONTH#${month}`)) yield items.map(fromMonthItem);
}

/** Days of month `[…, version]`. */
export function toMonthItem(month: MonthAggregate): Record<string, unknown> {
  return { ...month, days: encodeTotals(month.days, (t) => [t.version]) };
}

function fromMonthItem(item: Record<string, unknown>): MonthAggregate {
  return {
    month: String(item.month),
    serviceCode: String(item.serviceCode),
    departmentId: String(item.departmentId),
    category: String(item.category),
    ...(typeof item.serviceName === 'string' ? { serviceName: item.serviceName } : {}),
    version: Number(item.version),
    days: decodeTotals(item.days, (totals, [version]) => ({ ...totals, version: Number(version) })),
  };
}

/** Every service's day aggregate of a date. */
export async function dayAggregates(date: string): Promise<DayAggregate[]> {
  const days: DayAggregate[] = [];
  for await (const page of pages(`DAY#${date}`)) days.push(...(page as unknown as DayAggregate[]));
  return days;
}

/** Which items of a partition a query reads, and which of their attributes. */
interface PageQuery {
  readonly skPrefix?: string;
  readonly skBetween?: readonly [string, string];
  /** The attributes to return (all when absent). */
  readonly projection?: readonly string[];
}

function pages(pk: string, query: PageQuery = {}): AsyncGenerator<Record<string, unknown>[]> {
  const skCondition = query.skPrefix
    ? ' AND begins_with(sk, :sk)'
    : query.skBetween
      ? ' AND sk BETWEEN :from AND :to'
      : '';
  // Attribute names go through placeholders: `date` is a reserved word.
  const names = query.projection?.map((name, i): [string, string] => [`#a${i}`, name]);
  return queryPages({
    TableName: tableName('aggregates'),
    KeyConditionExpression: `pk = :pk${skCondition}`,
    ExpressionAttributeValues: {
      ':pk': pk,
      ...(query.skPrefix ? { ':sk': query.skPrefix } : {}),
      ...(query.skBetween ? { ':from': query.skBetween[0], ':to': query.skBetween[1] } : {}),
    },
    ...(names
      ? {
          ProjectionExpression: names.map(([placeholder]) => placeholder).join(', '),
          ExpressionAttributeNames: Object.fromEntries(names),
        }
      : {}),
  });
}

async function getItem(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
  const result = await unavailableOnFailure(() =>
    dynamo.send(new GetCommand({ TableName: tableName('aggregates'), Key: key, ConsistentRead: true })),
  );
  return result.Item;
}

function putIfVersion(item: Record<string, unknown>, previousVersion: number): Promise<boolean> {
  return writeIf(
    unavailableOnFailure(() =>
      dynamo.send(
        new PutCommand({
          TableName: tableName('aggregates'),
          Item: item,
          ConditionExpression: previousVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :previous',
          ...(previousVersion === 0 ? {} : { ExpressionAttributeValues: { ':previous': previousVersion } }),
        }),
      ),
    ),
  );
}
