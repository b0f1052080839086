import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StepNumber } from '../core/sop';
import type { WaitPhase } from '../core/workflow';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import { type WaitKind, waitKey } from './keys';
import { readMeta, updateMeta } from './meta-item';

/**
 * The task tokens of the waits that the API or the counts signal resume (items WAIT#TEMPLATES and
 * WAIT#SIGNAL, see ./repository.ts), and the note that test counts arrived, which a step-8 wait set up
 * after them reads. A token is claimed (deleted) by whoever resumes its wait, so only one can.
 */

const table = () => tableName('onboardings');

/** A stored wait: the token that resumes it, and which wait it is. */
export interface WaitToken {
  readonly taskToken: string;
  readonly step: StepNumber;
  readonly phase: WaitPhase;
}

const tokenItem = (onboardingId: string, kind: WaitKind, value: WaitToken) => ({
  ...waitKey(onboardingId, kind),
  ...value,
  createdAt: new Date().toISOString(),
});

export async function putWaitToken(onboardingId: string, kind: WaitKind, value: WaitToken): Promise<void> {
  await dynamo.send(new PutCommand({ TableName: table(), Item: tokenItem(onboardingId, kind, value) }));
}

/** Takes the token (deletes it atomically): only one caller can resume a given wait. */
export async function claimWaitToken(onboardingId: string, kind: WaitKind): Promise<WaitToken | undefined> {
  const { Attributes } = await dynamo.send(
    new DeleteCommand({ TableName: table(), Key: waitKey(onboardingId, kind), ReturnValues: 'ALL_OLD' }),
  );
  return Attributes ? (Attributes as WaitToken) : undefined;
}

/** Puts a claimed token back (the resume failed for a transient reason), unless a newer one exists. */
export async function restoreWaitToken(
  onboardingId: string,
  kind: WaitKind,
  value: WaitToken,
): Promise<void> {
  await writeIf(
    dynamo.send(
      new PutCommand({
        TableName: table(),
        Item: tokenItem(onboardingId, kind, value),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/**
 * Notes (once) that test counts of the onboarding arrived, so a step-8 wait set up after them still
 * learns of them (see integration-signal.ts). Answers whether this call set it.
 */
export async function markTestCountsReceived(onboardingId: string, at: string): Promise<boolean> {
  return writeIf(
    updateMeta(onboardingId, {
      UpdateExpression: 'SET testCountsReceivedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(testCountsReceivedAt)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

export async function testCountsReceivedAt(onboardingId: string): Promise<string | undefined> {
  const item = await readMeta(onboardingId, 'testCountsReceivedAt');
  return typeof item?.testCountsReceivedAt === 'string' ? item.testCountsReceivedAt : undefined;
}

export async function peekWaitToken(onboardingId: string, kind: WaitKind): Promise<boolean> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table(), Key: waitKey(onboardingId, kind), ConsistentRead: true }),
  );
  return Item !== undefined;
}
