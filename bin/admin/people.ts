/**
 * Admin commands of issue 9 about people, registered in bin/admin.ts: a role's members and rule,
 * out-of-office delegation, and resending or reassigning a pending approval link. Every change records
 * who made it (`by`: the OS user locally, the AWS caller identity with --stack).
 */
import type { ContactRole, Contacts, Member } from '../../lambdas/config/contacts';

type MemberInput = Partial<Member> & { readonly email: string };

export interface Actor {
  readonly name: string;
  readonly email: string;
}

export interface PeopleInput {
  readonly role?: string;
  readonly email?: readonly string[];
  readonly name?: string;
  readonly designation?: string;
  readonly phone?: string;
  readonly rule?: string;
  readonly from?: string;
  readonly to?: string;
  readonly until?: string;
  readonly fromDate?: string;
  readonly onboarding?: string;
  readonly step?: string;
  readonly cancel?: boolean;
}

/** Input the user can fix (exit 2); bin/admin.ts maps it to its own usage error. */
export class PeopleUsageError extends Error {}

const actorLabel = (actor: Actor) => (actor.email ? `${actor.name} <${actor.email}>` : actor.name);

async function role(input: PeopleInput): Promise<ContactRole> {
  const { contactRoleSchema } = await import('../../lambdas/config/contacts');
  const parsed = contactRoleSchema.safeParse(input.role);
  if (!parsed.success) throw new PeopleUsageError(`role: ${parsed.error.issues[0]?.message ?? 'not a role'}`);
  return parsed.data;
}

function oneEmail(input: PeopleInput, command: string): string {
  if ((input.email ?? []).length !== 1) throw new PeopleUsageError(`"${command}" takes one --email`);
  return input.email?.[0] ?? '';
}

/** What `contacts` commands print: the role, its rule and members, and who changed it. */
const view = (contacts: Contacts) => ({
  role: contacts.role,
  name: contacts.name,
  rule: contacts.rule,
  members: contacts.members,
  emails: contacts.emails,
  ...(contacts.phone ? { phone: contacts.phone } : {}),
});

/**
 * `contacts set`: the role's members become exactly these addresses (as before members existed). A
 * member already on record keeps their name and designation; the rule stays unless --rule is given.
 */
export async function contactsSet(input: PeopleInput, actor: Actor): Promise<unknown> {
  const target = await role(input);
  const { changeContacts } = await import('../../lambdas/config/repository');
  const emails = input.email ?? [];
  const contacts = await changeContacts(
    target,
    (current) => ({
      role: target,
      members: emails.map(
        (email) => current?.members.find((m) => m.email.toLowerCase() === email.toLowerCase()) ?? { email },
      ),
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.name === undefined && current ? { name: current.name } : {}),
      ...(input.phone === undefined
        ? current?.phone
          ? { phone: current.phone }
          : {}
        : { phone: input.phone }),
      ...ruleOf(input, current),
    }),
    actorLabel(actor),
  );
  return view(contacts);
}

function ruleOf(input: PeopleInput, current: Contacts | undefined): { rule?: string } {
  if (input.rule !== undefined) return { rule: input.rule };
  return current ? { rule: current.rule } : {};
}

function keep(current: Contacts, change: { members?: readonly MemberInput[]; rule?: string }) {
  return {
    role: current.role,
    name: current.name,
    members: [...(change.members ?? current.members)],
    rule: change.rule ?? current.rule,
    ...(current.phone ? { phone: current.phone } : {}),
  };
}

