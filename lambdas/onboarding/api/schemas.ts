import { phoneSchema } from '../../core/phone';
import { refuseSelfApproval } from '../../core/separation-of-duties';
import {
  flagDuplicateServiceNames,
  MAX_SERVICES_PER_SUBMISSION,
  serviceTemplateSchema,
} from '../../core/template';
import { invisibleTextMessage, isEmptyOrVisible } from '../../core/text-hygiene';
import * as z from '../../core/zod';

/**
 * The department API's request shapes. Strict objects: an unknown field is an error, never stored.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

const personText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .check(
      z.trim(),
      z.minLength(1, `${label} must not be empty`),
      z.maxLength(max, `${label} must have at most ${max} characters`),
      z.regex(PRINTABLE, `${label} must not contain control characters`),
      z.refine(isEmptyOrVisible, invisibleTextMessage(label)),
    );

const email = z.email('Must be an email address').check(z.maxLength(254, 'Use at most 254 characters'));

export const nodalOfficerSchema = z.strictObject({
  name: personText('Name', 200),
  designation: personText('Designation', 200),
  email,
  phone: phoneSchema,
});

export const competentAuthoritySchema = z.strictObject({
  name: personText('Name', 200),
  designation: personText('Designation', 200),
  email,
});

export const createOnboardingSchema = z
  .strictObject({
    nodalOfficer: nodalOfficerSchema,
    competentAuthority: competentAuthoritySchema,
    services: z
      .array(z.strictObject({ serviceName: serviceTemplateSchema.shape.serviceName }), {
        error: 'Services must be a list of {"serviceName": "..."}',
      })
      .check(
        z.minLength(1, 'List at least one service'),
        z.maxLength(MAX_SERVICES_PER_SUBMISSION, `List at most ${MAX_SERVICES_PER_SUBMISSION} services`),
        z.superRefine((services, ctx) => flagDuplicateServiceNames(services, ctx)),
      ),
  })
  .check(z.superRefine(refuseSelfApproval));

export type CreateOnboardingRequest = z.infer<typeof createOnboardingSchema>;

/** Onboarding ids are UUID-shaped (see ./create.ts); anything else cannot exist and is a 404. */
export const onboardingPathSchema = z.object({
  onboardingId: z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)),
});

/** GET /v1/onboardings/{onboardingId}: the templates (up to 200) only when asked for. */
export const getOnboardingQuerySchema = z.strictObject({
  include: z
    .optional(z.enum(['templates'], { error: 'The only thing to include is "templates"' }))
    .check(z.meta({ description: 'Add the current service-details templates (`templates`) to the answer.' })),
});

/** A version of the templates (`templatesVersion`), for its PDFs. */
export const templateDocumentPathSchema = z.extend(onboardingPathSchema, {
  version: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(9999)),
});

export { idempotencyHeadersSchema } from '../../shared/idempotency-key';

/** GET /v1/onboardings: the page size and the cursor of the next page. */
export const listOnboardingsQuerySchema = z.object({
  limit: z._default(
    z.coerce
      .number()
      .check(
        z.int('Must be a whole number'),
        z.minimum(1, 'Must be 1 to 100'),
        z.maximum(100, 'Must be 1 to 100'),
      ),
    25,
  ),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});
