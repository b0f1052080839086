import { createHash, randomBytes } from 'node:crypto';
import { invisibleTextMessage, isEmptyOrVisible } from '../core/text-hygiene';
import * as z from '../core/zod';

/**
 * A GNCTD department as the system knows it, plus the rules for its identity and API key. Pure: no AWS.
 */
export interface Department {
  readonly departmentId: string;
  /** Short unique code, e.g. `REV` or `TRANSPORT`. */
  readonly code: string;
  readonly name: string;
  readonly createdAt: string;
}

export const departmentCodeSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(/^[A-Z0-9]{2,10}$/, 'Use 2 to 10 uppercase letters or digits, e.g. REV or TRANSPORT'),
  );

export const departmentNameSchema = z.string().check(
  z.trim(),
  z.minLength(3, 'Use at least 3 characters'),
  z.maxLength(200, 'Use at most 200 characters'),
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  z.regex(/^[^\u0000-\u001f\u007f]*$/, 'Must not contain control characters'),
  z.refine(isEmptyOrVisible, invisibleTextMessage('Name')),
);

export const newDepartmentSchema = z.object({ code: departmentCodeSchema, name: departmentNameSchema });

export type NewDepartment = z.input<typeof newDepartmentSchema>;

export const API_KEY_PREFIX = 'etd_';
const API_KEY_BYTES = 32;
/** Prefix + base64url of 32 bytes (43 characters): anything else cannot be one of our keys. */
const API_KEY_PATTERN = /^etd_[A-Za-z0-9_-]{43}$/;

/** 256 random bits; the prefix makes leaked keys easy to spot by secret scanners. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(API_KEY_BYTES).toString('base64url');
}

export function isWellFormedApiKey(candidate: string): boolean {
  return API_KEY_PATTERN.test(candidate);
}

/** Only this hash is stored; a key is high-entropy, so a plain sha256 (no salt, no stretching) suffices. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
