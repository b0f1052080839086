import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type CountPhase, type CountRevision, HISTORY_LIMIT, replacedRevision } from '../core/counts';
import { tableName } from '../shared/tables';
import { batchPut, queryPages } from './batch';
import { serviceDateRangeQuery } from './repository';

/**
 * The history of corrections, kept from the Counts table's stream instead of by the push.
 *
 * A push writes its counts blind (BatchWriteItem puts, no read first: the store's floor). Every write of a
 * count item reaches the stream with the item before and after it (NEW_AND_OLD_IMAGES), in write order
 * per item, so the replaced value of each change is exactly the stream record's old image — also when
 * pushes of the same daily total race, which a read-then-write push could only make safe with a lock.
 * The stream consumer (lambdas/reports/aggregator.ts) calls `recordCorrections`, which stores one
 * revision item per change of value or phase (a resend of the same value leaves none), in the count's
 * own partition:
 *   pk = CODE#<serviceCode>, sk = REV#<YYYY-MM-DD>#LOC#<locationCode>#<stream sequence, 40 digits>
 * The key is the stream record's, so a replayed or redelivered record rewrites the same item: nothing is
 * doubled, nothing needs a condition. Revision items carry no byDate index key, so the connector and the
 * reports never see them.
 */

const SEQUENCE_DIGITS = 40;

/** Stores the replaced value of every change among the records; other records are skipped. */
export async function recordCorrections(records: readonly DynamoDBRecord[]): Promise<void> {
  const items = records.flatMap((record) => {
    const item = revisionItemOf(record);
    return item ? [item] : [];
  });
  if (items.length > 0) await batchPut(tableName('counts'), items);
}

/** The revision item a stream record of a count item leaves, if its value or phase changed. */
export function revisionItemOf(record: DynamoDBRecord): Record<string, unknown> | undefined {
  const stream = record.dynamodb;
  if (!stream?.SequenceNumber || !stream.OldImage || !stream.NewImage) return undefined;
  const before = unmarshall(stream.OldImage as Record<string, AttributeValue>);
  const after = unmarshall(stream.NewImage as Record<string, AttributeValue>);
  if (typeof before.sk !== 'string' || !before.sk.startsWith('DAY#')) return undefined;
  const revision = replacedRevision(
    { count: Number(before.count), phase: before.phase as CountPhase, updatedAt: String(before.updatedAt) },
    { count: Number(after.count), phase: after.phase as CountPhase },
  );
  if (!revision) return undefined;
  const { serviceCode, date, locationCode } = before as Record<string, string>;
  return {
    pk: before.pk,
    sk: `REV#${date}#LOC#${locationCode}#${stream.SequenceNumber.padStart(SEQUENCE_DIGITS, '0')}`,
    serviceCode,
    date,
    locationCode,
    ...revision,
    replacedAt: String(after.updatedAt),
  };
}

/**
 * The newest HISTORY_LIMIT replaced values of each of a service's daily totals between two dates
 * (inclusive), newest first, keyed `<date>#<locationCode>`. Eventually consistent, like the stream that
 * writes them: a correction shows here within seconds of its push.
 */
export async function queryCorrections(
  serviceCode: string,
  from: string,
  to: string,
): Promise<Map<string, CountRevision[]>> {
  const history = new Map<string, CountRevision[]>();
  const pages = queryPages({
    ...serviceDateRangeQuery(serviceCode, 'REV', from, to),
    ProjectionExpression: '#date, locationCode, #count, phase, updatedAt',
    ExpressionAttributeNames: { '#date': 'date', '#count': 'count' },
    // Newest first within each daily total: the sequence ends the key.
    ScanIndexForward: false,
  });
  for await (const items of pages) {
    for (const item of items) {
      const key = `${item.date}#${item.locationCode}`;
      const revisions = history.get(key) ?? [];
      if (revisions.length < HISTORY_LIMIT) {
        revisions.push({ count: Number(item.count), phase: item.phase, updatedAt: String(item.updatedAt) });
      }
      history.set(key, revisions);
    }
  }
  return history;
}
