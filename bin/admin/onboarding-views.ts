import type { AdminLinkView } from '../../lambdas/approvals/admin-links';
import type { OnboardingAuditType } from '../../lambdas/core/audit-events';
import { formatIst } from '../../lambdas/core/calendar';
import { ROLES, type Role, sopStep } from '../../lambdas/core/sop';
import { isFinished, type Onboarding, type OnboardingStatus } from '../../lambdas/core/workflow';
import type { StoredAuditEntry } from '../../lambdas/onboarding/admin/store';
import { describeSteps } from '../../lambdas/onboarding/api/status-view';

/**
 * What `onboardings list` and `onboardings show` print, as pure functions of what was read: the
 * onboardings, their audit trail and their approval links (never a link's id or hash).
 */

export interface Person {
  readonly name: string;
  readonly email: string;
}

export interface WaitingOn {
  readonly role: Role;
  readonly label: string;
  /** The persons the pending link went to (links record a recipient), or the department's own people. */
  readonly persons: readonly Person[];
}

export interface OnboardingRow {
  readonly onboardingId: string;
  readonly department: string;
  readonly status: OnboardingStatus;
  readonly step: number;
  readonly stepTitle: string;
  readonly waitingOn: readonly WaitingOn[];
  readonly since?: string;
  readonly dueAt?: string;
  readonly dueAtIst?: string;
  readonly overdue: boolean;
  /** Deadline breaches (escalations) of the current step. */
  readonly breaches: number;
  readonly updatedAt: string;
}

export interface ListFilter {
  readonly status?: OnboardingStatus;
  readonly step?: number;
  readonly department?: string;
  readonly overdue?: boolean;
}

function personsFor(role: Role, onboarding: Onboarding, links: readonly AdminLinkView[]): Person[] {
  if (role === 'department') {
    return [{ name: onboarding.nodalOfficer.name, email: onboarding.nodalOfficer.email }];
  }
  const fromLinks = links.filter(
    (l) => l.state === 'live' && l.role === role && l.onboardingId === onboarding.onboardingId,
  );
  const recipients = fromLinks.flatMap((l) => (l.recipient ? [l.recipient] : []));
  if (recipients.length > 0) return recipients;
  if (role === 'competentAuthority') {
    return [{ name: onboarding.competentAuthority.name, email: onboarding.competentAuthority.email }];
  }
  return [];
}

/** One onboarding as a line of `onboardings list`; `links` are the live links (any onboarding's). */
export function onboardingRow(
  onboarding: Onboarding,
  links: readonly AdminLinkView[],
  now: Date,
): OnboardingRow {
  const step = describeSteps(onboarding, now).find((s) => s.step === onboarding.currentStep);
  const running = !isFinished(onboarding.status);
  const waitingOn = running
    ? (step?.waitingFor ?? []).map(({ role, label }) => ({
        role,
        label,
        persons: personsFor(role, onboarding, links),
      }))
    : [];
  return {
    onboardingId: onboarding.onboardingId,
    department: onboarding.departmentCode,
    status: onboarding.status,
    step: onboarding.currentStep,
    stepTitle: sopStep(onboarding.currentStep).title,
    waitingOn,
    ...(running && step?.startedAt ? { since: step.startedAt } : {}),
    ...(running && step?.dueAt ? { dueAt: step.dueAt, dueAtIst: step.dueAtIst } : {}),
    overdue: running && step?.status === 'overdue',
    breaches: step?.escalations ?? 0,
    updatedAt: onboarding.updatedAt,
  };
}

export function matches(row: OnboardingRow, filter: ListFilter): boolean {
  return (
    (filter.status === undefined || row.status === filter.status) &&
    (filter.step === undefined || row.step === filter.step) &&
    (filter.department === undefined || row.department === filter.department) &&
    (filter.overdue !== true || row.overdue)
  );
}

/** A row flattened for `--format table`. */
export function rowForTable(row: OnboardingRow): Record<string, unknown> {
  return {
    onboardingId: row.onboardingId,
    dept: row.department,
    status: row.status,
    step: `${row.step} ${row.stepTitle}`,
    waitingOn: row.waitingOn
      .map(
        (w) =>
          `${w.label}${w.persons.length > 0 ? ` (${w.persons.map((p) => p.name || p.email).join(', ')})` : ''}`,
      )
      .join('; '),
    since: row.since ? formatIst(new Date(row.since)) : '',
    due: row.dueAtIst ?? '',
    overdue: row.overdue,
    breaches: row.breaches,
  };
}

/** Audit entries that mean an email went out, and to whom (by role). */
const EMAILS: { readonly [T in OnboardingAuditType]?: (entry: StoredAuditEntry) => string | undefined } = {
  'approval.requested': (e) => `${roleLabel(e.role)}: approval link${reminder(e)}`,
  'templates.requested': (e) => `Department: request for templates${reminder(e)}`,
  'step.completed': (e) =>
    e.role === 'system' && typeof e.detail?.emailed === 'number' ? `Step ${e.step} notification` : undefined,
  'step.deadline-breached': () => 'Escalation contact: deadline breached',
  'onboarding.live': () => 'Department: services live',
  'onboarding.rejected': () => 'Department: onboarding rejected',
  'onboarding.cancelled': () => 'Department and pending approvers: onboarding cancelled',
  'onboarding.reopened': () => 'Department: onboarding reopened',
};