export async function membersAdd(input: PeopleInput, actor: Actor): Promise<unknown> {
  const target = await role(input);
  const email = oneEmail(input, 'contacts members add');
  const { changeContacts } = await import('../../lambdas/config/repository');
  const member = {
    email,
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.designation === undefined ? {} : { designation: input.designation }),
  };
  const contacts = await changeContacts(
    target,
    (current) => {
      if (!current) return { role: target, members: [member], ...(input.rule ? { rule: input.rule } : {}) };
      // Adding someone already there updates their name and designation.
      const others = current.members.filter((m) => m.email.toLowerCase() !== email.toLowerCase());
      const existing = current.members.find((m) => m.email.toLowerCase() === email.toLowerCase());
      const merged = existing ? { ...existing, ...member } : member;
      const members = existing
        ? current.members.map((m) => (m === existing ? merged : m))
        : [...others, merged];
      return keep(current, { members, ...(input.rule ? { rule: input.rule } : {}) });
    },
    actorLabel(actor),
  );
  return view(contacts);
}

export async function membersRemove(input: PeopleInput, actor: Actor): Promise<unknown> {
  const target = await role(input);
  const email = oneEmail(input, 'contacts members remove');
  const { changeContacts } = await import('../../lambdas/config/repository');
  const contacts = await changeContacts(
    target,
    (current) => {
      if (!current?.members.some((m) => m.email.toLowerCase() === email.toLowerCase())) {
        throw new PeopleUsageError(`${email} is not a member of ${target}`);
      }
      return keep(current, {
        members: current.members.filter((m) => m.email.toLowerCase() !== email.toLowerCase()),
        ...(input.rule ? { rule: input.rule } : {}),
      });
    },
    actorLabel(actor),
  );
  return view(contacts);
}

export async function membersList(input: PeopleInput): Promise<unknown> {
  const { listContacts } = await import('../../lambdas/config/repository');
  const wanted = input.role === undefined ? undefined : await role(input);
  const members = (await listContacts())
    .filter((c) => wanted === undefined || c.role === wanted)
    .flatMap((c) => c.members.map((m) => ({ role: c.role, rule: c.rule, ...m })));
  return { members };
}

export async function contactsRule(input: PeopleInput, actor: Actor): Promise<unknown> {
  const target = await role(input);
  const { changeContacts } = await import('../../lambdas/config/repository');
  const contacts = await changeContacts(
    target,
    (current) => {
      if (!current) throw new PeopleUsageError(`${target} has no members yet: add them first`);
      return keep(current, { rule: input.rule ?? 'any' });
    },
    actorLabel(actor),
  );
  return view(contacts);
}

// ---------------------------------------------------------------------------------------------------
// Delegation

/**
 * `contacts delegate --from A --to B --until D [--from-date D0] [--name "B's name"]`: from D0 (default
 * today, IST) to D inclusive, B acts for A. Approvals already waiting for A are sent to B at once when
 * the range has started. `--cancel` ends A's delegation.
 */
export async function delegate(input: PeopleInput, actor: Actor): Promise<unknown> {
  const from = input.from ?? '';
  const { setDelegation, cancelDelegation } = await import('../../lambdas/approvals/delegation');
  if (input.cancel) {
    if (input.to !== undefined || input.until !== undefined)
      throw new PeopleUsageError('--cancel takes only --from');
    return cancelDelegation(from, actor);
  }
  if (input.to === undefined || input.until === undefined)
    throw new PeopleUsageError('"contacts delegate" needs --to and --until (or --cancel)');
  return setDelegation(
    {
      from,
      to: input.to,
      ...(input.name === undefined ? {} : { toName: input.name }),
      until: input.until,
      ...(input.fromDate === undefined ? {} : { fromDate: input.fromDate }),
    },
    actor,
    new Date(),
  );
}

