import * as z from '../core/zod';

/**
 * The optional `Idempotency-Key` request header of the department API, as one schema for every operation
 * that takes it (validated against lower-cased header names; the reference shows this schema).
 */
export const idempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z
    .optional(
      z.string().check(z.regex(/^[\x21-\x7e]{1,128}$/, 'Use 1 to 128 visible ASCII characters, e.g. a UUID')),
    )
    .check(
      z.meta({
        description:
          'Any 1 to 128 visible ASCII characters, e.g. a UUID. A retried request with the same key and body is answered like the first instead of being applied again.',
        example: '3f0c9a52-6a8e-4c1e-9a57-0f3c2d1b7e44',
      }),
    ),
});
