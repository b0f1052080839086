import { describe, expect, it } from 'vitest';
import { zodIssuesToFieldErrors } from '../../lambdas/core/problem-fields';
import {
  countWords,
  SERVICE_CATEGORIES,
  type ServiceTemplate,
  serviceTemplateSchema,
  serviceTemplatesSubmissionSchema,
} from '../../lambdas/core/template';

function words(n: number): string {
  return Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
}

function service(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    serviceName: 'Birth Certificate',
    serviceDescription: words(120),
    deliveryMode: 'Online',
    category: 'G2C',
    missionModeProject: true,
    ...overrides,
  };
}

/** The field errors a department would get back for this input, or [] when it is accepted. */
function errorsFor(
  input: unknown,
  schema: typeof serviceTemplateSchema | typeof serviceTemplatesSubmissionSchema = serviceTemplateSchema,
) {
  const result = schema.safeParse(input);
  return result.success ? [] : zodIssuesToFieldErrors(result.error);
}

describe('countWords', () => {
  it('counts whitespace-separated tokens, whatever the whitespace', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   ')).toBe(0);
    expect(countWords('one')).toBe(1);
    expect(countWords('  one\ttwo\n\nthree  four\u00a0five ')).toBe(5);
    expect(countWords('e-Taal, G2C/G2B: (over-the-counter)')).toBe(3);
  });
});

describe('a service template', () => {
  it('accepts a complete template and trims the text fields', () => {
    const parsed = serviceTemplateSchema.parse(service({ serviceName: '  Birth Certificate  ' }));
    expect(parsed).toEqual<ServiceTemplate>({
      serviceName: 'Birth Certificate',
      serviceDescription: words(120),
      deliveryMode: 'Online',
      category: 'G2C',
      missionModeProject: true,
    });
  });

  it('needs 100 to 500 words of description and says how many it has', () => {
    expect(errorsFor(service({ serviceDescription: words(99) }))).toEqual([
      {
        field: 'serviceDescription',
        message: 'Service Description must have 100–500 words (words are whitespace-separated); it has 99',
      },
    ]);
    expect(errorsFor(service({ serviceDescription: words(100) }))).toEqual([]);
    expect(errorsFor(service({ serviceDescription: words(500) }))).toEqual([]);
    expect(errorsFor(service({ serviceDescription: words(501) }))).toEqual([
      {
        field: 'serviceDescription',
        message: 'Service Description must have 100–500 words (words are whitespace-separated); it has 501',
      },
    ]);
  });

  it('accepts paragraphs in the description but not other control characters or a huge text', () => {
    expect(errorsFor(service({ serviceDescription: `${words(50)}\n\n\t${words(50)}\r\n` }))).toEqual([]);
    expect(errorsFor(service({ serviceDescription: `${words(100)}\u0007` }))[0]?.field).toBe(
      'serviceDescription',
    );
    const longWords = Array.from({ length: 100 }, () => 'x'.repeat(120)).join(' ');
    expect(errorsFor(service({ serviceDescription: longWords }))).toEqual([
      {
        field: 'serviceDescription',
        message: 'Service Description must be at most 10000 characters; it has 12099',
      },
    ]);
  });

  it("takes exactly 'Online' or 'OCe' as delivery mode", () => {
    expect(errorsFor(service({ deliveryMode: 'OCe' }))).toEqual([]);
    for (const deliveryMode of ['online', 'OCE', 'Offline', 'Over counter electronic transaction', 3]) {
      expect(errorsFor(service({ deliveryMode })), String(deliveryMode)).toEqual([
        {
          field: 'deliveryMode',
          message: "Delivery Mode must be 'Online' or 'OCe' (over-the-counter electronic)",
        },
      ]);
    }
  });

  it('takes exactly one of G2C, G2B, B2C, G2G as category', () => {
    for (const category of SERVICE_CATEGORIES) expect(errorsFor(service({ category }))).toEqual([]);
    for (const category of ['g2c', 'C2G', 'G2C/G2B', ['G2C']]) {
      expect(errorsFor(service({ category })), String(category)).toEqual([
        { field: 'category', message: 'Category must be one of G2C, G2B, B2C, G2G' },
      ]);
    }
  });

  it('takes Mission Mode Project only as a JSON boolean, not as a string', () => {
    expect(errorsFor(service({ missionModeProject: false }))).toEqual([]);
    for (const missionModeProject of ['true', 'Yes', 1, null]) {
      expect(errorsFor(service({ missionModeProject })), String(missionModeProject)).toEqual([
        { field: 'missionModeProject', message: 'Mission Mode Project must be true or false (Yes/No)' },
      ]);
    }
  });

  it('names every missing field', () => {
    expect(errorsFor({})).toEqual([
      { field: 'serviceName', message: 'Service Name is required' },
      { field: 'serviceDescription', message: 'Service Description is required' },
      { field: 'deliveryMode', message: 'Delivery Mode is required' },
      { field: 'category', message: 'Category is required' },
      { field: 'missionModeProject', message: 'Mission Mode Project is required' },
    ]);
  });

  it('rejects fields that are not in the template', () => {
    expect(errorsFor(service({ department: 'Revenue', serviceCode: 'X1' }))).toEqual([
      { field: 'department', message: 'Unknown field: not part of the expected input' },
      { field: 'serviceCode', message: 'Unknown field: not part of the expected input' },
    ]);
  });

  it('needs a service name of 3 to 150 characters after trimming', () => {
    expect(errorsFor(service({ serviceName: '  ab  ' }))).toEqual([
      { field: 'serviceName', message: 'Service Name must have 3–150 characters; it has 2' },
    ]);
    expect(errorsFor(service({ serviceName: 'x'.repeat(150) }))).toEqual([]);
    expect(errorsFor(service({ serviceName: 'x'.repeat(151) }))).toEqual([
      { field: 'serviceName', message: 'Service Name must have 3–150 characters; it has 151' },
    ]);
  });

  it('keeps HTML in a service name as data (it is escaped where it is shown) and accepts Indic scripts', () => {
    const html = '<b>Birth</b> & "Death" <script>alert(1)</script>';
    expect(serviceTemplateSchema.parse(service({ serviceName: html })).serviceName).toBe(html);
    // Devanagari with a zero-width joiner, which Indic scripts need.
    const hindi = 'जन्म प्रमाण\u200Dपत्र';
    expect(serviceTemplateSchema.parse(service({ serviceName: hindi })).serviceName).toBe(hindi);
  });

  it('refuses control characters, line breaks and direction overrides in a service name', () => {
    for (const serviceName of [
      'Birth\u0000Certificate',
      'Birth\nCertificate',
      'Birth\tCert',
      'Cert\u202Eexe.pdf',
    ]) {
      expect(errorsFor(service({ serviceName })), JSON.stringify(serviceName)).toEqual([
        {
          field: 'serviceName',
          message: 'Service Name must be printable: no control characters, line breaks or tabs',
        },
      ]);
    }
  });
});

