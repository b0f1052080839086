import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { zodIssuesToFieldErrors } from '../core/problem-fields';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { ConflictError, ValidationError } from '../shared/errors';
import { tableName } from '../shared/tables';
import {
  type Department,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
  type NewDepartment,
  newDepartmentSchema,
} from './department';
import { keyState } from './key-state';

/**
 * Departments table items:
 *   DEPTCODE#<CODE> / DEPTCODE  -> { departmentId }       claims the code (uniqueness)
 *   DEPT#<id>       / PROFILE   -> Department              the profile
 *   APIKEY#<sha256> / APIKEY    -> Department              the key, resolving to its department in one read
 */
export const codeKey = (code: string) => ({ pk: `DEPTCODE#${code}`, sk: 'DEPTCODE' });
export const profileKey = (departmentId: string) => ({ pk: `DEPT#${departmentId}`, sk: 'PROFILE' });
export const apiKeyKey = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' });

/**
 * Registers a department and issues its API key. The key is returned here once and never stored.
 * dynalite has no transactions, so the three items are written one by one with conditions, the code claim
 * first; if a later write fails the earlier ones are removed again so the code can be reused.
 */
export async function createDepartment(
  input: NewDepartment,
): Promise<{ department: Department; apiKey: string }> {
  const parsed = newDepartmentSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(zodIssuesToFieldErrors(parsed.error));
  const { code, name } = parsed.data;
  const department: Department = {
    departmentId: randomUUID(),
    code,
    name,
    createdAt: new Date().toISOString(),
  };
  const apiKey = generateApiKey();
  const TableName = tableName('departments');

  const codeClaimed = await writeIf(
    dynamo.send(
      new PutCommand({
        TableName,
        Item: { ...codeKey(code), departmentId: department.departmentId },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (!codeClaimed) {
    throw new ConflictError(`A department with code ${code} already exists.`, {
      problemType: 'duplicate-department-code',
      errors: [{ field: 'code', message: 'Already in use' }],
    });
  }

  const written = [codeKey(code)];
  try {
    for (const key of [profileKey(department.departmentId), apiKeyKey(hashApiKey(apiKey))]) {
      await dynamo.send(
        new PutCommand({
          TableName,
          Item: { ...key, ...department },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      written.push(key);
    }
  } catch (error) {
    await Promise.allSettled(written.map((Key) => dynamo.send(new DeleteCommand({ TableName, Key }))));
    throw error;
  }
  return { department, apiKey };
}

/** The department a working API key belongs to, or undefined; the key itself is only ever hashed. */
export async function authenticate(apiKey: string): Promise<Department | undefined> {
  if (!isWellFormedApiKey(apiKey)) return undefined;
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName('departments'), Key: apiKeyKey(hashApiKey(apiKey)) }),
  );
  // A rotated key works until its grace ends; a revoked one (or a deactivated department's) not at all.
  const state = Item ? keyState(Item, new Date()) : undefined;
  return Item && (state === 'active' || state === 'grace') ? toDepartment(Item) : undefined;
}

export async function getDepartment(departmentId: string): Promise<Department | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName('departments'), Key: profileKey(departmentId) }),
  );
  return Item ? toDepartment(Item) : undefined;
}

function toDepartment(item: Record<string, unknown>): Department {
  return {
    departmentId: String(item.departmentId),
    code: String(item.code),
    name: String(item.name),
    createdAt: String(item.createdAt),
  };
}
