/**
 * Government Service Codes: `DL-<DEPARTMENT CODE>-<NNNN>`, e.g. `DL-REV-0007`.
 *
 * Readable (the department is visible in the code, which helps people on the phone with DeGS), stable (a
 * code never changes once issued) and unique across departments because department codes are unique and
 * each department numbers its services from its own counter. At least four digits; the number simply
 * grows wider after 9999 rather than wrapping.
 */

export const SERVICE_CODE_PREFIX = 'DL';

const DEPARTMENT_CODE = /^[A-Z0-9]{2,10}$/;
const SERVICE_CODE = /^DL-([A-Z0-9]{2,10})-(\d{4,})$/;

export function formatServiceCode(departmentCode: string, sequence: number): string {
  if (!DEPARTMENT_CODE.test(departmentCode)) {
    throw new RangeError(`Not a department code: ${JSON.stringify(departmentCode)}`);
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`A service code sequence is a whole number from 1, got ${sequence}`);
  }
  return `${SERVICE_CODE_PREFIX}-${departmentCode}-${String(sequence).padStart(4, '0')}`;
}

export function parseServiceCode(code: string): { departmentCode: string; sequence: number } | undefined {
  const match = SERVICE_CODE.exec(code);
  if (!match) return undefined;
  const sequence = Number(match[2]);
  if (!Number.isSafeInteger(sequence) || sequence < 1) return undefined;
  // Only the canonical spelling is a code: DL-REV-00007 would otherwise alias DL-REV-0007.
  if (formatServiceCode(match[1] as string, sequence) !== code) return undefined;
  return { departmentCode: match[1] as string, sequence };
}

export function isServiceCode(code: string): boolean {
  return parseServiceCode(code) !== undefined;
}
