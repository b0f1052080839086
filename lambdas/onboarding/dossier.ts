import { formatIst } from '../core/calendar';
import { ROLES, type Role, type StepNumber, sopStep } from '../core/sop';
import type { ServiceTemplate } from '../core/template';
import type { Decision, DecisionRecord, Onboarding, Person } from '../core/workflow';
import { type PageSection, stepModule } from './steps';

/**
 * The decision dossier: everything an approver needs to decide one step, on one page. A pure model of
 * the onboarding (no AWS, no markup), rendered by the approval pages (approvals/dossier-page.ts) and by
 * the approval emails (./dossier-email.ts), so the two always say the same. What differs per step is
 * declared in the step modules (`page.section`, `page.recap`) or read from the SoP table (the roles
 * whose approvals a step needs): this file never tests a step number.
 */

/** A test count as the counts domain stores it (read through ports.ts `TestCountsReader`). */
export interface TestCount {
  readonly serviceCode: string;
  readonly date: string;
  readonly locationCode: string;
  readonly count: number;
}

export interface DossierDecision {
  readonly step: StepNumber;
  readonly stepTitle: string;
  readonly role: Role | 'system';
  readonly decision: Decision;
  /** "Approved", "Returned for amendments", "Rejected". */
  readonly verb: string;
  /** Who decided, for people: "Name <email>", "on behalf of" someone, or the role when no person is known. */
  readonly who: string;
  readonly roleLabel: string;
  readonly decidedAt: string;
  /** `decidedAt` in IST, as people read it. */
  readonly at: string;
  readonly comment?: string;
}

export interface DossierService {
  readonly serviceName: string;
  readonly serviceCode?: string;
  /** The service's row of the current templates (shown in full at the template steps). */
  readonly template?: ServiceTemplate;
}

/** What arrived from one service in its test phase; `received` false flags a silent service. */
export interface ServiceTestCounts {
  readonly serviceName: string;
  readonly serviceCode?: string;
  readonly received: boolean;
  readonly days: number;
  readonly locations: number;
  readonly total: number;
  readonly firstDate?: string;
  readonly lastDate?: string;
  /** Each daily total received, by date then location. */
  readonly counts: readonly Omit<TestCount, 'serviceCode'>[];
}

/** Another role whose approval the same step needs (step 10's two state-level approvals). */
export interface CoApprover {
  readonly role: Role;
  readonly roleLabel: string;
  readonly status: 'approved' | 'rejected' | 'returned' | 'waiting';
  readonly decision?: DossierDecision;
}

export interface Dossier {
  readonly step: StepNumber;
  readonly role: Role;
  readonly department: { readonly name: string; readonly code: string };
  readonly onboardingId: string;
  readonly nodalOfficer: Person;
  readonly competentAuthority: Person;
  /** How the services are shown: full templates, or names with their codes (the step module's section). */
  readonly section: PageSection;
  readonly services: readonly DossierService[];
  /** Every earlier decision of the onboarding (earlier steps, earlier rounds of this one), oldest first. */
  readonly history: readonly DossierDecision[];
  /** Per service, where the step shows test counts. */
  readonly testCounts?: readonly ServiceTestCounts[];
  /** The other roles deciding the same step, where it needs several. */
  readonly coApprovers?: readonly CoApprover[];
  /** Earlier decisions the step module asks to show on their own. */
  readonly recap?: { readonly heading: string; readonly decisions: readonly DossierDecision[] };
}

export interface DossierInput {
  /** The onboarding, with its templates where the step shows them (`getOnboarding`). */
  readonly onboarding: Onboarding;
  readonly step: StepNumber;
  /** The role the dossier is for (whose link it is). */
  readonly role: Role;
  /** The test counts of the onboarding's services, where the step shows them. */
  readonly testCounts?: readonly TestCount[];
}

const VERBS: Readonly<Record<Decision, string>> = {
  approve: 'Approved',
  return: 'Returned for amendments',
  reject: 'Rejected',
};

const STATUS_OF: Readonly<Record<Decision, CoApprover['status']>> = {
  approve: 'approved',
  return: 'returned',
  reject: 'rejected',
};

/** Whether a step's page lists the test counts received (the step module's section says so). */
export const showsTestCounts = (step: number): boolean =>
  stepModule(step).page?.section === 'servicesWithTestCounts';

/** Whether a step's page shows the full templates (so the onboarding must be read with them). */
export const showsTemplates = (step: number): boolean => stepModule(step).page?.section === 'templates';

