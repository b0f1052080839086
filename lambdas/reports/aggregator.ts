import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { CountPhase } from '../core/counts';
import { inParallel } from '../counts/batch';
import { recordCorrections } from '../counts/corrections-log';
import { getServiceCodes } from '../counts/repository';
import { logger } from '../shared/observability';
import {
  dayAggregates,
  dayItems,
  dayRollupItems,
  monthItems,
  monthRollupItems,
  type VersionedItems,
} from './aggregates-repository';
import {
  applyChangesToDay,
  applyDaysToDayRollup,
  applyDayToMonth,
  applyMonthsToRollup,
  type CountChange,
  type DayAggregate,
  dayKey,
  type MonthAggregate,
  type ServiceLabels,
  UNKNOWN_DEPARTMENT,
} from './aggregation';

/**
 * The Counts table's stream consumer: stores the replaced value of every correction
 * (lambdas/counts/corrections-log.ts) and keeps the day and month aggregates (rules in ./aggregation.ts).
 * Deployed behind a DynamoDB event source (lib/count-aggregation.ts: batches, bisect on error, partial
 * batch responses, an encrypted SQS queue for records that keep failing); in local mode
 * local/dynamodb-streams.ts calls this same handler with records of the same shape.
 *
 * Records are grouped by (date, service); each group reads its day aggregate, applies its records and
 * writes it back conditionally on the version it read (retrying on a concurrent writer), then brings the
 * month aggregate up to the day's version the same way. Then each department's month rollup is brought up
 * to the versions of its services' month aggregates, once per (month, department) of the batch, and its
 * day rollup to its services' day aggregates, once per (date, department). A failed group reports its
 * first record as the batch item failure, so Lambda retries from there; applying a record twice changes
 * nothing.
 */

const MAX_CONFLICT_RETRIES = 10;

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  try {
    await recordCorrections(event.Records);
  } catch (error) {
    // Revisions are keyed by their stream record, so the retry of the whole batch doubles nothing.
    logger.error('Recording count corrections failed; the batch is retried', { error });
    const first = event.Records[0]?.dynamodb?.SequenceNumber;
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
  const groups = new Map<string, { changes: CountChange[]; firstSequence: string; position: number }>();
  event.Records.forEach((record, position) => {
    const change = toCountChange(record);
    if (!change) return;
    const key = dayKey(change.date, change.serviceCode);
    const group = groups.get(key) ?? { changes: [], firstSequence: change.sequence, position };
    group.changes.push(change);
    groups.set(key, group);
  });

  const labels = await labelsOf([...groups.values()].map((g) => g.changes[0]?.serviceCode ?? ''));
  const failed: { sequence: string; position: number }[] = [];
  const rollups = new Map<string, Rollup<MonthAggregate>>();
  const dayRollups = new Map<string, Rollup<DayAggregate>>();
  await inParallel([...groups.values()], async (group) => {
    try {
      const serviceCode = group.changes[0]?.serviceCode ?? '';
      const aggregated = await aggregate(group.changes, labels.get(serviceCode) ?? {});
      if (!aggregated) return;
      const { day, month } = aggregated;
      if (month) addToRollup(rollups, `${month.month}#${month.departmentId}`, month, group);
      // A day that only saw deletes totals nothing and has no department's rollup to go to.
      if (day.departmentId !== UNKNOWN_DEPARTMENT)
        addToRollup(dayRollups, `${day.date}#${day.departmentId}`, day, group);
    } catch (error) {
      logger.error('Count aggregation failed; the batch is retried from this record', {
        error,
        sequence: group.firstSequence,
      });
      failed.push({ sequence: group.firstSequence, position: group.position });
    }
  });
  const rollupRuns = [
    ...[...rollups.values()].map((rollup) => ({ rollup, run: () => roll(rollup.parts) })),
    ...[...dayRollups.values()].map((rollup) => ({ rollup, run: () => rollDay(rollup.parts) })),
  ];
  await inParallel(rollupRuns, async ({ rollup, run }) => {
    try {
      await run();
    } catch (error) {
      logger.error('Rollup failed; the batch is retried from this record', {
        error,
        sequence: rollup.firstSequence,
      });
      failed.push({ sequence: rollup.firstSequence, position: rollup.position });
    }
  });
  failed.sort((a, b) => a.position - b.position);
  return { batchItemFailures: failed.slice(0, 1).map((f) => ({ itemIdentifier: f.sequence })) };
}

/** The aggregates of a batch's groups that go to one rollup, and the earliest record that led there. */
interface Rollup<T> {
  readonly parts: T[];
  firstSequence: string;
  position: number;
}

