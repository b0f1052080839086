import { describe, expect, it } from 'vitest';
import {
  csvField,
  parseTemplatesCsv,
  validateTemplatesSubmission,
} from '../../lambdas/onboarding/templates-input';
import { template, words } from './fixtures';

const listed = [{ serviceName: 'Birth certificate' }, { serviceName: 'Trade licence' }];
const HEADER = 'serviceName,serviceDescription,deliveryMode,category,missionModeProject';

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\r\n');
}

describe('JSON templates', () => {
  it('are accepted for exactly the listed services, stored in listed order with the listed spelling', () => {
    const result = validateTemplatesSubmission(
      { services: [template('TRADE LICENCE'), template('Birth certificate', { missionModeProject: true })] },
      listed,
      'json',
    );
    expect(result).toEqual({
      ok: true,
      templates: [
        expect.objectContaining({ serviceName: 'Birth certificate', missionModeProject: true }),
        expect.objectContaining({ serviceName: 'Trade licence' }),
      ],
    });
  });

  it('name every bad field: 99 and 501 words, wrong enums, unknown fields, a foreign service, a missing one', () => {
    const result = validateTemplatesSubmission(
      {
        services: [
          template('Birth certificate', { serviceDescription: words(99), deliveryMode: 'Offline', extra: 1 }),
          template('<script>alert(1)</script> permit', { serviceDescription: words(501), category: 'C2C' }),
        ],
      },
      listed,
      'json',
    );
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'services[0].serviceDescription',
        'services[0].deliveryMode',
        'services[0].extra',
        'services[1].serviceDescription',
        'services[1].category',
      ]),
    );
    const messages = result.ok ? [] : result.errors.map((e) => e.message).join('\n');
    expect(messages).toContain('it has 99');
    expect(messages).toContain('it has 501');
  });

  it('reject templates for a service that was not listed and report listed services left out', () => {
    const result = validateTemplatesSubmission(
      { services: [template('Birth certificate'), template('Water connection')] },
      listed,
      'json',
    );
    expect(result.ok ? [] : result.errors).toEqual([
      {
        field: 'services[1].serviceName',
        message: expect.stringContaining('Not a service of this onboarding'),
      },
      { field: 'services', message: 'Missing the template for the listed service "Trade licence"' },
    ]);
  });
});

describe('CSV templates', () => {
  it('parse quoted fields and yes/no/true/false into the JSON shape', () => {
    const parsed = parseTemplatesCsv(
      csv(
        `Birth certificate,"${words(100)}, with a comma",Online,G2C,Yes`,
        `Trade licence,${words(100)},OCe,G2B,false`,
      ),
    );
    expect(parsed.ok).toBe(true);
    const services = parsed.ok ? parsed.body.services : [];
    expect(services[0]).toMatchObject({ serviceName: 'Birth certificate', missionModeProject: true });
    expect(services[1]).toMatchObject({ deliveryMode: 'OCe', missionModeProject: false });
    expect(validateTemplatesSubmission(parsed.ok ? parsed.body : null, listed, 'csv').ok).toBe(true);
  });

  it('report field problems by row and column (row 1 is the header)', () => {
    const parsed = parseTemplatesCsv(
      csv(`Birth certificate,${words(100)},Online,G2C,maybe`, `Trade licence,${words(20)},Counter,G2C,no`),
    );
    const result = validateTemplatesSubmission(parsed.ok ? parsed.body : null, listed, 'csv');
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([
      'row 2, column missionModeProject',
      'row 3, column serviceDescription',
      'row 3, column deliveryMode',
    ]);
  });

  it('report header and shape problems before any field', () => {
    const parsed = parseTemplatesCsv(
      [
        'serviceName,serviceDescription,deliveryMode,category,colour',
        `Birth certificate,${words(100)},Online`,
      ].join('\n'),
    );
    expect(parsed.ok ? [] : parsed.errors).toEqual([
      { field: 'row 1, column colour', message: expect.stringContaining('Unknown column') },
      { field: 'row 1, column missionModeProject', message: 'Missing column' },
      { field: 'row 2', message: 'Has 3 fields; the header has 5' },
    ]);
    expect(parseTemplatesCsv('serviceName,"unterminated\n')).toEqual({
      ok: false,
      errors: [expect.objectContaining({ message: expect.stringContaining('Not valid CSV') })],
    });
    expect(parseTemplatesCsv(HEADER)).toEqual({
      ok: false,
      errors: [{ field: 'row 2', message: 'At least one service row is required' }],
    });
  });

  it('maps list-level fields to rows', () => {
    expect(csvField('services[0].category')).toBe('row 2, column category');
    expect(csvField('services[4]')).toBe('row 6');
    expect(csvField('services')).toBe('rows');
  });
});
