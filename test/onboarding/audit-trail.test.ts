import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../lambdas/onboarding/admin/store';
import { appendAudit } from '../../lambdas/onboarding/audit';
import { startDynalite, type TestDynamo } from '../support/dynamo';

let db: TestDynamo;

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
});
afterAll(async () => db?.stop());

describe('an onboarding’s audit trail', () => {
  it('keeps entries written under the older names as they are, and reads them under today’s', async () => {
    const onboardingId = 'onb-audit-history';
    // An entry an earlier version wrote: history, never rewritten.
    await db.client.send(
      new PutCommand({
        TableName: db.tables.onboardings,
        Item: {
          pk: `ONB#${onboardingId}`,
          sk: 'AUDIT#2025-01-02T03:04:05.000Z#legacy',
          onboardingId,
          at: '2025-01-02T03:04:05.000Z',
          type: 'STEP_STARTED',
          step: 1,
          role: 'department',
          detail: { phase: 'templates', dueAt: '2025-01-09T12:30:00.000Z' },
        },
      }),
    );
    await appendAudit(onboardingId, {
      type: 'step.completed',
      step: 1,
      role: 'system',
      detail: { emailed: 2 },
    });

    const stored = await db.client.send(
      new QueryCommand({
        TableName: db.tables.onboardings,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ONB#${onboardingId}` },
      }),
    );
    expect(stored.Items?.map((item) => item.type)).toEqual(['STEP_STARTED', 'step.completed']);
    expect(stored.Items?.[1]).toMatchObject({
      sk: expect.stringMatching(/^AUDIT#\d{4}-\d\d-\d\dT[\d:.]+Z#[0-9a-f-]{36}$/),
      onboardingId,
      at: expect.any(String),
      step: 1,
      role: 'system',
      detail: { emailed: 2 },
    });

    const read = await listAudit(onboardingId);
    expect(read.map((entry) => entry.type)).toEqual(['step.started', 'step.completed']);
    expect(read[0]).toMatchObject({ step: 1, role: 'department', detail: { phase: 'templates' } });
  });
});
