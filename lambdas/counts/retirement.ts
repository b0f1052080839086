import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { istDateOf } from '../core/calendar';
import { formatDayNumber, requireIsoDate } from '../core/iso-date';
import { parseServiceCode } from '../core/service-code';
import type { Actor, ServiceCodeStatus } from '../core/workflow';
import { scanAllItems } from '../shared/all-items';
import { putAuditEntry } from '../shared/audit-log';
import { dynamo } from '../shared/aws';
import { conditionalWrite, inList } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import { type ServiceCodeRecord, serviceCodeKey } from './repository';

/**
 * Retiring a service (an admin's `services retire`): its Government Service Code takes no more counts
 * (PUT /v1/counts answers 409 `service-retired`) and it leaves the connector's answer from the next IST
 * day; the counts it already has (its history) are kept and answered for the days before. Phase first:
 * the code's status becomes `retired` (what the counts API reads) before the connector's list of retired
 * services (RETIRED / SERVICES: code -> first IST date without it, one small item the connector reads per
 * request) names it. Audited under the code's partition (CODE#<code> / AUDIT#<iso>#<uuid>) with the
 * admin's identity.
 */
const retiredListKey = { pk: 'RETIRED', sk: 'SERVICES' };

export class RetirementRefused extends Error {}

/** Statuses a service can be retired from: issued (never used), testing, or live. */
const RETIRABLE: readonly ServiceCodeStatus[] = ['issued', 'testing', 'live'];

export interface ServiceRow {
  readonly serviceCode: string;
  readonly department: string;
  readonly serviceName?: string;
  readonly status: ServiceCodeStatus;
  readonly category?: string;
  readonly onboardingId: string;
  readonly issuedAt?: string;
  readonly retiredAt?: string;
  /** The first IST date the connector no longer answers for the service. */
  readonly leavesConnectorOn?: string;
  readonly retirementReason?: string;
}

/** The IST date after `at`: from then on the service is absent from the connector's answer. */
export function leavesConnectorOn(at: Date): string {
  return formatDayNumber(requireIsoDate(istDateOf(at)) + 1);
}

function toRow(item: Record<string, unknown>): ServiceRow {
  const code = String(item.serviceCode);
  const retirement = item.retirement as { reason?: string } | undefined;
  return {
    serviceCode: code,
    department: parseServiceCode(code)?.departmentCode ?? '',
    ...(item.serviceName ? { serviceName: String(item.serviceName) } : {}),
    status: item.status as ServiceCodeStatus,
    ...(item.category ? { category: String(item.category) } : {}),
    onboardingId: String(item.onboardingId),
    ...(item.issuedAt ? { issuedAt: String(item.issuedAt) } : {}),
    ...(item.retiredAt
      ? { retiredAt: String(item.retiredAt), leavesConnectorOn: String(item.leavesConnectorOn) }
      : {}),
    ...(retirement?.reason ? { retirementReason: retirement.reason } : {}),
  };
}

/** Every service code (a scan of SERVICE items: thousands at most), by code. */
export async function listServices(filter: {
  department?: string;
  status?: ServiceCodeStatus;
}): Promise<ServiceRow[]> {
  const items = await scanAllItems({
    TableName: tableName('serviceCodes'),
    FilterExpression: 'sk = :service',
    ExpressionAttributeValues: { ':service': 'SERVICE' },
  });
  return items
    .map(toRow)
    .filter(
      (r) =>
        (filter.department === undefined || r.department === filter.department) &&
        (filter.status === undefined || r.status === filter.status),
    )
    .sort((a, b) => a.serviceCode.localeCompare(b.serviceCode));
}

export async function retireService(
  serviceCode: string,
  input: { reason: string; by: Actor },
  now = new Date(),
): Promise<ServiceRow> {
  const reason = input.reason.trim();
  if (reason.length < 3 || reason.length > 1000)
    throw new RetirementRefused('--reason must say why, in 3 to 1000 characters');
  if (!parseServiceCode(serviceCode))
    throw new RetirementRefused(`--code: ${serviceCode} is not a Government Service Code (DL-<DEPT>-<NNNN>)`);
  const at = now.toISOString();
  const leaves = leavesConnectorOn(now);
  const retirable = inList(RETIRABLE, 's');
  const retired = await conditionalWrite(
    dynamo.send(
      new UpdateCommand({
        TableName: tableName('serviceCodes'),
        Key: serviceCodeKey(serviceCode),
        UpdateExpression:
          'SET #status = :retired, retiredAt = :at, leavesConnectorOn = :leaves, retirement = :retirement, updatedAt = :at',
        ConditionExpression: `attribute_exists(pk) AND #status IN ${retirable.expression}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':retired': 'retired' satisfies ServiceCodeStatus,
          ':at': at,
          ':leaves': leaves,
          ':retirement': { reason, by: input.by },
          ...retirable.values,
        },
        ReturnValues: 'ALL_OLD',
      }),
    ),
  );
  if (!retired) {
    const [current] = (await listServices({})).filter((r) => r.serviceCode === serviceCode);
    // A retirement whose listing for the connector was cut short is completed by retiring it again.
    if (current?.status === 'retired' && current.leavesConnectorOn) {
      await listRetired(serviceCode, current.leavesConnectorOn);
    }
    throw new RetirementRefused(
      current
        ? `${serviceCode} is ${current.status}: only an issued, testing or live service can be retired`
        : `No service has the code ${serviceCode}`,
    );
  }
  const before = retired.Attributes as ServiceCodeRecord;
  await listRetired(serviceCode, leaves);
  await putAuditEntry(
    'serviceCodes',
    serviceCodeKey(serviceCode).pk,
    { type: 'service.retired', by: input.by, reason, previousStatus: before.status },
    { at },
  );
  return toRow({
    ...before,
    status: 'retired',
    retiredAt: at,
    leavesConnectorOn: leaves,
    retirement: { reason },
  });
}

/** Names a retired service on the connector's list (idempotent: the same date each time). */
async function listRetired(serviceCode: string, leaves: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName('serviceCodes'),
      Key: retiredListKey,
      UpdateExpression: 'SET leavesConnectorOn = if_not_exists(leavesConnectorOn, :empty)',
      ExpressionAttributeValues: { ':empty': {} },
    }),
  );
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName('serviceCodes'),
      Key: retiredListKey,
      UpdateExpression: 'SET leavesConnectorOn.#code = :leaves',
      ExpressionAttributeNames: { '#code': serviceCode },
      ExpressionAttributeValues: { ':leaves': leaves },
    }),
  );
}

/** Retired services and the first IST date the connector leaves each out (read once per connector answer). */
export async function retiredServices(): Promise<ReadonlyMap<string, string>> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName('serviceCodes'), Key: retiredListKey, ConsistentRead: true }),
  );
  return new Map(Object.entries((Item?.leavesConnectorOn ?? {}) as Record<string, string>));
}

/** Whether the connector still answers a service's count of `date` (YYYY-MM-DD). */
export function answeredOn(date: string, serviceCode: string, retired: ReadonlyMap<string, string>): boolean {
  const from = retired.get(serviceCode);
  return from === undefined || date < from;
}
