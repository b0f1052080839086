import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { zodIssuesToFieldErrors } from '../core/problem-fields';
import { pinnedAuthorityViolation } from '../core/separation-of-duties';
import { invisibleTextMessage, isEmptyOrVisible } from '../core/text-hygiene';
import * as z from '../core/zod';
import { putAuditEntry } from '../shared/audit-log';
import { dynamo } from '../shared/aws';
import { ValidationError } from '../shared/errors';
import { tableName } from '../shared/tables';
import { departmentCodeSchema } from './department';
import { codeKey } from './repository';

/**
 * The competent authority (Head of Department) an administrator pinned on a department's profile:
 *   DEPT#<id> / AUTHORITY            -> { email, name, pinnedAt, pinnedBy }
 *   DEPT#<id> / AUDIT#<iso>#<uuid>   -> who pinned which address, replacing which
 * When one is pinned, an onboarding may only route its sign-off to that address.
 */
const authorityKey = (departmentId: string) => ({ pk: `DEPT#${departmentId}`, sk: 'AUTHORITY' });

export interface PinnedAuthority {
  readonly email: string;
  readonly name: string;
  readonly pinnedAt: string;
  readonly pinnedBy: string;
}

const pinSchema = z.object({
  code: departmentCodeSchema,
  email: z.email('Must be an email address').check(z.maxLength(254, 'Use at most 254 characters')),
  name: z.string().check(
    z.trim(),
    z.minLength(1, 'Must not be empty'),
    z.maxLength(200, 'Use at most 200 characters'),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    z.regex(/^[^\u0000-\u001f\u007f]*$/, 'Must not contain control characters'),
    z.refine(isEmptyOrVisible, invisibleTextMessage('Name')),
  ),
});

export async function getPinnedAuthority(departmentId: string): Promise<PinnedAuthority | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName('departments'),
      Key: authorityKey(departmentId),
      ConsistentRead: true,
    }),
  );
  return Item
    ? {
        email: String(Item.email),
        name: String(Item.name),
        pinnedAt: String(Item.pinnedAt),
        pinnedBy: String(Item.pinnedBy),
      }
    : undefined;
}

/** Refuses (422, naming the field) a competent authority other than the one pinned, if any. */
export async function requirePinnedAuthority(
  departmentId: string,
  competentAuthority: { email: string },
): Promise<void> {
  const message = pinnedAuthorityViolation(competentAuthority, await getPinnedAuthority(departmentId));
  if (message) throw ValidationError.forField('competentAuthority.email', message);
}

/** Pins (or re-pins) a department's competent authority and records who did it, replacing what. */
export async function pinCompetentAuthority(
  input: { code: string; email: string; name: string },
  pinnedBy: string,
): Promise<{ departmentId: string; code: string; competentAuthority: PinnedAuthority }> {
  const parsed = pinSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(zodIssuesToFieldErrors(parsed.error));
  const { code, email, name } = parsed.data;
  const TableName = tableName('departments');
  const { Item: claim } = await dynamo.send(new GetCommand({ TableName, Key: codeKey(code) }));
  if (!claim) throw ValidationError.forField('code', `No department has the code ${code}`);
  const departmentId = String(claim.departmentId);
  const previous = await getPinnedAuthority(departmentId);
  const pinnedAt = new Date().toISOString();
  const competentAuthority: PinnedAuthority = { email: email.toLowerCase(), name, pinnedAt, pinnedBy };
  await dynamo.send(
    new PutCommand({ TableName, Item: { ...authorityKey(departmentId), ...competentAuthority } }),
  );
  await putAuditEntry(
    'departments',
    `DEPT#${departmentId}`,
    {
      type: 'competent-authority.pinned',
      by: pinnedBy,
      email: competentAuthority.email,
      name,
      ...(previous ? { replacedEmail: previous.email } : {}),
    },
    { at: pinnedAt },
  );
  return { departmentId, code, competentAuthority };
}
