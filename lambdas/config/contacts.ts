import {
  ANY_MEMBER,
  type CommitteeRule,
  parseCommitteeRule,
  RULE_SYNTAX,
  ruleProblem,
} from '../core/committee';
import { phoneSchema } from '../core/phone';
import { CONFIGURED_ROLES, ROLES } from '../core/sop';
import { invisibleTextMessage, isEmptyOrVisible } from '../core/text-hygiene';
import * as z from '../core/zod';

/**
 * Who acts for each configured role. Pure: the rules for a contact entry, no AWS.
 * `escalation` is not an SoP actor: it is who hears about steps that keep missing their deadline.
 *
 * A role has members (people: name, e-mail, designation) and a rule for deciding together (see
 * core/committee.ts). Entries stored before members existed hold only `emails`: they read as one member
 * per address, named by the address, deciding by `any` (what those entries meant).
 */
export const CONTACT_ROLES = [...CONFIGURED_ROLES, 'escalation'] as const;

export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface Member {
  readonly name: string;
  readonly email: string;
  readonly designation?: string;
}

export interface Contacts {
  readonly role: ContactRole;
  /** The role's title in emails (e.g. "DeGS Technical team"). */
  readonly name: string;
  readonly members: readonly Member[];
  /** The members' addresses, in order (who gets the role's mail). */
  readonly emails: readonly string[];
  /** How the members decide together, as typed (`any`, `quorum:N`, `quorum:N,reject:M`). */
  readonly rule: string;
  /** A helpline, for the roles departments call (the hand-over kit shows degsTechnical's). */
  readonly phone?: string;
}

export const MAX_MEMBERS = 20;

export function defaultContactName(role: ContactRole): string {
  return role === 'escalation' ? 'Escalation contact' : ROLES[role];
}

export const contactRoleSchema = z.enum(CONTACT_ROLES, {
  error: `Role must be one of ${CONTACT_ROLES.join(', ')}`,
});

const emailSchema = z.email('Must be an email address').check(z.maxLength(254, 'Use at most 254 characters'));

const textSchema = (label: string) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Must not be empty'),
      z.maxLength(200, 'Use at most 200 characters'),
      z.refine(isEmptyOrVisible, invisibleTextMessage(label)),
    );

export const memberSchema = z.strictObject({
  name: z.optional(textSchema('Name')),
  email: emailSchema,
  designation: z.optional(textSchema('Designation')),
});

export const ruleSchema = z
  .string({ error: `Must be ${RULE_SYNTAX}` })
  .check(z.refine((text) => parseCommitteeRule(text) !== undefined, `Must be ${RULE_SYNTAX}`));

/** The rule of a stored entry (a valid one: the schema checked it on the way in). */
export function committeeRuleOf(contacts: Pick<Contacts, 'rule'>): CommitteeRule {
  return parseCommitteeRule(contacts.rule) ?? ANY_MEMBER;
}

const sameMailbox = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const contactsSchema = z.pipe(
  z.strictObject({
    role: contactRoleSchema,
    name: z.optional(textSchema('Name')),
    /** Each address a member (the `contacts set --email` form, and entries stored before members). */
    emails: z.optional(z.array(emailSchema, 'Must be a list of emails')),
    members: z.optional(z.array(memberSchema, 'Must be a list of members')),
    rule: z.optional(ruleSchema),
    phone: z.optional(phoneSchema),
  }),
  z.transform(({ role, name, emails, members, rule, phone }, payload): Contacts => {
    const refuse = (field: string, message: string) =>
      payload.issues.push({ code: 'custom', path: [field], message, input: payload.value });
    const all = [
      ...(members ?? []).map((m) => ({
        name: m.name ?? m.email,
        email: m.email,
        ...(m.designation ? { designation: m.designation } : {}),
      })),
      ...(emails ?? []).map((email) => ({ name: email, email })),
    ];
    // Addresses differing only in case are the same mailbox in practice; keep the first spelling.
    const unique = all.filter(
      (member, index) => all.findIndex((other) => sameMailbox(other.email, member.email)) === index,
    );
    const field = members === undefined ? 'emails' : 'members';
    if (unique.length === 0) refuse(field, 'Give at least one member');
    if (unique.length > MAX_MEMBERS) refuse(field, `Give at most ${MAX_MEMBERS} members`);
    const ruleText = rule?.trim().toLowerCase() ?? 'any';
    const problem = ruleProblem(parseCommitteeRule(ruleText) ?? ANY_MEMBER, unique.length);
    if (problem && unique.length > 0) refuse('rule', problem);
    return {
      role,
      name: name ?? defaultContactName(role),
      members: unique,
      emails: unique.map((member) => member.email),
      rule: ruleText,
      ...(phone === undefined ? {} : { phone }),
    };
  }),
);

export type ContactsInput = z.input<typeof contactsSchema>;
