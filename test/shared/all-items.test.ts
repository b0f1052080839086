import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAllItems, scanAllItems } from '../../lambdas/shared/all-items';
import { dynamo } from '../../lambdas/shared/aws';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/** Every page of a read, on dynalite: small pages (Limit) stand in for DynamoDB's 1 MB pages. */
let db: TestDynamo;
const requests: string[] = [];

beforeAll(async () => {
  db = await startDynalite();
  db.applyEnv();
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countAllItemsRequests' },
  );
  const item = (pk: string, sk: string) => ({ PutRequest: { Item: { pk, sk, kind: sk.slice(0, 4) } } });
  await db.client.send(
    new BatchWriteCommand({
      RequestItems: {
        [db.tables.config]: [
          ...['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7'].map((sk) => item('PAGED', `KEEP${sk}`)),
          item('PAGED', 'SKIP1'),
          item('PAGED', 'SKIP2'),
          item('OTHER', 'KEEPB1'),
        ],
      },
    }),
  );
});
afterAll(async () => db?.stop());

describe('queryAllItems', () => {
  it('reads every page of a partition, in key order, and leaves the input as it was', async () => {
    const input = {
      TableName: db.tables.config,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keep)',
      ExpressionAttributeValues: { ':pk': 'PAGED', ':keep': 'KEEP' },
      Limit: 2,
    };
    requests.length = 0;

    const items = await queryAllItems(input);

    expect(items.map((i) => i.sk)).toEqual([
      'KEEPA1',
      'KEEPA2',
      'KEEPA3',
      'KEEPA4',
      'KEEPA5',
      'KEEPA6',
      'KEEPA7',
    ]);
    // Pages of 2, 2, 2 and 1: the paginator stopped where DynamoDB gave no LastEvaluatedKey.
    expect(requests).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']);
    expect(input).not.toHaveProperty('ExclusiveStartKey');
  });

  it('answers an empty list for a partition with no items', async () => {
    const items = await queryAllItems({
      TableName: db.tables.config,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'NOTHING' },
    });

    expect(items).toEqual([]);
  });
});

describe('scanAllItems', () => {
  it('goes on past pages the filter emptied, to the end of the table', async () => {
    requests.length = 0;

    const items = await scanAllItems({
      TableName: db.tables.config,
      FilterExpression: 'kind = :skip',
      ExpressionAttributeValues: { ':skip': 'SKIP' },
      Limit: 2,
    });

    expect(items.map((i) => i.sk).sort()).toEqual(['SKIP1', 'SKIP2']);
    // Ten items two at a time: five pages, most of them empty after the filter, and the last one's key.
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(new Set(requests)).toEqual(new Set(['ScanCommand']));
  });
});
