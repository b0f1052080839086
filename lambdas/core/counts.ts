import { istDateOf } from './calendar';
import { formatDayNumber, parseIsoDate, requireIsoDate } from './iso-date';
import type { ServiceCodeStatus } from './workflow';

/**
 * The rules of the count push API (`PUT /v1/counts`), as pure functions: what a valid batch is, which
 * phase a count is stored in, and what a write changes. No AWS here; the handler feeds in the stored
 * state it read and writes what these functions decide.
 */

/** Items per request. A day's totals of a department fit easily; more must be split into requests. */
export const MAX_ITEMS_PER_REQUEST = 1000;
/**
 * Request body cap. 1,000 items of the longest legal strings are about 150 KB of JSON; anything bigger is
 * not a count batch and is refused before parsing (API Gateway's own cap is 10 MB).
 */
export const MAX_BODY_BYTES = 256 * 1024;
/** How far back a push may set a day's total: corrections of the last quarter, not rewriting history. */
export const BACKFILL_DAYS = 90;
/** A daily total above this is a client bug (a counter sent instead of a count), not a real day. */
export const MAX_DAILY_COUNT = 1_000_000_000;
/** The location a count is for when the department does not break its counts down by location. */
export const DEFAULT_LOCATION_CODE = '0';
/** Earlier values GET /v1/counts shows with each count, newest first (the corrections log keeps them all). */
export const HISTORY_LIMIT = 20;

export const MAX_SERVICE_CODE_LENGTH = 64;
export const MAX_LOCATION_CODE_LENGTH = 32;
/** Letters, digits, dot, dash, underscore: safe inside keys (no `#`) and in the connector's XML. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export type CountPhase = 'test' | 'live';

export interface CountItem {
  readonly serviceCode: string;
  /** IST calendar date, YYYY-MM-DD. */
  readonly date: string;
  readonly count: number;
  readonly locationCode: string;
}

/** Why an item was refused; the `reason` dimension of the CountItemsRejected metric. */
export type RejectionReason =
  | 'malformed'
  | 'unknownField'
  | 'serviceCode'
  | 'locationCode'
  | 'date'
  | 'futureDate'
  | 'backfillWindow'
  | 'count'
  | 'duplicate'
  | 'unknownServiceCode'
  | 'phase'
  | 'retired';

export interface ItemProblem {
  /** Position of the item in `counts`, or undefined for a problem with the whole body. */
  readonly index: number | undefined;
  /** Client-side name of the bad field, e.g. `counts[3].date`. */
  readonly field: string;
  readonly message: string;
  readonly reason: RejectionReason;
}

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: ItemProblem[] };

const ITEM_FIELDS = new Set(['serviceCode', 'date', 'count', 'locationCode']);

/**
 * Validates a parsed request body against every rule that needs no stored state. `now` fixes "today" in
 * IST, so "future" and the back-fill window are decided by the caller's clock, not the machine's zone.
 * Every problem of every item is reported, so one round trip fixes the whole batch.
 */
