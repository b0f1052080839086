import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DepartmentAuditEvent } from '../core/audit-events';
import type { Actor } from '../core/workflow';
import { scanAllItems } from '../shared/all-items';
import { putAuditEntry } from '../shared/audit-log';
import { dynamo } from '../shared/aws';
import { writeIf } from '../shared/conditional-write';
import { tableName } from '../shared/tables';
import { type Department, generateApiKey, hashApiKey } from './department';
import { type KeyState, keyState } from './key-state';
import { apiKeyKey, codeKey, profileKey } from './repository';

/**
 * A department's API keys over their life, for the admin CLI (`departments keys rotate|revoke`,
 * `departments deactivate`). Each key is its APIKEY#<sha256> item (./repository.ts); a rotated key gets
 * `graceUntil` and keeps working until then, a revoked key gets `revokedAt` and stops at once (401). A
 * deactivated department has every key revoked and cannot get a new one. Each change is audited on the
 * department (DEPT#<id> / AUDIT#<iso>#<uuid>) with the admin's identity; keys are never shown but once.
 */

export class KeyActionRefused extends Error {}

interface KeyItem {
  readonly hash: string;
  readonly createdAt?: string;
  readonly graceUntil?: string;
  readonly revokedAt?: string;
}

const table = () => tableName('departments');

export async function departmentByCode(code: string): Promise<Department & { deactivatedAt?: string }> {
  const { Item: claim } = await dynamo.send(new GetCommand({ TableName: table(), Key: codeKey(code) }));
  if (!claim) throw new KeyActionRefused(`No department has the code ${code}`);
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table(), Key: profileKey(String(claim.departmentId)), ConsistentRead: true }),
  );
  if (!Item) throw new KeyActionRefused(`Department ${code} has no profile`);
  return Item as unknown as Department & { deactivatedAt?: string };
}

/** The department's key items (a scan: the table holds a few items per department). */
async function keysOf(departmentId: string): Promise<KeyItem[]> {
  const items = await scanAllItems({
    TableName: table(),
    FilterExpression: 'sk = :apikey AND departmentId = :id',
    ExpressionAttributeValues: { ':apikey': 'APIKEY', ':id': departmentId },
  });
  return items.map((item) => ({
    hash: String(item.pk).slice('APIKEY#'.length),
    ...(item.createdAt ? { createdAt: String(item.keyCreatedAt ?? item.createdAt) } : {}),
    ...(item.graceUntil ? { graceUntil: String(item.graceUntil) } : {}),
    ...(item.revokedAt ? { revokedAt: String(item.revokedAt) } : {}),
  }));
}

const audit = (departmentId: string, entry: DepartmentAuditEvent) =>
  putAuditEntry('departments', `DEPT#${departmentId}`, entry);

