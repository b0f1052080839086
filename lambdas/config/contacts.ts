import * as z from 'zod';
import { phoneSchema } from '../core/phone';
import { CONFIGURED_ROLES, ROLES } from '../core/sop';
import { invisibleTextMessage, isEmptyOrVisible } from '../core/text-hygiene';

/**
 * Who receives mail for each configured role. Pure: the rules for a contact entry, no AWS.
 * `escalation` is not an SoP actor: it is who hears about steps that keep missing their deadline.
 */
export const CONTACT_ROLES = [...CONFIGURED_ROLES, 'escalation'] as const;

export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface Contacts {
  readonly role: ContactRole;
  readonly name: string;
  readonly emails: readonly string[];
  /** A helpline, for the roles departments call (the hand-over kit shows degsTechnical's). */
  readonly phone?: string;
}

export function defaultContactName(role: ContactRole): string {
  return role === 'escalation' ? 'Escalation contact' : ROLES[role];
}

export const contactRoleSchema = z.enum(CONTACT_ROLES, {
  error: `Role must be one of ${CONTACT_ROLES.join(', ')}`,
});

export const contactsSchema = z
  .strictObject({
    role: contactRoleSchema,
    name: z
      .string()
      .trim()
      .min(1, 'Must not be empty')
      .max(200, 'Use at most 200 characters')
      .refine(isEmptyOrVisible, invisibleTextMessage('Name'))
      .optional(),
    emails: z
      .array(
        z.email('Must be an email address').max(254, 'Use at most 254 characters'),
        'Must be a list of emails',
      )
      .min(1, 'Give at least one email address')
      .max(20, 'Give at most 20 email addresses'),
    phone: phoneSchema.optional(),
  })
  .transform(
    ({ role, name, emails, phone }): Contacts => ({
      role,
      name: name ?? defaultContactName(role),
      ...(phone === undefined ? {} : { phone }),
      // Addresses differ only in case are the same mailbox in practice; keep the first spelling.
      emails: emails.filter(
        (email, index) => emails.findIndex((other) => other.toLowerCase() === email.toLowerCase()) === index,
      ),
    }),
  );

export type ContactsInput = z.input<typeof contactsSchema>;
