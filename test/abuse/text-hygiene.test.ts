import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasVisibleCharacter, neutraliseFormula } from '../../lambdas/core/text-hygiene';
import { toCsv } from '../../lambdas/shared/csv-export';

describe('invisible-only text', () => {
  it.each([
    '',
    ' \t ',
    '\u200b',
    '\u200b\u200c\u200d\u2060',
    '\u00ad\u061c\u200e\u200f',
    '\u202a\u202e\u2066\u2069',
    '\ufeff\u3000\u00a0',
    '\u3164\ufe0f',
  ])('%j shows nothing', (text) => {
    expect(hasVisibleCharacter(text)).toBe(false);
  });

  it.each(['a', ' x ', '\u200bक', 'दिल्ली', '😀', '.'])('%j shows something', (text) => {
    expect(hasVisibleCharacter(text)).toBe(true);
  });
});

describe('CSV export', () => {
  it.each(['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'neutralises the formula prefix of %j',
    (text) => {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    },
  );

  it('writes quoted, neutralised cells that a CSV parser reads back as the text with its apostrophe', async () => {
    const { parse } = await import('csv-parse/sync');
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 5 }),
        (rows) => {
          const parsed = parse(toCsv(['a', 'b'], rows), { relax_column_count: false }) as string[][];
          expect(parsed.slice(1)).toEqual(rows.map((row) => row.map(neutraliseFormula)));
          for (const row of parsed.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        },
      ),
    );
    expect(toCsv(['n'], [[-5], [null]])).toBe('n\r\n-5\r\n\r\n');
  });
});