/** Sets an attribute on a key item unless it is revoked already (a revoked key never comes back). */
async function markKey(hash: string, attribute: 'graceUntil' | 'revokedAt', value: string): Promise<boolean> {
  return writeIf(
    dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: apiKeyKey(hash),
        UpdateExpression: `SET ${attribute} = :value`,
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(revokedAt)${
          attribute === 'graceUntil' ? ' AND (attribute_not_exists(graceUntil) OR graceUntil > :value)' : ''
        }`,
        ExpressionAttributeValues: { ':value': value },
      }),
    ),
  );
}

export interface DepartmentSummary {
  readonly departmentId: string;
  readonly code: string;
  readonly name: string;
  readonly createdAt: string;
  readonly status: 'active' | 'deactivated';
  readonly deactivatedAt?: string;
  readonly keys: Readonly<Record<KeyState, number>>;
  /** The latest end of a grace period still running. */
  readonly graceUntil?: string;
}

export async function listDepartments(now = new Date()): Promise<DepartmentSummary[]> {
  const profiles: Record<string, unknown>[] = [];
  const keys = new Map<string, KeyItem[]>();
  for (const item of await scanAllItems({ TableName: table() })) {
    if (item.sk === 'PROFILE') profiles.push(item);
    if (item.sk === 'APIKEY') {
      const list = keys.get(String(item.departmentId)) ?? [];
      list.push({
        hash: '',
        ...(item.graceUntil ? { graceUntil: String(item.graceUntil) } : {}),
        ...(item.revokedAt ? { revokedAt: String(item.revokedAt) } : {}),
      });
      keys.set(String(item.departmentId), list);
    }
  }
  return profiles
    .map((p) => {
      const own = keys.get(String(p.departmentId)) ?? [];
      const counts: Record<KeyState, number> = { active: 0, grace: 0, expired: 0, revoked: 0 };
      for (const key of own) counts[keyState(key, now)]++;
      const grace = own
        .filter((k) => keyState(k, now) === 'grace')
        .map((k) => k.graceUntil as string)
        .sort()
        .at(-1);
      return {
        departmentId: String(p.departmentId),
        code: String(p.code),
        name: String(p.name),
        createdAt: String(p.createdAt),
        status: p.deactivatedAt ? ('deactivated' as const) : ('active' as const),
        ...(p.deactivatedAt ? { deactivatedAt: String(p.deactivatedAt) } : {}),
        keys: counts,
        ...(grace ? { graceUntil: grace } : {}),
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Issues a new key and puts every working key of the department on `graceMs` of grace: they keep working
 * until then (the department deploys the new key meanwhile), then answer 401. The new key is returned
 * once and only its hash is stored.
 */
export async function rotateKey(
  code: string,
  input: { graceMs: number; by: Actor },
  now = new Date(),
): Promise<{ departmentId: string; code: string; apiKey: string; oldKeysWorkUntil?: string }> {
  const department = await departmentByCode(code);
  if (department.deactivatedAt)
    throw new KeyActionRefused(`Department ${code} is deactivated: it gets no key`);
  const working = (await keysOf(department.departmentId)).filter((k) => keyState(k, now) !== 'revoked');
  const apiKey = generateApiKey();
  const hash = hashApiKey(apiKey);
  await dynamo.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...apiKeyKey(hash),
        departmentId: department.departmentId,
        code: department.code,
        name: department.name,
        createdAt: department.createdAt,
        keyCreatedAt: now.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  const graceUntil = new Date(now.getTime() + input.graceMs).toISOString();
  let graced = 0;
  for (const key of working) if (await markKey(key.hash, 'graceUntil', graceUntil)) graced++;
  await audit(department.departmentId, {
    type: 'api-key.rotated',
    by: input.by,
    graceUntil,
    keysOnGrace: graced,
  });
  return {
    departmentId: department.departmentId,
    code: department.code,
    apiKey,
    ...(graced > 0 ? { oldKeysWorkUntil: graceUntil } : {}),
  };
}

/** Revokes every key of the department at once (a leaked key): each answers 401 from now on. */
export async function revokeKeys(
  code: string,
  input: { by: Actor; reason?: string },
  now = new Date(),
): Promise<{ departmentId: string; code: string; revoked: number }> {
  const department = await departmentByCode(code);
  let revoked = 0;
  for (const key of await keysOf(department.departmentId)) {
    if (await markKey(key.hash, 'revokedAt', now.toISOString())) revoked++;
  }
  await audit(department.departmentId, {
    type: 'api-keys.revoked',
    by: input.by,
    revoked,
    ...(input.reason ? { reason: input.reason } : {}),
  });
  return { departmentId: department.departmentId, code: department.code, revoked };
}

/**
 * Deactivates a department: every key revoked (its API calls answer 401) and no new key can be issued.
 * Its onboardings and services are left as they are (cancel or retire them separately); its counts stay.
 */
export async function deactivateDepartment(
  code: string,
  input: { by: Actor; reason: string },
  now = new Date(),
): Promise<{ departmentId: string; code: string; deactivatedAt: string; keysRevoked: number }> {
  const department = await departmentByCode(code);
  if (department.deactivatedAt) throw new KeyActionRefused(`Department ${code} is deactivated already`);
  const at = now.toISOString();
  await dynamo.send(
    new UpdateCommand({
      TableName: table(),
      Key: profileKey(department.departmentId),
      UpdateExpression: 'SET deactivatedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deactivatedAt)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
  let revoked = 0;
  for (const key of await keysOf(department.departmentId)) {
    if (await markKey(key.hash, 'revokedAt', at)) revoked++;
  }
  await audit(department.departmentId, {
    type: 'department.deactivated',
    by: input.by,
    reason: input.reason,
    keysRevoked: revoked,
  });
  return {
    departmentId: department.departmentId,
    code: department.code,
    deactivatedAt: at,
    keysRevoked: revoked,
  };
}
