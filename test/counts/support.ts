import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { istDateOf } from '../../lambdas/core/calendar';
import { formatDayNumber, requireIsoDate } from '../../lambdas/core/iso-date';
import type { TestCountsArrived } from '../../lambdas/counts/ports';
import { apiEvent, lambdaContext } from '../support/api-event';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/** Helpers shared by the count, connector and report tests: fixtures per the ServiceCodes contract. */

export type Handler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<{
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  body: string;
}>;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  json: Record<string, unknown> & { errors?: { field: string; message: string; index?: number }[] };
  text: string;
}

/** A workflow that takes note of nothing: for tests that do not look at step 8. */
export const workflowIgnoringTestCounts: TestCountsArrived = { testCountsArrived: async () => {} };

/**
 * The PUT /v1/counts handler wired with the given workflow. Imported after the test set its environment:
 * the handler's clients read it at import.
 */
export async function pushHandler(workflow = workflowIgnoringTestCounts): Promise<Handler> {
  const { pushCountsHandler } = await import('../../lambdas/counts/push');
  return pushCountsHandler(workflow) as Handler;
}

export async function call(handler: Handler, event: APIGatewayProxyEvent): Promise<Answer> {
  const result = await handler(event, lambdaContext('PushCounts'));
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(result.body);
  } catch {
    // not JSON (XML answers)
  }
  return { status: result.statusCode, headers, json, text: result.body };
}

export function putEvent(
  apiKey: string | undefined,
  body: unknown,
  options: { headers?: Record<string, string>; raw?: boolean } = {},
): APIGatewayProxyEvent {
  return apiEvent({
    method: 'PUT',
    path: '/v1/counts',
    resource: '/v1/counts',
    headers: {
      'Content-Type': 'application/json',
      ...(apiKey ? { 'x-api-key': apiKey } : {}),
      ...options.headers,
    },
    body: options.raw ? (body as string) : JSON.stringify(body),
  });
}

export function getEvent(apiKey: string, query: Record<string, string>): APIGatewayProxyEvent {
  return apiEvent({
    method: 'GET',
    path: '/v1/counts',
    resource: '/v1/counts',
    headers: { 'x-api-key': apiKey },
    query,
  });
}

/** Today in IST, and n days before it, as YYYY-MM-DD. */
export function istDay(daysAgo = 0): string {
  return formatDayNumber(requireIsoDate(istDateOf(new Date())) - daysAgo);
}

export type CodeStatus = 'issued' | 'testing' | 'live' | 'rejected' | 'retired';

/** A ServiceCodes item as the onboarding workflow writes it. */
export async function putServiceCode(
  db: Pick<TestDynamo, 'client' | 'tables'>,
  code: {
    serviceCode: string;
    departmentId: string;
    onboardingId: string;
    status: CodeStatus;
    category?: string;
  },
): Promise<void> {
  const now = new Date().toISOString();
  await db.client.send(
    new PutCommand({
      TableName: db.tables.serviceCodes,
      Item: {
        pk: `CODE#${code.serviceCode}`,
        sk: 'SERVICE',
        serviceCode: code.serviceCode,
        departmentId: code.departmentId,
        onboardingId: code.onboardingId,
        serviceName: `Service ${code.serviceCode}`,
        category: code.category ?? 'G2C',
        deliveryMode: 'Online',
        missionModeProject: false,
        status: code.status,
        issuedAt: now,
        updatedAt: now,
        gsi1pk: `DEPT#${code.departmentId}`,
        gsi1sk: `CODE#${code.serviceCode}`,
      },
    }),
  );
}

/** Every count item (the daily totals; the corrections log's revision items left out). */
export async function allCountItems(db: TestDynamo): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.client.send(
      new ScanCommand({ TableName: db.tables.counts, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.filter((item) => String(item.sk).startsWith('DAY#'));
}

/** A service's count items (without its revision items). */
export async function countsOfCode(db: TestDynamo, serviceCode: string): Promise<Record<string, unknown>[]> {
  const page = await db.client.send(
    new QueryCommand({
      TableName: db.tables.counts,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
      ExpressionAttributeValues: { ':pk': `CODE#${serviceCode}`, ':day': 'DAY#' },
    }),
  );
  return page.Items ?? [];
}

/**
 * A dynalite (with the Counts stream when asked), the push handler on it, one department and its services:
 * the first live, the others in testing. Rate limits are lifted.
 */
export async function startPushFixture(
  serviceCodes: readonly string[],
  options: { streams: boolean },
): Promise<{ db: TestDynamo; push: Handler; apiKey: string }> {
  const db = await startDynalite({ streams: options.streams });
  db.applyEnv();
  process.env.COUNTS_REQUESTS_PER_MINUTE = '100000';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const push = await pushHandler();
  const { createDepartment } = await import('../../lambdas/departments/repository');
  const created = await createDepartment({ code: 'EDU', name: 'Education' });
  for (const [index, serviceCode] of serviceCodes.entries()) {
    await putServiceCode(db, {
      serviceCode,
      departmentId: created.department.departmentId,
      onboardingId: `o${index + 1}`,
      status: index === 0 ? 'live' : 'testing',
    });
  }
  return { db, push, apiKey: created.apiKey };
}
