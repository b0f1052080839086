import type * as z from './zod';

/** One entry of a problem+json `errors` list: which input field is wrong and why. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A zod issue path as people (and the CSV row/column mapper) read it: `services[3].category`.
 * Keys that are not plain identifiers are quoted, `headers["x-api-key"]`; the root is the empty string.
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let field = '';
  for (const key of path) {
    if (typeof key === 'number') field += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) field += field === '' ? key : `.${key}`;
    else field += `[${JSON.stringify(String(key))}]`;
  }
  return field;
}

/**
 * The issues of a failed parse as field errors, in zod's order. An unknown-keys issue becomes one error
 * per unknown key, on that key's own path, so each offending field (or CSV column) is named.
 */
export function zodIssuesToFieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: formatFieldPath([...issue.path, key]),
          message: 'Unknown field: not part of the expected input',
        }))
      : [{ field: formatFieldPath(issue.path), message: issue.message }],
  );
}
