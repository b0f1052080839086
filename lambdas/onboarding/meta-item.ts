import {
  GetCommand,
  type GetCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws';
import { tableName } from '../shared/tables';
import { metaKey } from './keys';

/**
 * The onboarding's META item (see ./repository.ts), read and updated by the modules that keep its parts:
 * the record itself, a step's progress, the templates' pointer, the people, the recovery state.
 */

/** META as stored (consistent read), or only the named attributes of it. */
export async function readMeta(onboardingId: string, projection?: string): Promise<GetCommandOutput['Item']> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName('onboardings'),
      Key: metaKey(onboardingId),
      ConsistentRead: true,
      ...(projection ? { ProjectionExpression: projection } : {}),
    }),
  );
  return Item;
}

/** One UpdateItem of META; its condition (with `writeIf`) makes a retried or raced update harmless. */
export function updateMeta(
  onboardingId: string,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
): Promise<UpdateCommandOutput> {
  return dynamo.send(
    new UpdateCommand({ TableName: tableName('onboardings'), Key: metaKey(onboardingId), ...update }),
  );
}
