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
  ServiceDayTotals,
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

export async function getDay(date: string, serviceCode: string): Promise<DayAggregate | undefined> {
  return (await getItem(dayKey(date, serviceCode))) as DayAggregate | undefined;
}

export async function getMonth(month: string, serviceCode: string): Promise<MonthAggregate | undefined> {
  const item = await getItem(monthKey(month, serviceCode));
  return item && fromMonthItem(item);
}

/** Stores the day aggregate unless another writer changed it since `previousVersion`; false then. */
export function putDay(day: DayAggregate, previousVersion: number): Promise<boolean> {
  return putIfVersion({ ...dayKey(day.date, day.serviceCode), ...day }, previousVersion);
}

export function putMonth(month: MonthAggregate, previousVersion: number): Promise<boolean> {
  return putIfVersion(
    { ...monthKey(month.month, month.serviceCode), ...toMonthItem(month) },
    previousVersion,
  );
}

export async function getRollup(month: string, departmentId: string): Promise<MonthRollup | undefined> {
  const item = await getItem(rollupKey(month, departmentId));
  return item && fromRollupItem(item);
}

export function putRollup(rollup: MonthRollup, previousVersion: number): Promise<boolean> {
  return putIfVersion(
    { ...rollupKey(rollup.month, rollup.departmentId), ...toRollupItem(rollup) },
    previousVersion,
  );
}

/** Every department's month rollup of a month, a page at a time. */
export async function* monthRollups(month: string): AsyncGenerator<MonthRollup[]> {
  for await (const items of pages(`ROLLUP#${month}`)) yield items.map(fromRollupItem);
}

export async function getDayRollup(date: string, departmentId: string): Promise<DayRollup | undefined> {
  const item = await getItem(dayRollupKey(date, departmentId));
  return item && fromDayRollupItem(item);
}

export function putDayRollup(rollup: DayRollup, previousVersion: number): Promise<boolean> {
  return putIfVersion(
    { ...dayRollupKey(rollup.date, rollup.departmentId), ...toDayRollupItem(rollup) },
    previousVersion,
  );
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

type TotalsTuple = [number, number, number, number];
type ServiceDayTuple = [number, number, number, number, number, string];

/** Services and totals as compact JSON strings, like a month item's days: `[live, test, liveEntries, testEntries, …]`. */
export function toDayRollupItem(rollup: DayRollup): Record<string, unknown> {
  const services = Object.fromEntries(
    Object.entries(rollup.services).map(([code, t]): [string, ServiceDayTuple] => [
      code,
      [t.live, t.test, t.liveEntries, t.testEntries, t.version, t.category],
    ]),
  );
  const totals = Object.fromEntries(
    Object.entries(rollup.totals).map(([category, t]): [string, TotalsTuple] => [
      category,
      [t.live, t.test, t.liveEntries, t.testEntries],
    ]),
  );
  return { ...rollup, services: JSON.stringify(services), totals: JSON.stringify(totals) };
}

function fromDayRollupItem(item: Record<string, unknown>): DayRollup {
  const services = JSON.parse(String(item.services ?? '{}')) as Record<string, ServiceDayTuple>;
  return {
    date: String(item.date),
    departmentId: String(item.departmentId),
    version: Number(item.version),
    services: Object.fromEntries(
      Object.entries(services).map(
        ([code, [live, test, liveEntries, testEntries, version, category]]): [string, ServiceDayTotals] => [
          code,
          { live, test, liveEntries, testEntries, version, category },
        ],
      ),
    ),
    totals: fromTotalsString(item.totals),
  };
}

function fromTotalsString(value: unknown): Record<string, PhaseTotals> {
  const totals = JSON.parse(String(value ?? '{}')) as Record<string, TotalsTuple>;
  return Object.fromEntries(
    Object.entries(totals).map(([category, [live, test, liveEntries, testEntries]]) => [
      category,
      { live, test, liveEntries, testEntries },
    ]),
  );
}

type ServiceTuple = [number, number, number, number, number, string, string | null];

/** Like a month item's days: one JSON string of `[live, test, liveEntries, testEntries, version, category, name]`. */
export function toRollupItem(rollup: MonthRollup): Record<string, unknown> {
  const services = Object.fromEntries(
    Object.entries(rollup.services).map(([code, t]): [string, ServiceTuple] => [
      code,
      [t.live, t.test, t.liveEntries, t.testEntries, t.version, t.category, t.serviceName ?? null],
    ]),
  );
  return { ...rollup, services: JSON.stringify(services) };
}

function fromRollupItem(item: Record<string, unknown>): MonthRollup {
  const services = JSON.parse(String(item.services ?? '{}')) as Record<string, ServiceTuple>;
  return {
    month: String(item.month),
    departmentId: String(item.departmentId),
    version: Number(item.version),
    services: Object.fromEntries(
      Object.entries(services).map(
        ([code, [live, test, liveEntries, testEntries, version, category, serviceName]]): [
          string,
          ServiceMonthTotals,
        ] => [
          code,
          {
            live,
            test,
            liveEntries,
            testEntries,
            version,
            category,
            ...(serviceName === null ? {} : { serviceName }),
          },
        ],
      ),
    ),
  };
}

/** Every service's month aggregate of a month, a page at a time (each page ≤ 1 MB). */
export async function* monthAggregates(month: string): AsyncGenerator<MonthAggregate[]> {
  for await (const items of pages(`MONTH#${month}`)) yield items.map(fromMonthItem);
}

/**
 * A month item keeps its days as one JSON string of `[live, test, liveEntries, testEntries, version]` per
 * day of month: a year report reads 13 items per service, and one string attribute is several times
 * cheaper to store, return and decode than 31 nested maps of five numbers.
 */
export function toMonthItem(month: MonthAggregate): Record<string, unknown> {
  const days = Object.fromEntries(
    Object.entries(month.days).map(([day, t]) => [
      day,
      [t.live, t.test, t.liveEntries, t.testEntries, t.version],
    ]),
  );
  return { ...month, days: JSON.stringify(days) };
}

function fromMonthItem(item: Record<string, unknown>): MonthAggregate {
  const days = JSON.parse(String(item.days ?? '{}')) as Record<
    string,
    [number, number, number, number, number]
  >;
  return {
    month: String(item.month),
    serviceCode: String(item.serviceCode),
    departmentId: String(item.departmentId),
    category: String(item.category),
    ...(typeof item.serviceName === 'string' ? { serviceName: item.serviceName } : {}),
    version: Number(item.version),
    days: Object.fromEntries(
      Object.entries(days).map(([day, [live, test, liveEntries, testEntries, version]]) => [
        day,
        { live, test, liveEntries, testEntries, version },
      ]),
    ),
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