function who(record: DecisionRecord): string {
  const role = ROLES[record.role];
  if (!record.by) return role;
  const person = `${record.by.name} <${record.by.email}>`;
  const behalf = record.by.onBehalfOf
    ? ` on behalf of ${record.by.onBehalfOf.name} <${record.by.onBehalfOf.email}>`
    : '';
  return `${person}${behalf}, ${role}`;
}

export function dossierDecision(step: StepNumber, record: DecisionRecord): DossierDecision {
  return {
    step,
    stepTitle: sopStep(step).title,
    role: record.role,
    decision: record.decision,
    verb: VERBS[record.decision],
    who: who(record),
    roleLabel: ROLES[record.role],
    decidedAt: record.decidedAt,
    at: formatIst(new Date(record.decidedAt)),
    ...(record.comment ? { comment: record.comment } : {}),
  };
}

/** Every recorded decision of the onboarding, oldest first. */
function allDecisions(onboarding: Onboarding): DossierDecision[] {
  return Object.entries(onboarding.steps)
    .flatMap(([number, state]) =>
      (state.decisions ?? []).map((record) => dossierDecision(sopStep(Number(number)).number, record)),
    )
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
}

/** The roles besides `role` whose approvals `step` needs. */
function otherApprovers(step: StepNumber, role: Role): Role[] {
  const completion = sopStep(step).completion;
  const roles = completion.kind === 'approval' ? completion.roles : [];
  return roles.length > 1 ? roles.filter((r) => r !== role) : [];
}

function coApproverStatus(role: Role, decisions: readonly DossierDecision[]): CoApprover {
  const latest = decisions.filter((d) => d.role === role).at(-1);
  return {
    role,
    roleLabel: ROLES[role],
    status: latest ? STATUS_OF[latest.decision] : 'waiting',
    ...(latest ? { decision: latest } : {}),
  };
}

function perService(services: readonly DossierService[], counts: readonly TestCount[]): ServiceTestCounts[] {
  const byCode = new Map<string, TestCount[]>();
  for (const count of counts)
    byCode.set(count.serviceCode, [...(byCode.get(count.serviceCode) ?? []), count]);
  return services.map((service) => {
    const received = (service.serviceCode && byCode.get(service.serviceCode)) || [];
    const dates = [...new Set(received.map((c) => c.date))].sort();
    return {
      serviceName: service.serviceName,
      ...(service.serviceCode ? { serviceCode: service.serviceCode } : {}),
      received: received.length > 0,
      days: dates.length,
      locations: new Set(received.map((c) => c.locationCode)).size,
      total: received.reduce((sum, c) => sum + c.count, 0),
      ...(dates.length > 0 ? { firstDate: dates[0], lastDate: dates.at(-1) } : {}),
      counts: received
        .map(({ date, locationCode, count }) => ({ date, locationCode, count }))
        .sort((a, b) => a.date.localeCompare(b.date) || a.locationCode.localeCompare(b.locationCode)),
    };
  });
}

export function buildDossier(input: DossierInput): Dossier {
  const { onboarding, step, role } = input;
  const page = stepModule(step).page;
  const templates = new Map((onboarding.templates ?? []).map((t) => [t.serviceName, t]));
  const services: DossierService[] = onboarding.services.map((service) => {
    const template = templates.get(service.serviceName);
    return { ...service, ...(template ? { template } : {}) };
  });
  const decisions = allDecisions(onboarding);
  const coRoles = otherApprovers(step, role);
  // This step's decisions by its co-approvers are their status, not history.
  const history = decisions.filter((d) => !(d.step === step && coRoles.includes(d.role as Role)));
  const recapSteps: readonly number[] = page?.recap?.steps ?? [];
  return {
    step,
    role,
    department: { name: onboarding.departmentName, code: onboarding.departmentCode },
    onboardingId: onboarding.onboardingId,
    nodalOfficer: onboarding.nodalOfficer,
    competentAuthority: onboarding.competentAuthority,
    section: page?.section ?? 'servicesWithCodes',
    services,
    history,
    ...(showsTestCounts(step) ? { testCounts: perService(services, input.testCounts ?? []) } : {}),
    ...(coRoles.length > 0
      ? {
          coApprovers: coRoles.map((r) =>
            coApproverStatus(
              r,
              decisions.filter((d) => d.step === step),
            ),
          ),
        }
      : {}),
    ...(page?.recap
      ? {
          recap: {
            heading: page.recap.heading,
            decisions: decisions.filter((d) => recapSteps.includes(d.step)),
          },
        }
      : {}),
  };
}
