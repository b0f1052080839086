import { SERVICE_CATEGORIES } from './service-categories';
import { invisibleTextMessage, isEmptyOrVisible } from './text-hygiene';
import * as z from './zod';

/**
 * The DeGS service-details template (SoP step 3), one per service a department brings to e-Taal.
 *
 * Messages name the field as the template does and state the rule, because departments read them in API
 * responses and in CSV upload reports, not in code.
 */

export const SERVICE_TEMPLATE_FIELDS = {
  serviceName: 'Service Name',
  serviceDescription: 'Service Description',
  deliveryMode: 'Delivery Mode',
  category: 'Category',
  missionModeProject: 'Mission Mode Project',
} as const;

export const DELIVERY_MODES = ['Online', 'OCe'] as const;

export { SERVICE_CATEGORIES, type ServiceCategory } from './service-categories';

export const SERVICE_NAME_CHARS = { min: 3, max: 150 } as const;
export const SERVICE_DESCRIPTION_WORDS = { min: 100, max: 500 } as const;
/** Bounds the stored size of a description; 500 long words fit comfortably. */
export const SERVICE_DESCRIPTION_MAX_CHARS = 10_000;
export const MAX_SERVICES_PER_SUBMISSION = 200;

/** Words as the template counts them: whitespace-separated tokens. */
export function countWords(text: string): number {
  return text.split(/\s+/u).filter((token) => token.length > 0).length;
}

/**
 * Not allowed in a service name: control characters (including tabs and line breaks), line/paragraph
 * separators, lone surrogates, and bidirectional overrides (which can make a name shown to an approver
 * read differently from what is stored). ZWJ/ZWNJ stay allowed: Indic scripts need them.
 */
const UNPRINTABLE_IN_NAME = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
/** A description may have paragraphs, so tab, CR and LF are allowed there. */
const UNPRINTABLE_IN_DESCRIPTION = /(?![\t\n\r])[\p{Cc}\p{Cs}]/u;

function typeError(label: string, expectation: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `${label} is required` : `${label} must be ${expectation}`;
}

const serviceNameSchema = z.string({ error: typeError(SERVICE_TEMPLATE_FIELDS.serviceName, 'text') }).check(
  z.trim(),
  z.superRefine((name, ctx) => {
    // Code points, not UTF-16 units, so a name in any script gets the same allowance.
    const length = [...name].length;
    if (length < SERVICE_NAME_CHARS.min || length > SERVICE_NAME_CHARS.max) {
      ctx.addIssue({
        code: 'custom',
        message: `Service Name must have ${SERVICE_NAME_CHARS.min}–${SERVICE_NAME_CHARS.max} characters; it has ${length}`,
      });
    }
    if (!isEmptyOrVisible(name)) {
      ctx.addIssue({ code: 'custom', message: invisibleTextMessage('Service Name') });
    }
    if (UNPRINTABLE_IN_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        message: 'Service Name must be printable: no control characters, line breaks or tabs',
      });
    }
  }),
);

const serviceDescriptionSchema = z
  .string({ error: typeError(SERVICE_TEMPLATE_FIELDS.serviceDescription, 'text') })
  .check(
    z.trim(),
    z.superRefine((description, ctx) => {
      if (description.length > SERVICE_DESCRIPTION_MAX_CHARS) {
        ctx.addIssue({
          code: 'custom',
          message: `Service Description must be at most ${SERVICE_DESCRIPTION_MAX_CHARS} characters; it has ${description.length}`,
        });
        return;
      }
      const words = countWords(description);
      if (words < SERVICE_DESCRIPTION_WORDS.min || words > SERVICE_DESCRIPTION_WORDS.max) {
        ctx.addIssue({
          code: 'custom',
          message: `Service Description must have ${SERVICE_DESCRIPTION_WORDS.min}–${SERVICE_DESCRIPTION_WORDS.max} words (words are whitespace-separated); it has ${words}`,
        });
      }
      if (UNPRINTABLE_IN_DESCRIPTION.test(description)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Service Description must not contain control characters other than tabs and line breaks',
        });
      }
    }),
  );

export const serviceTemplateSchema = z.strictObject({
  serviceName: serviceNameSchema,
  serviceDescription: serviceDescriptionSchema,
  deliveryMode: z.enum(DELIVERY_MODES, {
    error: typeError(SERVICE_TEMPLATE_FIELDS.deliveryMode, "'Online' or 'OCe' (over-the-counter electronic)"),
  }),
  category: z.enum(SERVICE_CATEGORIES, {
    error: typeError(SERVICE_TEMPLATE_FIELDS.category, `one of ${SERVICE_CATEGORIES.join(', ')}`),
  }),
  missionModeProject: z.boolean({
    error: typeError(SERVICE_TEMPLATE_FIELDS.missionModeProject, 'true or false (Yes/No)'),
  }),
});

export type ServiceTemplate = z.infer<typeof serviceTemplateSchema>;

/** Service names are unique per submission regardless of case and Unicode normalisation form. */
export function serviceNameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/**
 * Reports every service whose name repeats an earlier one, on that service's `serviceName`. Works on
 * partly invalid lists too, so duplicates are reported together with the other errors.
 */
export function flagDuplicateServiceNames(services: readonly unknown[], ctx: z.core.$RefinementCtx): void {
  const seen = new Set<string>();
  services.forEach((service, index) => {
    const name = (service as { serviceName?: unknown } | null)?.serviceName;
    if (typeof name !== 'string' || name.trim() === '') return;
    const key = serviceNameKey(name);
    if (seen.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'serviceName'],
        message: `Service Name "${name.trim()}" appears more than once (names must be unique, ignoring case)`,
      });
    }
    seen.add(key);
  });
}

export const serviceTemplatesSubmissionSchema = z.strictObject({
  services: z
    .array(serviceTemplateSchema, { error: typeError('Services', 'a list of service templates') })
    .check(
      z.minLength(1, { error: 'Services must list at least one service' }),
      z.maxLength(MAX_SERVICES_PER_SUBMISSION, {
        error: `Services must list at most ${MAX_SERVICES_PER_SUBMISSION} services per submission`,
      }),
      z.superRefine((services, ctx) => flagDuplicateServiceNames(services, ctx), {
        when: (payload) => Array.isArray(payload.value),
      }),
    ),
});
