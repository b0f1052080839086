import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The one way the functions import zod: `import * as z from '../core/zod'`.
 *
 * `zod/mini` is zod 4's functional API (`z.optional(z.string().check(z.minLength(1)))` instead of
 * `z.string().min(1).optional()`): the same core, checks, issue codes and JSON Schema, but esbuild keeps
 * only the functions a bundle calls and each schema instance is lighter to build. Classic zod cost
 * ≈ 90 KiB and 130–250 method-laden instances in every function's cold start (docs/dashboard.md, "Cold
 * start"). Mini loads no locale of its own, so English messages ("Too small: expected string to have
 * >=1 characters"), which the problem+json answers pass on, are configured here, once, for every schema.
 */
z.config(en());

export * from 'zod/mini';
