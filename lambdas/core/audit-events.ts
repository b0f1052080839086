import type { Actor, Decision, OnboardingStatus } from './workflow';

/**
 * Every audit entry the system writes, declared once: a discriminated union on `type`, so a writer cannot
 * invent a type or forget a field, and a reader knows what each entry carries. Types are named
 * `<subject>.<what happened>`, lower case, words joined by `-` (`step.started`, `approval.decided`).
 *
 * Audit entries are history: they are never rewritten. Entries written before this naming kept older names
 * (`STEP_STARTED`, `DECISION`, …); readers pass every stored type through `auditTypeOf`, which maps them.
 *
 * Three partitions hold audit entries (sort key `AUDIT#<iso time>#<random>`, written by
 * shared/audit-log.ts):
 * - an onboarding's trail, `ONB#<id>` (onboarding/audit.ts): `{ type, step?, role?, by?, detail? }`;
 * - a department's admin changes, `DEPT#<id>` (departments/): `{ type, by, ...fields }`;
 * - a service code's retirement, `CODE#<code>` (counts/retirement.ts): `{ type, by, ...fields }`.
 */

/** One onboarding's trail, by type: what each entry carries beside its type. */
interface OnboardingAuditFields {
  'onboarding.created': { step: number; role: 'department'; detail: { services: number } };
  'step.started': { step: number; role: string; detail: { phase: string; dueAt: string } };
  'wait.started': { step: number; role: string; detail: { phase: string; dueAt?: string } };
  'templates.requested': {
    step: number;
    role: string;
    detail: { phase: string; dueAt: string; escalations: number };
  };
  'templates.submitted': {
    step: number;
    role: 'department';
    detail: {
      phase: string;
      /** The templates version this submission replaced, when it replaced one nobody had decided on. */
      replaced?: number;
      templatesVersion: number;
      submissionId: string;
      services: number;
      /** The media type the templates came in, when the request named one. */
      format?: string;
      documentSha256: string;
      templateSha256: string;
    };
  };
  'approval.requested': {
    step: number;
    role: string;
    detail: { phase: string; dueAt: string; escalations: number; recipients: string[]; rule: string };
  };
  /** An approver decided through a link (the approvals domain's record of the request). */
  'approval.decided': {
    step: number;
    role: string;
    detail: {
      decision: Decision;
      comment?: string;
      decidedAt: string;
      by?: Actor;
      sourceIp?: string;
      userAgent?: string;
      approvalRef: string;
    };
  };
  /** A decision that came after its task had closed: kept, never applied. */
  'approval.late': {
    step: number;
    role: string;
    detail: { decision: Decision; approvalRef: string; reason: 'task-closed' };
  };
  'approval.unsigned': { step: number; role: string; detail: { note: string; approvalRef: string } };
  'approval.signed': {
    step: number;
    role: string;
    detail: {
      templatesVersion: number;
      signerSubject: string;
      signerIssuer: string;
      signerSerial: string;
      signerCertificateSha256: string;
      signingTime: string;
      signingTimeSource: 'signed-attribute' | 'verification-time';
      documentSha256: string;
      issuedDocumentSha256: string;
      templateSha256: string;
      subFilter: string;
      revocationChecked: boolean;
      warnings: readonly string[];
      approvalRef: string;
    };
  };
  'approval.reissued': {
    step: number;
    role: string;
    detail: {
      reason: string;
      to: string;
      from?: string;
      by: Actor;
      dueAt: string;
      supersededRef: string;
    };
  };
  /** The workflow recorded a decision on the step (the approval's, or the department's). */
  'decision.recorded': {
    step: number;
    role: string;
    detail: { phase: string; decision: Decision; by?: Actor; approvalId?: string; comment?: string };
  };
  /** A step ended: on a decision, or (role `system`) a notification step once its email went out. */
  'step.completed':
    | { step: number; role?: undefined; detail: { decision: Decision } }
    | { step: number; role: 'system'; detail: { emailed: number } };
  'step.deadline-breached': {
    step: number;
    role: string;
    detail: { phase: string; previousDueAt?: string; dueAt: string; escalations: number };
  };
  'onboarding.stalled': { step: number; role: string; detail: { phase: string; escalations: number } };
  'onboarding.needs-admin': {
    step: number;
    role: 'system';
    detail: { task: string; error: string; cause: string };
  };
  'onboarding.resumed': {
    step: number;
    role: 'system';
    detail: { reason: string; execution: string; replaced?: string; phase?: string; detail?: string };
  };
  'onboarding.cancelled': { step: number; role: 'admin'; by: Actor; detail: { reason: string } };
  'onboarding.reopened': {
    step: number;
    role: 'admin';
    by: Actor;
    detail: {
      reason: string;
      from: OnboardingStatus;
      /** Each step the reopening reset, by number, with its state as it was. */
      previousSteps: Readonly<Record<string, unknown>>;
      /** The return and replacement counters the reopening restarted, with their values as they were. */
      previousBounds: Readonly<Record<string, number>>;
    };
  };
  'email.failed': { step: number; role: string; detail: { purpose: string; reason: string } };
  'person.changed': {
    role: string;
    detail: {
      field: string;
      from: { name: string; email: string };
      to: { name: string; email: string };
      by: Actor;
    };
  };
  'service-codes.issued': { step: number; detail: { serviceCodes: string[] } };
  'onboarding.live': { step: number; detail: { serviceCodes: string[] } };
  'onboarding.rejected': { step: number };
}