function addToRollup<T>(
  rollups: Map<string, Rollup<T>>,
  key: string,
  part: T,
  group: { firstSequence: string; position: number },
): void {
  const rollup = rollups.get(key) ?? {
    parts: [],
    firstSequence: group.firstSequence,
    position: group.position,
  };
  rollup.parts.push(part);
  if (group.position < rollup.position)
    Object.assign(rollup, { firstSequence: group.firstSequence, position: group.position });
  rollups.set(key, rollup);
}

/** Brings the day and month aggregates up to the changes; both as they now stand. */
async function aggregate(
  changes: readonly CountChange[],
  labels: ServiceLabels,
): Promise<{ day: DayAggregate; month: MonthAggregate | undefined } | undefined> {
  const { date, serviceCode } = changes[0] as CountChange;
  const day = await updateVersioned(
    dayItems,
    { date, serviceCode },
    (stored) => applyChangesToDay(stored, changes, labels),
    `Day aggregate ${date} ${serviceCode}`,
  );
  if (!day) return undefined;
  // Always brought up to date, even when the day did not change: a run that stopped between the two
  // writes is completed by the retry (and the rollups after it likewise).
  const month = await updateVersioned(
    monthItems,
    { month: date.slice(0, 7), serviceCode },
    (stored) => applyDayToMonth(stored, day),
    `Month aggregate of ${date} ${serviceCode}`,
  );
  return { day, month };
}

/** Brings a department's month rollup up to its services' month aggregates (one month, one department). */
async function roll(months: readonly MonthAggregate[]): Promise<void> {
  const { month, departmentId } = months[0] as MonthAggregate;
  await updateVersioned(
    monthRollupItems,
    { month, departmentId },
    (stored) => applyMonthsToRollup(stored, months),
    `Month rollup ${month} of department ${departmentId}`,
  );
}

/** Brings a department's day rollup up to its services' day aggregates (one date, one department). */
async function rollDay(days: readonly DayAggregate[]): Promise<void> {
  const { date, departmentId } = days[0] as DayAggregate;
  await updateVersioned(
    dayRollupItems,
    { date, departmentId },
    (stored) => applyDaysToDayRollup(stored, days),
    `Day rollup ${date} of department ${departmentId}`,
  );
}

/**
 * Reads an aggregate, applies a rule to it and writes the result back on condition of the version read,
 * again on a concurrent writer's change; the aggregate as it now stands (the stored one when the rule
 * changed nothing).
 */
async function updateVersioned<T extends Id & { readonly version: number }, Id>(
  items: VersionedItems<T, Id>,
  id: Id,
  apply: (stored: T | undefined) => T | undefined,
  what: string,
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    const stored = await items.get(id);
    const next = apply(stored);
    if (!next) return stored;
    if (await items.put(next, stored?.version ?? 0)) return next;
    if (attempt >= MAX_CONFLICT_RETRIES) throw new Error(`${what} kept changing`);
  }
}

/**
 * Brings every department's day rollup of a date up to the date's day aggregates, as the stream consumer
 * would: for days aggregated before the day rollups existed (`npm run admin -- report backfill`). Safe at
 * any time, also while the consumer runs (version-checked like its own writes). Returns the departments.
 */
export async function backfillDayRollups(date: string): Promise<number> {
  const byDepartment = new Map<string, DayAggregate[]>();
  for (const day of await dayAggregates(date)) {
    if (day.departmentId === UNKNOWN_DEPARTMENT) continue;
    byDepartment.set(day.departmentId, [...(byDepartment.get(day.departmentId) ?? []), day]);
  }
  await inParallel([...byDepartment.values()], rollDay);
  return byDepartment.size;
}

async function labelsOf(serviceCodes: readonly string[]): Promise<Map<string, ServiceLabels>> {
  const records = await getServiceCodes(serviceCodes);
  return new Map(
    [...records].map(([code, { category, serviceName }]) => [
      code,
      { ...(category ? { category } : {}), ...(serviceName ? { serviceName } : {}) },
    ]),
  );
}

/** A stream record of a count item as a change; other items of the table (none today) are skipped. */
export function toCountChange(record: DynamoDBRecord): CountChange | undefined {
  const stream = record.dynamodb;
  const keys = stream?.Keys ? unmarshall(stream.Keys as Record<string, AttributeValue>) : undefined;
  if (!stream?.SequenceNumber || typeof keys?.sk !== 'string' || !keys.sk.startsWith('DAY#'))
    return undefined;
  const image = stream.NewImage ?? stream.OldImage;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  const next = record.eventName === 'REMOVE' || !stream.NewImage ? undefined : item;
  return {
    serviceCode: String(item.serviceCode),
    date: String(item.date),
    locationCode: String(item.locationCode),
    sequence: stream.SequenceNumber,
    ...(next
      ? {
          next: {
            count: Number(next.count),
            phase: next.phase as CountPhase,
            departmentId: String(next.departmentId),
          },
        }
      : {}),
  };
}