export function checkCountBatch(body: unknown, now: Date): Checked<CountItem[]> {
  if (!isPlainObject(body))
    return fail(undefined, '', 'The body must be a JSON object {"counts": [...]}', 'malformed');
  const problems: ItemProblem[] = [];
  for (const key of Object.keys(body)) {
    if (key !== 'counts') problems.push(problem(undefined, key, 'Unknown field', 'unknownField'));
  }
  const counts = body.counts;
  if (!Array.isArray(counts)) {
    problems.push(problem(undefined, 'counts', 'Required: an array of 1 to 1000 counts', 'malformed'));
    return { ok: false, problems };
  }
  if (counts.length === 0 || counts.length > MAX_ITEMS_PER_REQUEST) {
    problems.push(
      problem(
        undefined,
        'counts',
        `Must hold 1 to ${MAX_ITEMS_PER_REQUEST} counts (got ${counts.length}); split larger batches`,
        'malformed',
      ),
    );
    return { ok: false, problems };
  }

  const today = requireIsoDate(istDateOf(now));
  const earliest = today - BACKFILL_DAYS;
  const firstIndexOfKey = new Map<string, number>();
  const items: CountItem[] = [];
  counts.forEach((raw: unknown, index) => {
    const at = (field: string) => `counts[${index}]${field ? `.${field}` : ''}`;
    if (!isPlainObject(raw)) {
      problems.push(
        problem(index, at(''), 'Must be an object {serviceCode, date, count, locationCode?}', 'malformed'),
      );
      return;
    }
    const before = problems.length;
    for (const key of Object.keys(raw)) {
      if (!ITEM_FIELDS.has(key))
        problems.push(problem(index, at(safeFieldName(key)), 'Unknown field', 'unknownField'));
    }
    const serviceCode = checkCode(raw.serviceCode, MAX_SERVICE_CODE_LENGTH, true);
    if (serviceCode.message)
      problems.push(problem(index, at('serviceCode'), serviceCode.message, 'serviceCode'));
    const locationCode = checkCode(raw.locationCode, MAX_LOCATION_CODE_LENGTH, false);
    if (locationCode.message)
      problems.push(problem(index, at('locationCode'), locationCode.message, 'locationCode'));

    const date = raw.date;
    const day = typeof date === 'string' && date.length === 10 ? parseIsoDate(date) : undefined;
    if (day === undefined) {
      problems.push(problem(index, at('date'), 'Must be a real calendar date YYYY-MM-DD', 'date'));
    } else if (day > today) {
      problems.push(
        problem(
          index,
          at('date'),
          `Is in the future: today is ${formatDayNumber(today)} in IST`,
          'futureDate',
        ),
      );
    } else if (day < earliest) {
      problems.push(
        problem(
          index,
          at('date'),
          `Is older than the ${BACKFILL_DAYS}-day back-fill window (earliest ${formatDayNumber(earliest)})`,
          'backfillWindow',
        ),
      );
    }

    const count = raw.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_DAILY_COUNT) {
      problems.push(problem(index, at('count'), `Must be an integer from 0 to ${MAX_DAILY_COUNT}`, 'count'));
    }
    if (problems.length > before) return;

    const item: CountItem = {
      serviceCode: serviceCode.value as string,
      date: date as string,
      count: count as number,
      locationCode: locationCode.value ?? DEFAULT_LOCATION_CODE,
    };
    const key = countKey(item);
    const first = firstIndexOfKey.get(key);
    if (first !== undefined) {
      problems.push(
        problem(
          index,
          at(''),
          `Same serviceCode, date and locationCode as counts[${first}]: send one total per day`,
          'duplicate',
        ),
      );
      return;
    }
    firstIndexOfKey.set(key, index);
    items.push(item);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: items };
}

/** What the ServiceCodes table says about a code (the fields the count rules need). */
export interface ServiceCodeState {
  readonly serviceCode: string;
  readonly departmentId: string;
  readonly onboardingId: string;
  readonly status: ServiceCodeStatus;
  /** When an admin retired the service (status retired). */
  readonly retiredAt?: string;
}

export interface GateResult {
  /** Codes that are unknown or another department's: reported alike, so codes of others do not leak. */
  readonly unknown: ItemProblem[];
  /** Codes of the caller that do not accept counts now (not yet handed over, or rejected). */
  readonly notAccepting: ItemProblem[];
  readonly phaseOf: ReadonlyMap<string, CountPhase>;
}

/**
 * Ownership and phase: a count is stored as a test count while its service is in integration testing
 * (SoP steps 8–12) and as live once the Central Committee approved it (after step 12).
 */