describe('a submission of service templates', () => {
  const submit = (services: unknown) => errorsFor({ services }, serviceTemplatesSubmissionSchema);

  it('takes 1 to 200 services', () => {
    expect(submit([service()])).toEqual([]);
    expect(submit([])).toEqual([{ field: 'services', message: 'Services must list at least one service' }]);
    const many = (n: number) => Array.from({ length: n }, (_, i) => service({ serviceName: `Service ${i}` }));
    expect(submit(many(200))).toEqual([]);
    expect(submit(many(201))).toEqual([
      { field: 'services', message: 'Services must list at most 200 services per submission' },
    ]);
  });

  it('refuses a second service with the same name in another case, on the duplicate', () => {
    const services = [
      service(),
      service({ serviceName: 'Death Certificate' }),
      service({ serviceName: ' BIRTH certificate' }),
    ];
    expect(submit(services)).toEqual([
      {
        field: 'services[2].serviceName',
        message:
          'Service Name "BIRTH certificate" appears more than once (names must be unique, ignoring case)',
      },
    ]);
  });

  it('reports duplicates together with the other errors, each on its own path', () => {
    const services = [service(), service({ serviceName: 'Death Certificate', category: 'X' }), service()];
    expect(submit(services)).toEqual([
      { field: 'services[1].category', message: 'Category must be one of G2C, G2B, B2C, G2G' },
      {
        field: 'services[2].serviceName',
        message:
          'Service Name "Birth Certificate" appears more than once (names must be unique, ignoring case)',
      },
    ]);
  });

  it('needs services to be a list and rejects unknown top-level fields', () => {
    expect(submit('Birth Certificate')).toEqual([
      { field: 'services', message: 'Services must be a list of service templates' },
    ]);
    expect(
      errorsFor({ services: [service()], departmentId: 'D1' }, serviceTemplatesSubmissionSchema),
    ).toEqual([{ field: 'departmentId', message: 'Unknown field: not part of the expected input' }]);
  });
});
