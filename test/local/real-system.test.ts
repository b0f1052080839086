import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../lambdas/functions';
import { withLocalSystem } from '../support/local-system';

/** The system as `npm start` runs it: every FunctionSpec's handler and the real onboarding ASL. */
describe('the local system with the real handlers and workflow', () => {
  const local = withLocalSystem();

  it('loads every function and the onboarding state machine', async () => {
    expect(local.system.functions.loadErrors).toEqual([]);
    expect(local.system.functions.ids).toEqual(FUNCTIONS.map((f) => f.id));
    expect(local.system.stepFunctions).not.toBeNull();
    const { executions } = await local
      .sfn()
      .send(new ListExecutionsCommand({ stateMachineArn: local.system.stateMachineArn }));
    expect(executions).toEqual([]);
  });

  it('answers /health through API Gateway and the health handler', async () => {
    const response = await local.api('/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('starts with empty tables and an empty mailbox', async () => {
    const { Items } = await local
      .dynamo()
      .send(new ScanCommand({ TableName: local.system.tables.onboardings }));

    expect(Items).toEqual([]);
    expect(await local.emails()).toEqual([]);
  });
});
