import { describe, expect, it } from 'vitest';
import { countsCsvToBody, csvFieldName } from '../../lambdas/counts/csv';
import { countsExamples } from '../../lambdas/counts/examples';
import { ValidationError } from '../../lambdas/shared/errors';
import { problemTypeUri } from '../../lambdas/shared/problem-types';

function problemsOf(text: string) {
  try {
    countsCsvToBody(text);
  } catch (error) {
    if (error instanceof ValidationError) return { type: error.type, errors: error.errors };
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('counts as CSV', () => {
  it("reads Excel's CSV UTF-8 (BOM, CRLF) into the JSON body, locationCode optional per row and as a column", () => {
    const { csv, push } = countsExamples('2026-04-01');
    expect(countsCsvToBody(csv)).toEqual(push);
    expect(countsCsvToBody('date,serviceCode,count\n2026-04-01,DL-A-0001,7\n')).toEqual({
      counts: [{ date: '2026-04-01', serviceCode: 'DL-A-0001', count: 7 }],
    });
  });

  it('passes values that are not whole numbers through, so the count rules name them', () => {
    expect(countsCsvToBody('serviceCode,date,count\nX,2026-04-01,12.5\nX,2026-04-01,\n').counts).toEqual([
      { serviceCode: 'X', date: '2026-04-01', count: '12.5' },
      { serviceCode: 'X', date: '2026-04-01', count: '' },
    ]);
  });

  it('names header and row problems by row and column, as invalid-counts', () => {
    expect(problemsOf('serviceCode,day,count,count\nX,2026-04-01,1,1\nX,2026-04-01\n')).toEqual({
      type: problemTypeUri('invalid-counts'),
      errors: [
        { field: 'row 1, column day', message: expect.stringContaining('Unknown column') },
        { field: 'row 1, column count', message: 'Column appears more than once' },
        { field: 'row 1, column date', message: 'Missing column' },
        { field: 'row 3', message: 'Has 2 fields; the header has 4' },
      ],
    });
    expect(problemsOf('serviceCode,date,count\n"unterminated,2026-04-01,1\n').errors[0]?.field).toMatch(
      /^row \d+$/,
    );
    expect(problemsOf('').errors).toEqual([{ field: 'row 1', message: 'A header row is required' }]);
  });

  it('maps the JSON names of problems to rows and columns', () => {
    expect(csvFieldName('counts[0].date')).toBe('row 2, column date');
    expect(csvFieldName('counts[998]')).toBe('row 1000');
    expect(csvFieldName('counts')).toBe('rows');
    expect(csvFieldName('')).toBe('rows');
  });
});
