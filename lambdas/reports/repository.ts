import { batchGet, unavailableOnFailure } from '../counts/batch';
import { profileKey } from '../departments/repository';
import { scanAllItems } from '../shared/all-items';
import { tableName } from '../shared/tables';
import type { DepartmentInfo, ServiceInfo } from './aggregate';

/** Reads of services and departments for the DeGS reports (the figures come from ./aggregates-repository.ts). */

/** Every live service. A scan: the ServiceCodes table holds one small item per service of the state. */
export async function liveServices(): Promise<ServiceInfo[]> {
  const items = await unavailableOnFailure(() =>
    scanAllItems({
      TableName: tableName('serviceCodes'),
      FilterExpression: 'sk = :service AND #status = :live',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':service': 'SERVICE', ':live': 'live' },
    }),
  );
  return items.map(toServiceInfo);
}

export async function departmentsById(departmentIds: Iterable<string>): Promise<Map<string, DepartmentInfo>> {
  const keys = [...new Set(departmentIds)].map(profileKey);
  const items = await batchGet(tableName('departments'), keys, false);
  return new Map(
    items.map((item) => [
      String(item.departmentId),
      { departmentId: String(item.departmentId), code: String(item.code), name: String(item.name) },
    ]),
  );
}

function toServiceInfo(item: Record<string, unknown>): ServiceInfo {
  return {
    serviceCode: String(item.serviceCode),
    departmentId: String(item.departmentId),
    ...(typeof item.serviceName === 'string' ? { serviceName: item.serviceName } : {}),
    ...(typeof item.category === 'string' ? { category: item.category } : {}),
  };
}
