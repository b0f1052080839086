import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashApiKey } from '../../lambdas/departments/department';
import { authenticate, createDepartment, getDepartment } from '../../lambdas/departments/repository';
import { dynamo } from '../../lambdas/shared/aws';
import { ConflictError, ValidationError } from '../../lambdas/shared/errors';
import { startDynalite, type TestDynamo } from '../support/dynamo';

let db: TestDynamo;
beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
});
afterAll(async () => db?.stop());

describe('createDepartment', () => {
  it('stores the profile and only the hash of the key it returns, which then authenticates', async () => {
    const { department, apiKey } = await createDepartment({ code: 'REV', name: 'Revenue Department' });

    expect(department).toMatchObject({ code: 'REV', name: 'Revenue Department' });
    expect(await authenticate(apiKey)).toEqual(department);
    expect(await getDepartment(department.departmentId)).toEqual(department);
    const { Items = [] } = await db.client.send(new ScanCommand({ TableName: db.tables.departments }));
    expect(JSON.stringify(Items)).not.toContain(apiKey);
    const keyItem = await db.client.send(
      new GetCommand({
        TableName: db.tables.departments,
        Key: { pk: `APIKEY#${hashApiKey(apiKey)}`, sk: 'APIKEY' },
      }),
    );
    expect(keyItem.Item?.departmentId).toBe(department.departmentId);
  });

  it('refuses a second department with the same code and leaves the first intact', async () => {
    const first = await createDepartment({ code: 'TRANSPORT', name: 'Transport Department' });

    const second = createDepartment({ code: 'TRANSPORT', name: 'Another Transport' });

    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ status: 409, errors: [{ field: 'code' }] });
    expect(await authenticate(first.apiKey)).toEqual(first.department);
    const { Items = [] } = await db.client.send(new ScanCommand({ TableName: db.tables.departments }));
    expect(Items.filter((item) => item.code === 'TRANSPORT' && item.sk === 'PROFILE')).toHaveLength(1);
  });

  it('rejects an invalid code or name naming the field, writing nothing', async () => {
    const before = await db.client.send(new ScanCommand({ TableName: db.tables.departments }));

    await expect(createDepartment({ code: 'health', name: 'Health' })).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'code' }],
    });
    await expect(createDepartment({ code: 'HEALTH', name: '' })).rejects.toBeInstanceOf(ValidationError);

    const after = await db.client.send(new ScanCommand({ TableName: db.tables.departments }));
    expect(after.Count).toBe(before.Count);
  });

  it('releases the code again when a later write fails, so the admin can simply retry', async () => {
    const send = dynamo.send.bind(dynamo);
    const failing = vi.spyOn(dynamo, 'send').mockImplementation((async (command: {
      input: { Item?: { pk?: string } };
    }) => {
      if (command.input.Item?.pk?.startsWith('APIKEY#')) throw new Error('throttled');
      return send(command as never);
    }) as never);

    await expect(createDepartment({ code: 'EDU', name: 'Education' })).rejects.toThrow('throttled');
    failing.mockRestore();

    const { Items = [] } = await db.client.send(new ScanCommand({ TableName: db.tables.departments }));
    expect(Items.filter((item) => item.code === 'EDU' || item.pk === 'DEPTCODE#EDU')).toEqual([]);
    const retried = await createDepartment({ code: 'EDU', name: 'Education' });
    expect(await authenticate(retried.apiKey)).toEqual(retried.department);
  });
});

describe('authenticate', () => {
  it('answers undefined for unknown and malformed keys', async () => {
    expect(await authenticate(`etd_${'Z'.repeat(43)}`)).toBeUndefined();
    expect(await authenticate('not-a-key')).toBeUndefined();
  });
});
