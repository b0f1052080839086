import { getContacts } from '../config/repository';
import { queryAllItems } from '../shared/all-items';
import { tableName } from '../shared/tables';
import type { KitContact, KitService } from './kit';

/** What the kit shows: the department's Government Service Codes (byDepartment index) and the help contact. */
export async function departmentServiceCodes(departmentId: string): Promise<KitService[]> {
  const items = await queryAllItems({
    TableName: tableName('serviceCodes'),
    IndexName: 'byDepartment',
    KeyConditionExpression: 'gsi1pk = :dept',
    ExpressionAttributeValues: { ':dept': `DEPT#${departmentId}` },
  });
  return items.map((item) => ({
    serviceName: String(item.serviceName),
    serviceCode: String(item.serviceCode),
    status: String(item.status),
  }));
}

export async function integrationContact(): Promise<KitContact | undefined> {
  const contacts = await getContacts('degsTechnical');
  return contacts
    ? { name: contacts.name, emails: contacts.emails, ...(contacts.phone ? { phone: contacts.phone } : {}) }
    : undefined;
}
