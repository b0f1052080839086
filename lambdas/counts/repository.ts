import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CountPhase, ServiceCodeState, StoredCount } from '../core/counts';
import { queryAllItems } from '../shared/all-items';
import { dynamo } from '../shared/aws';
import { tableName } from '../shared/tables';
import { batchGet, batchPut, unavailableOnFailure } from './batch';

/**
 * Counts table, one item per daily total (access patterns in docs/counts-api.md):
 *   pk     = CODE#<serviceCode>                 a service's counts together (GET /v1/counts)
 *   sk     = DAY#<YYYY-MM-DD>#LOC#<locationCode> sorted by date, so a date range is one Query
 * The replaced values (history) are items of their own in the same partition, `REV#…` (./corrections-log.ts).
 *   gsi1pk = DATE#<YYYY-MM-DD>                   every count of a date (connector, reports)
 *   gsi1sk = <phase>#CODE#<serviceCode>#LOC#<locationCode>  live ones are `begins_with(live#)`
 * ServiceCodes table (written by the onboarding workflow): pk = CODE#<serviceCode>, sk = SERVICE.
 */

export const countItemKey = (serviceCode: string, date: string, locationCode: string) => ({
  pk: `CODE#${serviceCode}`,
  sk: `DAY#${date}#LOC#${locationCode}`,
});

export const serviceCodeKey = (serviceCode: string) => ({ pk: `CODE#${serviceCode}`, sk: 'SERVICE' });

export interface ServiceCodeRecord extends ServiceCodeState {
  readonly serviceName?: string;
  readonly category?: string;
  readonly deliveryMode?: string;
}

export function toCountItem(count: StoredCount): Record<string, unknown> {
  return {
    ...countItemKey(count.serviceCode, count.date, count.locationCode),
    gsi1pk: `DATE#${count.date}`,
    gsi1sk: `${count.phase}#CODE#${count.serviceCode}#LOC#${count.locationCode}`,
    serviceCode: count.serviceCode,
    date: count.date,
    locationCode: count.locationCode,
    count: count.count,
    phase: count.phase,
    departmentId: count.departmentId,
    updatedAt: count.updatedAt,
  };
}

export function fromCountItem(item: Record<string, unknown>): StoredCount {
  return {
    serviceCode: String(item.serviceCode),
    date: String(item.date),
    locationCode: String(item.locationCode),
    count: Number(item.count),
    phase: item.phase as CountPhase,
    departmentId: String(item.departmentId),
    updatedAt: String(item.updatedAt),
  };
}

/** The ServiceCodes items of the distinct codes asked for: ceil(distinct / 100) reads, whatever the batch size. */
export async function getServiceCodes(codes: Iterable<string>): Promise<Map<string, ServiceCodeRecord>> {
  const keys = [...new Set(codes)].map(serviceCodeKey);
  const items = await batchGet(tableName('serviceCodes'), keys, false);
  return new Map(items.map((item) => [String(item.serviceCode), item as unknown as ServiceCodeRecord]));
}

export async function putCounts(counts: readonly StoredCount[]): Promise<void> {
  await batchPut(tableName('counts'), counts.map(toCountItem));
}

/**
 * The Query of a service's items of one kind (`DAY` counts, `REV` revisions) between two dates inclusive:
 * the one place the date-range key condition is written.
 */
export function serviceDateRangeQuery(serviceCode: string, kind: 'DAY' | 'REV', from: string, to: string) {
  return {
    TableName: tableName('counts'),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': `CODE#${serviceCode}`,
      ':from': `${kind}#${from}#`,
      // '~' sorts after every character a location code may hold.
      ':to': `${kind}#${to}#~`,
    },
  };
}

/** A service's counts between two dates (inclusive), date-ordered, a page at a time. */
export async function queryServiceCounts(
  serviceCode: string,
  from: string,
  to: string,
  limit: number | undefined,
  startKey?: Record<string, unknown>,
): Promise<{ counts: StoredCount[]; lastKey?: Record<string, unknown> }> {
  const result = await unavailableOnFailure(() =>
    dynamo.send(
      new QueryCommand({
        ...serviceDateRangeQuery(serviceCode, 'DAY', from, to),
        ...(limit === undefined ? {} : { Limit: limit }),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    ),
  );
  return {
    counts: (result.Items ?? []).map(fromCountItem),
    ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey } : {}),
  };
}

/** The byDate index query of a date's counts, optionally one phase: the one place its key format is read. */
export function byDateQuery(date: string, phase?: CountPhase) {
  return {
    TableName: tableName('counts'),
    IndexName: 'byDate',
    KeyConditionExpression: phase ? 'gsi1pk = :date AND begins_with(gsi1sk, :phase)' : 'gsi1pk = :date',
    ExpressionAttributeValues: { ':date': `DATE#${date}`, ...(phase ? { ':phase': `${phase}#` } : {}) },
  };
}

/**
 * Every count of a date, optionally only one phase, via the byDate index (eventually consistent: a push
 * from a second ago may be missing, which a pull a day later never notices).
 */
export async function queryCountsOfDate(date: string, phase?: CountPhase): Promise<StoredCount[]> {
  const items = await unavailableOnFailure(() => queryAllItems(byDateQuery(date, phase)));
  return items.map(fromCountItem);
}
