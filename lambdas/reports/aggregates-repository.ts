import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unavailableOnFailure } from '../counts/batch';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import type { DayAggregate, MonthAggregate } from './aggregation';

/**
 * Aggregates table (docs/data-model.md, *Aggregates*):
 *   DAY#<YYYY-MM-DD>  / SVC#<serviceCode>   a service's totals of a day, with what each location applied
 *   MONTH#<YYYY-MM>   / SVC#<serviceCode>   a service's totals of each day of a month (what reports read)
 * Each item carries a `version`; writes are conditional on the version read, so two stream consumers
 * (different shards) updating one item retry instead of overwriting each other.
 */

const dayKey = (date: string, serviceCode: string) => ({ pk: `DAY#${date}`, sk: `SVC#${serviceCode}` });
const monthKey = (month: string, serviceCode: string) => ({ pk: `MONTH#${month}`, sk: `SVC#${serviceCode}` });

export async function getDay(date: string, serviceCode: string): Promise<DayAggregate | undefined> {
  return (await getItem(dayKey(date, serviceCode))) as DayAggregate | undefined;
}

export async function getMonth(month: string, serviceCode: string): Promise<MonthAggregate | undefined> {
  return (await getItem(monthKey(month, serviceCode))) as MonthAggregate | undefined;
}

/** Stores the day aggregate unless another writer changed it since `previousVersion`; false then. */
export function putDay(day: DayAggregate, previousVersion: number): Promise<boolean> {
  return putIfVersion({ ...dayKey(day.date, day.serviceCode), ...day }, previousVersion);
}

export function putMonth(month: MonthAggregate, previousVersion: number): Promise<boolean> {
  return putIfVersion({ ...monthKey(month.month, month.serviceCode), ...month }, previousVersion);
}

/** Every service's month aggregate of a month, a page at a time (each page ≤ 1 MB). */
export async function* monthAggregates(month: string): AsyncGenerator<MonthAggregate[]> {
  yield* pages(`MONTH#${month}`) as AsyncGenerator<MonthAggregate[]>;
}

/** Every service's day aggregate of a date. */
export async function dayAggregates(date: string): Promise<DayAggregate[]> {
  const days: DayAggregate[] = [];
  for await (const page of pages(`DAY#${date}`)) days.push(...(page as unknown as DayAggregate[]));
  return days;
}

async function* pages(pk: string): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await unavailableOnFailure(() =>
      dynamo.send(
        new QueryCommand({
          TableName: tableName('aggregates'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
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
