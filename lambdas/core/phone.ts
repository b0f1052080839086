import * as z from './zod';

/** A phone number as people write it (nodal officers, helplines): digits, spaces, ( ) - and a leading +. */
export const phoneSchema = z
  .string({ error: 'Phone is required' })
  .check(
    z.trim(),
    z.regex(
      /^\+?[0-9][0-9 ()-]{6,18}[0-9]$/,
      'Must be a phone number: digits, spaces, ( ) - and an optional leading +',
    ),
  );
