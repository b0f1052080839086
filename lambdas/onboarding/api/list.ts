import * as z from '../../core/zod';
import { departmentApiKey } from '../../departments/api-key-auth';
import { ValidationError } from '../../shared/errors';
import { httpHandler, json } from '../../shared/http';
import { listOnboardings } from '../repository';
import { listOnboardingsQuerySchema } from './schemas';
import { onboardingSummary } from './view';

/**
 * GET /v1/onboardings[?limit=&cursor=]: the calling department's onboardings, newest first. The cursor
 * is opaque to clients (base64url of the index position) and only valid for the department it came from.
 */
const cursorSchema = z.strictObject({
  pk: z.string(),
  sk: z.string(),
  gsi1pk: z.string(),
  gsi1sk: z.string(),
});

function decodeCursor(cursor: string, departmentId: string): Record<string, string> | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success && parsed.data.gsi1pk === `DEPT#${departmentId}` ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const handler = httpHandler(
  { auth: departmentApiKey, query: listOnboardingsQuerySchema },
  async ({ caller: department, query }) => {
    const cursor =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, department.departmentId);
    if (query.cursor !== undefined && !cursor) {
      throw ValidationError.forField('cursor', 'Not a cursor from a previous page of this list');
    }
    const page = await listOnboardings(department.departmentId, {
      limit: query.limit,
      ...(cursor ? { cursor } : {}),
    });
    return json(200, {
      items: page.items.map(onboardingSummary),
      ...(page.lastKey
        ? { nextCursor: Buffer.from(JSON.stringify(page.lastKey)).toString('base64url') }
        : {}),
    });
  },
);
