import type { ContactRole } from '../config/contacts';
import { getContacts } from '../config/repository';
import { ROLES, type Role, type StepNumber } from '../core/sop';
import type { Onboarding, WaitPhase } from '../core/workflow';
import { describeSteps } from './api/status-view';
import type { PendingLink, PendingLinks } from './ports';
import { WAITS } from './workflow/waits';

/**
 * Who an onboarding waits for right now, as people: for each running wait, the persons its pending
 * approval links were sent to, or, where a link names no person (or the wait has no link, like the
 * department's templates), the role's contacts: the onboarding's own nodal officer or competent authority
 * for the department's waits, the configured contacts for the others. The status view shows it (e-mail
 * masked) and the reminders group it by person. Full addresses: callers decide what to show.
 */
export interface WaitingPerson {
  readonly name: string;
  readonly email: string;
}

export interface CurrentWait {
  readonly step: StepNumber;
  readonly stepTitle: string;
  readonly role: Role;
  readonly label: string;
  readonly phase: WaitPhase;
  readonly persons: readonly WaitingPerson[];
  /** Whether the persons got an approval link (else they act through the API or are asked by email). */
  readonly byLink: boolean;
  /** When the wait began for them: its earliest pending link, else the step's start. */
  readonly since?: string;
  readonly dueAt?: string;
  readonly overdue: boolean;
}

/** The wait of `step` that `role` acts in: the step's current phase, or (step 10) the role's own wait. */
function phaseOf(step: StepNumber, role: Role, currentPhase: WaitPhase | undefined): WaitPhase | undefined {
  if (currentPhase && WAITS[currentPhase].role === role) return currentPhase;
  return Object.values(WAITS).find((w) => w.step === step && w.role === role)?.phase;
}

const uniqueByEmail = (persons: readonly WaitingPerson[]) => [
  ...new Map(persons.map((p) => [p.email.trim().toLowerCase(), p])).values(),
];

/** An onboarding that ended (live, rejected, cancelled) waits for nobody, whatever its steps say. */
const WAITING_STATUSES: ReadonlySet<string> = new Set(['IN_PROGRESS', 'STALLED', 'ATTENTION']);

/** Pure: the running waits with their people, given the pending links and each role's contacts. */
export function currentWaits(
  onboarding: Onboarding,
  now: Date,
  links: readonly PendingLink[],
  contacts: (role: Role) => readonly WaitingPerson[],
): CurrentWait[] {
  if (!WAITING_STATUSES.has(onboarding.status)) return [];
  return describeSteps(onboarding, now).flatMap((view) =>
    view.waitingFor.flatMap(({ role, label }): CurrentWait[] => {
      const state = onboarding.steps[String(view.step)] ?? {};
      const phase = phaseOf(view.step, role, state.phase);
      if (!phase) return [];
      const own = links
        .filter((l) => l.step === view.step && l.role === role)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const named = own.flatMap((l) => (l.recipient ? [l.recipient] : []));
      const since = own[0]?.createdAt ?? state.startedAt;
      return [
        {
          step: view.step,
          stepTitle: view.title,
          role,
          label,
          phase,
          persons: uniqueByEmail(named.length > 0 ? named : contacts(role)),
          byLink: own.length > 0,
          ...(since ? { since } : {}),
          ...(view.dueAt ? { dueAt: view.dueAt } : {}),
          overdue: view.status === 'overdue',
        },
      ];
    }),
  );
}

/** A role's contacts as people: the onboarding's own for the department's roles, else the Config table's. */
export async function roleContacts(role: Role, onboarding: Onboarding): Promise<WaitingPerson[]> {
  if (role === 'department') return [personOf(onboarding.nodalOfficer)];
  if (role === 'competentAuthority') return [personOf(onboarding.competentAuthority)];
  if (role === 'system') return [];
  const contacts = await getContacts(role as ContactRole);
  return (contacts?.emails ?? []).map((email) => ({ name: contacts?.name ?? ROLES[role], email }));
}

const personOf = (person: { name: string; email: string }): WaitingPerson => ({
  name: person.name,
  email: person.email,
});

/** The running waits of an onboarding with their people (reads the pending links and the contacts). */
export async function waitsOf(
  onboarding: Onboarding,
  now: Date,
  pending: PendingLinks,
): Promise<CurrentWait[]> {
  const roles = new Set(describeSteps(onboarding, now).flatMap((s) => s.waitingFor.map((w) => w.role)));
  if (roles.size === 0 || !WAITING_STATUSES.has(onboarding.status)) return [];
  const links = await pending.of(onboarding.onboardingId, now);
  const contacts = new Map<Role, WaitingPerson[]>();
  for (const role of roles) contacts.set(role, await roleContacts(role, onboarding));
  return currentWaits(onboarding, now, links, (role) => contacts.get(role) ?? []);
}
