/**
 * Rules for user text that later reaches people: pages, emails, spreadsheets. Pure: no AWS.
 */

/**
 * Characters that show nothing: format characters (Unicode Cf: zero-width space and joiners, bidi
 * controls, soft hyphen…), whitespace of any script, and other default-ignorable code points (variation
 * selectors, Hangul fillers). A name made only of these would look empty in every email and page.
 */
const INVISIBLE = /^[\p{Cf}\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;

/** True when the text has at least one character a reader can see. */
export function hasVisibleCharacter(text: string): boolean {
  return !INVISIBLE.test(text);
}

/**
 * The refinement for schemas: empty text passes (the schema's own min-length rule names that), text that
 * is not empty but shows nothing fails.
 */
export function isEmptyOrVisible(text: string): boolean {
  return text === '' || hasVisibleCharacter(text);
}

/** The message a schema gives for text that would look empty, naming the field by its label. */
export const invisibleTextMessage = (label: string): string =>
  `${label} must contain visible characters, not only spaces or invisible formatting characters`;

/**
 * Spreadsheets run a cell starting with =, +, -, @, tab or CR as a formula (CSV injection). Exports of
 * user text prefix such a cell with an apostrophe, which spreadsheets show as text and hide.
 */
const FORMULA_PREFIX = /^[=+\-@\t\r]/;

export function neutraliseFormula(cell: string): string {
  return FORMULA_PREFIX.test(cell) ? `'${cell}` : cell;
}
