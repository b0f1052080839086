import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unavailableOnFailure } from '../counts/batch';
import { byDateQuery } from '../counts/repository';
import { answeredOn, retiredServices } from '../counts/retirement';
import { dynamo } from '../shared/aws';
import type { ConnectorRow } from './protocol';

/**
 * The live counts of a date as connector rows, a page at a time in byDate index order, reading only the
 * three attributes a row needs (history and audit fields stay in the table). One page (DynamoDB's 1 MB,
 * or `pageSize` items) is in memory at a time; the next page is requested while the current one is being
 * written, so reading and streaming overlap. Rows of services retired before `date` are left out (their
 * earlier days stay answered): the list of retired services is one small item, read with the first page.
 */
export async function* liveRowPages(date: string, pageSize?: number): AsyncGenerator<ConnectorRow[]> {
  const query = (startKey: Record<string, unknown> | undefined) =>
    unavailableOnFailure(() =>
      dynamo.send(
        new QueryCommand({
          ...byDateQuery(date, 'live'),
          ProjectionExpression: 'serviceCode, #count, locationCode',
          ExpressionAttributeNames: { '#count': 'count' },
          ...(pageSize ? { Limit: pageSize } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
  const retired = unavailableOnFailure(() => retiredServices());
  retired.catch(() => undefined);
  let pending = query(undefined);
  // A prefetched page nobody awaits (the client went away) must not become an unhandled rejection.
  pending.catch(() => undefined);
  for (;;) {
    const page = await pending;
    const next = page.LastEvaluatedKey;
    if (next) {
      pending = query(next);
      pending.catch(() => undefined);
    }
    const leftOut = await retired;
    yield (page.Items ?? []).flatMap((item) =>
      answeredOn(date, String(item.serviceCode), leftOut)
        ? [
            {
              serviceCode: String(item.serviceCode),
              serviceCount: Number(item.count),
              locationCode: String(item.locationCode),
            },
          ]
        : [],
    );
    if (!next) return;
  }
}
