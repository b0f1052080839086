import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getContacts } from '../config/repository';
import { dynamo } from '../shared/aws';
import { tableName } from '../shared/tables';
import type { KitContact, KitService } from './kit';

/** What the kit shows: the department's Government Service Codes (byDepartment index) and the help contact. */
export async function departmentServiceCodes(departmentId: string): Promise<KitService[]> {
  const services: KitService[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: tableName('serviceCodes'),
        IndexName: 'byDepartment',
        KeyConditionExpression: 'gsi1pk = :dept',
        ExpressionAttributeValues: { ':dept': `DEPT#${departmentId}` },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      services.push({
        serviceName: String(item.serviceName),
        serviceCode: String(item.serviceCode),
        status: String(item.status),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return services;
}

export async function integrationContact(): Promise<KitContact | undefined> {
  const contacts = await getContacts('degsTechnical');
  return contacts
    ? { name: contacts.name, emails: contacts.emails, ...(contacts.phone ? { phone: contacts.phone } : {}) }
    : undefined;
}
