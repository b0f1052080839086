import { csvFieldNamer, readCsvTable } from '../core/csv-table';
import { type FieldError, formatFieldPath, zodIssuesToFieldErrors } from '../core/problem-fields';
import {
  MAX_SERVICES_PER_SUBMISSION,
  SERVICE_TEMPLATE_FIELDS,
  type ServiceTemplate,
  serviceNameKey,
  serviceTemplatesSubmissionSchema,
} from '../core/template';

/**
 * Turning a templates submission (JSON or CSV) into the onboarding's templates, with every problem named
 * the way the department sent it: `services[2].category` for JSON, `row 4, column category` for CSV, where
 * row 1 is the header row and row N is the (N-1)th service. Pure: no AWS.
 */

export const CSV_COLUMNS = Object.keys(SERVICE_TEMPLATE_FIELDS) as (keyof typeof SERVICE_TEMPLATE_FIELDS)[];

/** CSV rows of one submission are bounded like the JSON list (plus the header). */
const MAX_CSV_RECORDS = MAX_SERVICES_PER_SUBMISSION + 1;

export type CsvParseResult =
  | { ok: true; body: { services: Record<string, unknown>[] } }
  | { ok: false; errors: FieldError[] };

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { yes: true, no: false, true: true, false: false };

/** Parses the CSV text into the JSON body shape; header and structural problems are reported by row. */
export function parseTemplatesCsv(text: string): CsvParseResult {
  const table = readCsvTable(text, {
    columns: CSV_COLUMNS,
    maxRows: MAX_CSV_RECORDS + 50,
    unknownColumn: `Unknown column: use ${CSV_COLUMNS.join(', ')}`,
  });
  if (!table.ok) return table;
  const { header, rows } = table;
  const errors: FieldError[] = [];
  if (rows.length === 0) errors.push({ field: 'row 2', message: 'At least one service row is required' });
  if (rows.length > MAX_SERVICES_PER_SUBMISSION) {
    errors.push({
      field: `row ${MAX_SERVICES_PER_SUBMISSION + 2}`,
      message: `At most ${MAX_SERVICES_PER_SUBMISSION} services per submission`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const services = rows.map((row) => {
    const service: Record<string, unknown> = {};
    header.forEach((column, i) => {
      const value = row[i] ?? '';
      if (column === 'missionModeProject') {
        // yes/no/true/false in any case; anything else goes to the schema, which names the rule.
        const word = BOOLEAN_WORDS[value.toLowerCase()];
        service[column] = value === '' ? undefined : (word ?? value);
      } else {
        service[column] = value;
      }
    });
    return service;
  });
  return { ok: true, body: { services } };
}

/** `services[3].category` → `row 5, column category`; list-level problems name the rows. */
export const csvField = csvFieldNamer('services');

/**
 * Validates a submission against the template schema and the onboarding's services: one template for
 * each listed service, no other. Returns the templates in the order of the listed services, named exactly
 * as listed (matching ignores case and Unicode form, as uniqueness does).
 */
export function validateTemplatesSubmission(
  body: unknown,
  listedServices: readonly { serviceName: string }[],
  mediaType: 'json' | 'csv',
): { ok: true; templates: ServiceTemplate[] } | { ok: false; errors: FieldError[] } {
  const name = (field: string) => (mediaType === 'csv' ? csvField(field) : field);
  const listed = new Map(listedServices.map((s) => [serviceNameKey(s.serviceName), s.serviceName]));
  const notListed = (index: number): FieldError => ({
    field: name(formatFieldPath(['services', index, 'serviceName'])),
    message:
      'Not a service of this onboarding: send templates only for the services listed when it was created',
  });
  const parsed = serviceTemplatesSubmissionSchema.safeParse(body);
  if (!parsed.success) {
    // Foreign service names are reported with the schema's errors, so one round of fixes is enough.
    const raw = (body as { services?: unknown } | null)?.services;
    const foreign = (Array.isArray(raw) ? raw : []).flatMap((service: unknown, index) => {
      const serviceName = (service as { serviceName?: unknown } | null)?.serviceName;
      return typeof serviceName === 'string' && !listed.has(serviceNameKey(serviceName))
        ? [notListed(index)]
        : [];
    });
    const errors = [
      ...zodIssuesToFieldErrors(parsed.error).map((e) => ({ ...e, field: name(e.field) })),
      ...foreign,
    ];
    return { ok: false, errors };
  }
  const errors: FieldError[] = [];
  const byName = new Map<string, ServiceTemplate>();
  parsed.data.services.forEach((template, index) => {
    const canonical = listed.get(serviceNameKey(template.serviceName));
    if (canonical === undefined) errors.push(notListed(index));
    else byName.set(canonical, { ...template, serviceName: canonical });
  });
  for (const serviceName of listed.values()) {
    if (!byName.has(serviceName)) {
      errors.push({
        field: name('services'),
        message: `Missing the template for the listed service "${serviceName}"`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, templates: listedServices.map((s) => byName.get(s.serviceName) as ServiceTemplate) };
}