/** A department's admin changes (`DEPT#<id>`), by type: fields stored beside the type. */
interface DepartmentAuditFields {
  'api-key.rotated': { by: Actor; graceUntil: string; keysOnGrace: number };
  'api-keys.revoked': { by: Actor; revoked: number; reason?: string };
  'department.deactivated': { by: Actor; reason: string; keysRevoked: number };
  /** `by` is the admin's identity as the CLI found it (one string). */
  'competent-authority.pinned': { by: string; email: string; name: string; replacedEmail?: string };
}

/** A service code's retirement (`CODE#<code>`). */
interface ServiceCodeAuditFields {
  'service.retired': { by: Actor; reason: string; previousStatus: string };
}

type Variants<Fields> = {
  [T in keyof Fields]: Fields[T] extends infer F
    ? F extends unknown
      ? { readonly type: T } & F
      : never
    : never;
}[keyof Fields];

export type OnboardingAuditEvent = Variants<OnboardingAuditFields>;
export type DepartmentAuditEvent = Variants<DepartmentAuditFields>;
export type ServiceCodeAuditEvent = Variants<ServiceCodeAuditFields>;
export type AuditEvent = OnboardingAuditEvent | DepartmentAuditEvent | ServiceCodeAuditEvent;
export type AuditType = AuditEvent['type'];
export type OnboardingAuditType = OnboardingAuditEvent['type'];

/** The names entries had before the naming above; stored entries keep them, readers map them here. */
const LEGACY_TYPES: Readonly<Record<string, AuditType>> = {
  ONBOARDING_CREATED: 'onboarding.created',
  STEP_STARTED: 'step.started',
  WAIT_STARTED: 'wait.started',
  TEMPLATES_REQUESTED: 'templates.requested',
  TEMPLATES_SUBMITTED: 'templates.submitted',
  APPROVAL_REQUESTED: 'approval.requested',
  APPROVAL_REISSUED: 'approval.reissued',
  DECISION: 'decision.recorded',
  STEP_COMPLETED: 'step.completed',
  STEP_DEADLINE_BREACHED: 'step.deadline-breached',
  ONBOARDING_STALLED: 'onboarding.stalled',
  NEEDS_ADMIN: 'onboarding.needs-admin',
  ONBOARDING_RESUMED: 'onboarding.resumed',
  ONBOARDING_CANCELLED: 'onboarding.cancelled',
  ONBOARDING_REOPENED: 'onboarding.reopened',
  EMAIL_FAILED: 'email.failed',
  PERSON_CHANGED: 'person.changed',
  SERVICE_CODES_ISSUED: 'service-codes.issued',
  ONBOARDING_LIVE: 'onboarding.live',
  ONBOARDING_REJECTED: 'onboarding.rejected',
  API_KEY_ROTATED: 'api-key.rotated',
  API_KEYS_REVOKED: 'api-keys.revoked',
  DEPARTMENT_DEACTIVATED: 'department.deactivated',
  COMPETENT_AUTHORITY_PINNED: 'competent-authority.pinned',
  SERVICE_RETIRED: 'service.retired',
};

/**
 * The type of a stored audit entry under today's names: an older name is mapped, a current one passes as
 * it is. A type this code does not know (written by a newer version) passes unchanged rather than failing
 * the whole trail.
 */
export function auditTypeOf(stored: unknown): AuditType | (string & {}) {
  const type = String(stored);
  return Object.hasOwn(LEGACY_TYPES, type) ? (LEGACY_TYPES[type] as AuditType) : type;
}
