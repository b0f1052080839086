import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type CountItem,
  type CountPhase,
  checkCountBatch,
  gateByServiceCode,
  type ItemProblem,
  type RejectionReason,
  toStoredCounts,
} from '../core/counts';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../shared/errors';
import { logger, metrics } from '../shared/observability';
import { RETRY_AFTER_SECONDS } from './batch';
import type { TestCountsArrived } from './ports';
import { getServiceCodes, putCounts } from './repository';

/** Problems listed in one answer; a hostile body could otherwise make the answer bigger than Lambda allows. */
const MAX_LISTED_PROBLEMS = 1000;

export interface PushResult {
  /** Items in the request, all valid. */
  readonly accepted: number;
  /** Items stored: every accepted one (a resend stores the same values again and adds no history). */
  readonly written: number;
  readonly test: number;
  readonly live: number;
}

/**
 * PUT /v1/counts, after authentication: validate the whole batch, check ownership and phase with one
 * batched read of the distinct codes, write one item per daily total (BatchWriteItem, no read first: the
 * replaced values reach the history from the table's stream, ./corrections-log.ts), then tell the workflow
 * that test counts arrived.
 */
export async function pushCounts(
  workflow: TestCountsArrived,
  departmentId: string,
  body: unknown,
  now: Date,
  /** How problems name a field: `counts[3].date` for JSON, `row 5, column date` for CSV (./csv.ts). */
  fieldName: (field: string) => string = (field) => field,
): Promise<PushResult> {
  const rejected = (
    problems: readonly ItemProblem[],
    Problem: typeof ValidationError | typeof ConflictError,
  ) =>
    rejection(
      problems.map((p) => ({ ...p, field: fieldName(p.field) })),
      Problem,
    );
  const checked = checkCountBatch(body, now);
  if (!checked.ok) throw rejected(checked.problems, ValidationError);
  const items = checked.value;

  const codes = await getServiceCodes(items.map((item) => item.serviceCode));
  const gate = gateByServiceCode(items, codes, departmentId);
  if (gate.unknown.length > 0) throw rejected(gate.unknown, ValidationError);
  if (gate.notAccepting.length > 0) throw rejected(gate.notAccepting, ConflictError);

  await putCounts(toStoredCounts(items, gate.phaseOf, departmentId, now));

  const byPhase = countByPhase(items, gate.phaseOf);
  metrics.addMetric('CountsAccepted', MetricUnit.Count, items.length);
  logger.info('Counts stored', { accepted: items.length, ...byPhase });

  // Every push with test counts signals: the signal is idempotent, and a push retried after a failed signal
  // (its counts already stored, so nothing "new") must still be able to complete step 8.
  const onboardings = new Set<string>();
  for (const item of items) {
    const code = codes.get(item.serviceCode);
    if (code && gate.phaseOf.get(item.serviceCode) === 'test') onboardings.add(code.onboardingId);
  }
  await signalOnboardings(workflow, onboardings);

  return { accepted: items.length, written: items.length, ...byPhase };
}

async function signalOnboardings(
  workflow: TestCountsArrived,
  onboardingIds: ReadonlySet<string>,
): Promise<void> {
  try {
    await Promise.all([...onboardingIds].map((id) => workflow.testCountsArrived(id)));
  } catch (error) {
    logger.warn('Test counts stored but the onboarding workflow was not signalled', { error });
    throw new ServiceUnavailableError(
      'Your counts are stored, but the onboarding workflow could not be told; send the same request again.',
      RETRY_AFTER_SECONDS,
      { cause: error },
    );
  }
}

function countByPhase(items: readonly CountItem[], phaseOf: ReadonlyMap<string, CountPhase>) {
  let test = 0;
  let live = 0;
  for (const item of items) {
    if (phaseOf.get(item.serviceCode) === 'live') live++;
    else test++;
  }
  return { test, live };
}

function rejection(
  problems: readonly ItemProblem[],
  Problem: typeof ValidationError | typeof ConflictError,
): ValidationError | ConflictError {
  recordRejections(problems);
  const badItems = new Set(problems.map((p) => p.index)).size;
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(({ index, field, message }) => ({
    field,
    message,
    ...(index === undefined ? {} : { index }),
  }));
  const more =
    problems.length > listed.length
      ? ` The first ${listed.length} of ${problems.length} problems are listed.`
      : '';
  if (Problem === ConflictError && problems.every((p) => p.reason === 'retired')) {
    return new ConflictError(
      `${badItems} item(s) are for retired services, which take no more counts; nothing was stored.${more}`,
      { problemType: 'service-retired', errors: listed },
    );
  }
  if (Problem === ConflictError) {
    return new ConflictError(
      `${badItems} item(s) are for services that do not take counts now; nothing was stored.${more}`,
      { problemType: 'service-not-accepting-counts', errors: listed },
    );
  }
  return new ValidationError(listed, `${badItems} item(s) are invalid; nothing was stored.${more}`, {
    problemType: 'invalid-counts',
  });
}

/** One metric per reason, with the reason as a dimension, so the dashboard can split rejections. */
function recordRejections(problems: readonly ItemProblem[]): void {
  const byReason = new Map<RejectionReason, number>();
  for (const p of problems) byReason.set(p.reason, (byReason.get(p.reason) ?? 0) + 1);
  for (const [reason, count] of byReason) {
    const metric = metrics.singleMetric();
    metric.addDimension('reason', reason);
    metric.addMetric('CountItemsRejected', MetricUnit.Count, count);
  }
}