const reminder = (entry: StoredAuditEntry) =>
  typeof entry.detail?.escalations === 'number' && entry.detail.escalations > 0
    ? ` (reminder ${entry.detail.escalations})`
    : '';

function roleLabel(role: string | undefined): string {
  return role && role in ROLES ? ROLES[role as Role] : (role ?? 'system');
}

const ERROR_TYPES: ReadonlySet<string> = new Set<OnboardingAuditType>([
  'onboarding.needs-admin',
  'email.failed',
]);

export interface Timeline {
  readonly onboarding: {
    readonly onboardingId: string;
    readonly department: string;
    readonly status: OnboardingStatus;
    readonly currentStep: number;
    readonly createdAt: string;
    readonly cancellation?: Onboarding['cancellation'];
    readonly attention?: Onboarding['attention'];
  };
  readonly steps: readonly Record<string, unknown>[];
  readonly decisions: readonly Record<string, unknown>[];
  readonly emails: readonly Record<string, unknown>[];
  readonly links: readonly Record<string, unknown>[];
  readonly errors: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
}

/** `onboardings show`: the whole story of one onboarding, times in UTC (ISO) and IST. */
export function timeline(
  onboarding: Onboarding,
  audit: readonly StoredAuditEntry[],
  links: readonly AdminLinkView[],
  now: Date,
): Timeline {
  const steps = describeSteps(onboarding, now);
  return {
    onboarding: {
      onboardingId: onboarding.onboardingId,
      department: `${onboarding.departmentCode} ${onboarding.departmentName}`,
      status: onboarding.status,
      currentStep: onboarding.currentStep,
      createdAt: onboarding.createdAt,
      ...(onboarding.cancellation ? { cancellation: onboarding.cancellation } : {}),
      ...(onboarding.attention ? { attention: onboarding.attention } : {}),
    },
    steps: steps
      .filter((s) => s.status !== 'pending')
      .map((s) => ({
        step: s.step,
        title: s.title,
        status: s.status,
        startedAtIst: s.startedAt ? formatIst(new Date(s.startedAt)) : undefined,
        dueAtIst: s.dueAtIst,
        completedAtIst: s.completedAt ? formatIst(new Date(s.completedAt)) : undefined,
        breaches: s.escalations,
        waitingFor: s.waitingFor.map((w) => w.label),
      })),
    decisions: steps.flatMap((s) =>
      s.decisions.map((d) => ({
        step: s.step,
        role: d.label,
        decision: d.decision,
        by: d.by ? `${d.by.name}${d.by.email ? ` <${d.by.email}>` : ''}` : undefined,
        atIst: formatIst(new Date(d.decidedAt)),
        comment: d.comment,
      })),
    ),
    emails: audit.flatMap((entry) => {
      const what = EMAILS[entry.type as OnboardingAuditType]?.(entry);
      return what ? [{ atIst: formatIst(new Date(entry.at)), step: entry.step, email: what }] : [];
    }),
    links: links.map((l) => ({
      step: l.step,
      role: roleLabel(l.role),
      state: l.state,
      recipient: l.recipient ? `${l.recipient.name} <${l.recipient.email}>` : undefined,
      issuedAtIst: formatIst(new Date(l.issuedAt)),
      expiresAtIst: formatIst(new Date(l.expiresAt)),
      decision: l.decision?.decision,
      closedAtIst: l.closedAt ? formatIst(new Date(l.closedAt)) : undefined,
    })),
    errors: [
      ...(onboarding.attention
        ? [
            {
              atIst: formatIst(new Date(onboarding.attention.at)),
              step: onboarding.attention.step,
              what: `needs an admin (${onboarding.attention.task}: ${onboarding.attention.error})`,
              cause: onboarding.attention.cause,
              open: true,
            },
          ]
        : []),
      ...audit
        .filter((e) => ERROR_TYPES.has(e.type))
        .map((e) => ({
          atIst: formatIst(new Date(e.at)),
          step: e.step,
          what:
            e.type === 'email.failed'
              ? `email not sent (${String(e.detail?.purpose ?? '')})`
              : 'needs an admin',
          cause: String(e.detail?.reason ?? e.detail?.cause ?? e.detail?.error ?? ''),
          open: false,
        })),
    ],
    events: audit.map((e) => ({
      atIst: formatIst(new Date(e.at)),
      type: e.type,
      step: e.step,
      role: e.role ? roleLabel(e.role) : undefined,
      by: e.by ? `${e.by.name}${e.by.email ? ` <${e.by.email}>` : ''}` : undefined,
      detail: e.detail?.reason ?? e.detail?.phase ?? undefined,
    })),
  };
}
