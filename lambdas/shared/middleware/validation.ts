import { formatFieldPath, zodIssuesToFieldErrors } from '../../core/problem-fields';
import type * as z from '../../core/zod';
import { BadRequestError, type FieldError, NotFoundError, ValidationError } from '../errors';
import { carriesNoBody } from './body-parser';
import { parsedRequest } from './request-state';
import type { HttpMiddleware, HttpRequest } from './types';

/**
 * A zod schema with its own `safeParseAsync` method (zod/mini's and classic's both have it). Calling the
 * method, rather than importing zod's `safeParseAsync` function, keeps zod out of the bundles that
 * validate nothing (Health).
 */
export interface RequestSchema<T = unknown> extends z.core.$ZodType<T> {
  safeParseAsync(
    data: unknown,
    params?: z.core.ParseContext<z.core.$ZodIssue>,
  ): Promise<{ success: true; data: T } | { success: false; error: z.core.$ZodError }>;
}

export interface RequestSchemas {
  readonly body?: RequestSchema;
  /** GET and HEAD have no body to validate (../http.ts `servesGet`). */
  readonly servesGet?: boolean;
  readonly query?: RequestSchema;
  readonly path?: RequestSchema;
  readonly headers?: RequestSchema;
}

/** zod's "expected string, received undefined" becomes the plainer "Required". */
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;

async function validate<T>(
  schema: RequestSchema<T>,
  value: unknown,
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldError[] }> {
  const result = await schema.safeParseAsync(value, { error: requiredMessage });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: zodIssuesToFieldErrors(result.error) };
}

/**
 * The fields a body schema requires, as the errors of an empty body (each with its schema's message, else
 * 'Required'); none when the schema is not an object of fields. Only asked when a body is empty.
 */
export async function requiredFields(schema: RequestSchema): Promise<FieldError[]> {
  const result = await schema.safeParseAsync({}, { error: requiredMessage });
  if (result.success) return [];
  // Parsing `{}`, every issue on a field is a missing field (refinements do not run on a failed parse).
  return result.error.issues
    .filter((issue) => issue.path.length > 0 && issue.code !== 'custom')
    .map((issue) => ({ field: formatFieldPath(issue.path), message: issue.message }));
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
    if (schemas.body && !(schemas.servesGet && carriesNoBody(event))) {
      const result = await validate(schemas.body, state.body);
      if (result.ok) state.body = result.value;
      else errors.push(...result.errors);
    }
    if (errors.length > 0) throw new ValidationError(errors);
  };

/**
 * Validates path (404: no such resource can exist), headers (400), then query and body together (422,
 * every bad field named at once) against the route's zod schemas; the parsed values reach the handler.
 * On a route that also serves GET and HEAD, those have no body to validate.
 */
export const validation = (schemas: RequestSchemas): HttpMiddleware => ({
  before: validationBefore(schemas),
});