export function gateByServiceCode(
  items: readonly CountItem[],
  codes: ReadonlyMap<string, ServiceCodeState>,
  departmentId: string,
): GateResult {
  const unknown: ItemProblem[] = [];
  const notAccepting: ItemProblem[] = [];
  const phaseOf = new Map<string, CountPhase>();
  items.forEach((item, index) => {
    const field = `counts[${index}].serviceCode`;
    const code = codes.get(item.serviceCode);
    if (!code || code.departmentId !== departmentId) {
      unknown.push(problem(index, field, 'Unknown service code', 'unknownServiceCode'));
      return;
    }
    if (code.status === 'retired') {
      notAccepting.push(
        problem(
          index,
          field,
          `This service was retired${code.retiredAt ? ` on ${istDateOf(new Date(code.retiredAt))}` : ''}: it takes no more counts`,
          'retired',
        ),
      );
      return;
    }
    const phase = phaseForStatus(code.status);
    if (!phase) {
      const message =
        code.status === 'rejected'
          ? 'The onboarding of this service was rejected; it takes no counts'
          : 'This service takes counts from SoP step 8 on (after the hand-over of its code)';
      notAccepting.push(problem(index, field, message, 'phase'));
      return;
    }
    phaseOf.set(item.serviceCode, phase);
  });
  return { unknown, notAccepting, phaseOf };
}

export function phaseForStatus(status: ServiceCodeState['status']): CountPhase | undefined {
  if (status === 'testing') return 'test';
  if (status === 'live') return 'live';
  return undefined;
}

/** One earlier value of a stored count. */
export interface CountRevision {
  readonly count: number;
  readonly phase: CountPhase;
  /** When this value was stored. */
  readonly updatedAt: string;
}

export interface StoredCount extends CountItem {
  readonly departmentId: string;
  readonly phase: CountPhase;
  /** When the current value was stored (the last push that sent it). */
  readonly updatedAt: string;
}

/** What a push stores: every item as the key's current value (replace semantics), no read first. */
export function toStoredCounts(
  items: readonly CountItem[],
  phaseOf: ReadonlyMap<string, CountPhase>,
  departmentId: string,
  now: Date,
): StoredCount[] {
  const updatedAt = now.toISOString();
  return items.map((item) => {
    const phase = phaseOf.get(item.serviceCode);
    if (!phase) throw new RangeError(`No phase for ${item.serviceCode}`);
    return { ...item, departmentId, phase, updatedAt };
  });
}

/**
 * The history entry a change of a stored count leaves: the replaced value, or undefined when the value and
 * phase stayed the same (a resend rewrites the item without adding a revision).
 */
export function replacedRevision(
  before: Pick<StoredCount, 'count' | 'phase' | 'updatedAt'> | undefined,
  after: Pick<StoredCount, 'count' | 'phase'> | undefined,
): CountRevision | undefined {
  if (!before || !after) return undefined;
  if (before.count === after.count && before.phase === after.phase) return undefined;
  return { count: before.count, phase: before.phase, updatedAt: before.updatedAt };
}

function checkCode(
  value: unknown,
  maxLength: number,
  required: boolean,
): { value?: string; message?: string } {
  if (value === undefined && !required) return {};
  if (typeof value !== 'string' || value.length === 0) return { message: 'Required: a non-empty string' };
  if (value.length > maxLength) return { message: `At most ${maxLength} characters` };
  if (!CODE_PATTERN.test(value)) return { message: 'Only letters, digits, ".", "-" and "_"' };
  return { value };
}

/** An unknown key is echoed in the error; a hostile one is cut short so the problem stays small. */
function safeFieldName(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}…` : key;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(
  index: number | undefined,
  field: string,
  message: string,
  reason: RejectionReason,
): ItemProblem {
  return { index, field, message, reason };
}

function fail(
  index: number | undefined,
  field: string,
  message: string,
  reason: RejectionReason,
): Checked<never> {
  return { ok: false, problems: [problem(index, field, message, reason)] };
}

/** Identity of a daily total: one stored item per key. */
function countKey(item: Pick<CountItem, 'serviceCode' | 'date' | 'locationCode'>): string {
  return `${item.serviceCode}#${item.date}#${item.locationCode}`;
}
