import type * as z from 'zod';
import { zodIssuesToFieldErrors } from '../../core/problem-fields';
import { BadRequestError, type FieldError, NotFoundError, ValidationError } from '../errors';
import { parsedRequest } from './request-state';
import type { HttpMiddleware, HttpRequest } from './types';

export interface RequestSchemas {
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly path?: z.ZodType;
  readonly headers?: z.ZodType;
}

/** zod's "expected string, received undefined" becomes the plainer "Required". */
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;

async function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldError[] }> {
  const result = await schema.safeParseAsync(value, { error: requiredMessage });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: zodIssuesToFieldErrors(result.error) };
}

const validationBefore =
  (schemas: RequestSchemas) =>
  async ({ event }: HttpRequest): Promise<void> => {
    const state = parsedRequest(event);
    if (schemas.path) {
      const result = await validate(schemas.path, event.pathParameters ?? {});
      if (!result.ok) throw new NotFoundError(`Nothing exists at ${event.path ?? 'this path'}.`);
      state.path = result.value;
    }
    if (schemas.headers) {
      const result = await validate(schemas.headers, { ...(event.headers ?? {}) });
      if (!result.ok)
        throw new BadRequestError('Some request headers are invalid.', {
          errors: result.errors,
          problemType: 'invalid-headers',
        });
      state.headers = result.value;
    }
    const errors: FieldError[] = [];
    if (schemas.query) {
      const result = await validate(schemas.query, { ...(event.queryStringParameters ?? {}) });
      if (result.ok) state.query = result.value;
      else errors.push(...result.errors);
    }
    if (schemas.body) {
      const result = await validate(schemas.body, state.body);
      if (result.ok) state.body = result.value;
      else errors.push(...result.errors);
    }
    if (errors.length > 0) throw new ValidationError(errors);
  };

/**
 * Validates path (404: no such resource can exist), headers (400), then query and body together (422,
 * every bad field named at once) against the route's zod schemas; the parsed values reach the handler.
 */
export const validation = (schemas: RequestSchemas): HttpMiddleware => ({
  before: validationBefore(schemas),
});