export async function delegationsList(): Promise<unknown> {
  const { listDelegations } = await import('../../lambdas/config/repository');
  const { isDelegationActive } = await import('../../lambdas/core/delegation');
  const now = new Date();
  return {
    delegations: (await listDelegations()).map((d) => ({
      from: d.from.email,
      fromName: d.from.name,
      to: d.to.email,
      toName: d.to.name,
      fromDate: d.fromDate,
      until: d.until,
      active: isDelegationActive(d, now),
      setBy: d.setBy,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Links

function stepOf(input: PeopleInput): number {
  const step = Number(input.step);
  if (!/^\d{1,2}$/.test(input.step ?? '') || step < 1 || step > 12)
    throw new PeopleUsageError('--step must be a SoP step from 1 to 12');
  return step;
}

async function pendingOf(input: PeopleInput) {
  const onboardingId = input.onboarding ?? '';
  const step = stepOf(input);
  const { pendingLinks } = await import('../../lambdas/approvals/reissue');
  const pending = (await pendingLinks(onboardingId, step)).filter(
    (link) => input.role === undefined || link.record.role === input.role,
  );
  if (pending.length === 0) {
    throw new PeopleUsageError(
      `Onboarding ${onboardingId} has no pending approval link at step ${step}${input.role ? ` for ${input.role}` : ''}`,
    );
  }
  return pending;
}

const sameEmail = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** What a re-issue prints: never a link id or URL (the link is the approver's credential). */
const reissued = (
  result: { recipient: { name: string; email: string; onBehalfOf?: unknown } },
  role: string,
) => ({
  role,
  to: result.recipient.email,
  name: result.recipient.name,
  ...(result.recipient.onBehalfOf ? { onBehalfOf: result.recipient.onBehalfOf } : {}),
});

/**
 * `links resend`: a new link for each pending person of the step (or only `--to`, a recipient's
 * address), to the same person; the old links answer 410; the deadline stays.
 */
export async function linksResend(input: PeopleInput, actor: Actor): Promise<unknown> {
  const pending = (await pendingOf(input)).filter(
    (link) => input.to === undefined || sameEmail(link.record.recipient?.email, input.to),
  );
  if (pending.length === 0) throw new PeopleUsageError(`No pending link of ${input.to} at this step`);
  const { reissue } = await import('../../lambdas/approvals/reissue');
  const resent = [];
  for (const { record } of pending) {
    const to = record.recipient ?? (await roleWideRecipient(record.role));
    const result = await reissue({
      record,
      to: { ...to, ...(record.onBehalfOf ? { onBehalfOf: record.onBehalfOf } : {}) },
      reason: 'resend',
      by: actor,
    });
    resent.push(reissued(result, record.role));
  }
  process.stderr.write(`${resent.length} link(s) sent again; the earlier ones no longer work.\n`);
  return { onboardingId: input.onboarding, step: stepOf(input), resent };
}

/** A link issued to a role before personal links has no recipient: it is resent to the role's first member. */
async function roleWideRecipient(roleName: string): Promise<{ name: string; email: string }> {
  const { getContacts } = await import('../../lambdas/config/repository');
  const member = (await getContacts(roleName as ContactRole))?.members[0];
  if (!member) throw new PeopleUsageError(`${roleName} has no members to send the link to`);
  return { name: member.name, email: member.email };
}

/**
 * `links reassign --to <address> [--name "<NAME>"] [--from <address>]`: the pending link of one person
 * (the only one, or --from's) goes to someone else, who takes their vote; the old link answers 410.
 */
export async function linksReassign(input: PeopleInput, actor: Actor): Promise<unknown> {
  const to = input.to ?? '';
  const z = await import('zod');
  if (!z.email().safeParse(to).success) throw new PeopleUsageError('--to must be an email address');
  const pending = (await pendingOf(input)).filter(
    (link) => input.from === undefined || sameEmail(link.record.recipient?.email, input.from),
  );
  if (pending.length !== 1) {
    const who = pending.map((link) => link.record.recipient?.email ?? link.record.role).join(', ');
    throw new PeopleUsageError(
      pending.length === 0
        ? `No pending link of ${input.from} at this step`
        : `Several people are pending (${who}): say whose link to reassign with --from <address>`,
    );
  }
  const [{ record }] = pending as [(typeof pending)[number]];
  const { reissue } = await import('../../lambdas/approvals/reissue');
  const result = await reissue({
    record,
    to: { name: input.name ?? to, email: to },
    reason: 'reassign',
    by: actor,
  });
  process.stderr.write(`Link reassigned to ${to}; the earlier one no longer works.\n`);
  return {
    onboardingId: input.onboarding,
    step: record.step,
    ...(record.recipient ? { from: record.recipient.email } : {}),
    reassigned: reissued(result, record.role),
  };
}

export const PEOPLE_USAGE = `  contacts set --role <role> --email <address> [--email <address>...] [--name "<ROLE TITLE>"] [--phone "<NUMBER>"] [--rule <rule>]
      The role's members become exactly these addresses (a member on record keeps their name).
      Roles: etaalNodalContact, degsTechnical, stateCommittee, etaalCentralTeam, centralCommittee, escalation
  contacts list
  contacts members list [--role <role>]
  contacts members add --role <role> --email <address> [--name "<NAME>"] [--designation "<DESIGNATION>"] [--rule <rule>]
  contacts members remove --role <role> --email <address> [--rule <rule>]
  contacts rule --role <role> --rule <rule>
      How a role's members decide: any (the first decides; default), quorum:N (N approvals; one
      rejection rejects), quorum:N,reject:M (M rejections reject). See docs/people.md.
  contacts delegate --from <address> --to <address> --until <YYYY-MM-DD> [--from-date <YYYY-MM-DD>] [--name "<NAME>"]
      Out of office: from --from-date (default today, IST) until --until inclusive, --to acts for --from;
      approvals already waiting for --from are sent to --to. --cancel (with --from only) ends it.
  contacts delegations
  links resend --onboarding <id> --step <N> [--role <role>] [--to <address>]
      Sends a pending approval again (a lost email): a new link, same deadline; the old link answers 410.
  links reassign --onboarding <id> --step <N> --to <address> [--name "<NAME>"] [--role <role>] [--from <address>]
      Gives a pending approval to someone else (who takes that person's vote); the old link answers 410.
  onboardings set-person <onboardingId> --role nodal-officer|competent-authority --name "<NAME>" --designation "<DESIGNATION>" --email <address> [--phone "<NUMBER>"]
      The department's new nodal officer or HoD on a running onboarding (as its PUT .../people/{role});
      a link waiting for the previous HoD goes to the new one. Audited.`;

// ---------------------------------------------------------------------------------------------------
// The department's people

/**
 * `onboardings set-person <id> --role nodal-officer|competent-authority --name --designation --email
 * [--phone]`: the same change as the department's PUT .../people/{role}, by an admin.
 */
export async function setPerson(
  input: PeopleInput,
  positionals: readonly string[],
  actor: Actor,
): Promise<unknown> {
  const [onboardingId, ...extra] = positionals;
  if (!onboardingId || extra.length > 0)
    throw new PeopleUsageError('Usage: onboardings set-person <onboardingId> --role ...');
  const { DEPARTMENT_PEOPLE, changeDepartmentPerson } = await import('../../lambdas/onboarding/people');
  const slug = input.role ?? '';
  if (!(slug in DEPARTMENT_PEOPLE)) {
    throw new PeopleUsageError(`--role must be one of ${Object.keys(DEPARTMENT_PEOPLE).join(', ')}`);
  }
  const { getOnboardingMeta } = await import('../../lambdas/onboarding/repository');
  const onboarding = await getOnboardingMeta(onboardingId);
  if (!onboarding) throw new PeopleUsageError(`No onboarding ${onboardingId}`);
  const { reissueToPerson } = await import('../../lambdas/approvals/reissue');
  const person = {
    name: input.name,
    designation: input.designation,
    email: input.email?.[0],
    ...(input.phone === undefined ? {} : { phone: input.phone }),
  };
  return changeDepartmentPerson(
    { onboarding, slug: slug as keyof typeof DEPARTMENT_PEOPLE, person, by: actor },
    { reissue: reissueToPerson },
  );
}
