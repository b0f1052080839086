/**
 * The Delhi e-Governance Society's e-Taal Integration SoP, as data.
 *
 * This is the single source of truth for the 12 steps: the state machine, the emails, the status API
 * and the README table all read it. Nothing else restates a step's name, actor or timeline.
 * Source: shared/sop/etaal-integration-sop.txt ("Approximate Total Timeline 25 Days").
 */

export const ROLES = {
  department: 'Department (nodal officer)',
  competentAuthority: 'Competent authority (HoD)',
  etaalNodalContact: 'e-Taal Nodal Contact',
  degsTechnical: 'DeGS Technical team',
  stateCommittee: 'State Committee',
  etaalCentralTeam: 'e-Taal Central Team',
  centralCommittee: 'Central Committee',
  system: 'DeGS (automatic)',
} as const;

export type Role = keyof typeof ROLES;

/** Roles whose people are configured by admins (not departments): they receive approval links. */
export const CONFIGURED_ROLES = [
  'etaalNodalContact',
  'degsTechnical',
  'stateCommittee',
  'etaalCentralTeam',
  'centralCommittee',
] as const satisfies readonly Role[];

/** How a step completes in the system. */
export type Completion =
  | { kind: 'api'; description: string }
  | { kind: 'automatic'; description: string }
  | { kind: 'approval'; roles: readonly Role[]; description: string }
  | { kind: 'approvalOrSignal'; roles: readonly Role[]; description: string };

export type StepNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12;

export interface SopStep {
  readonly number: StepNumber;
  /** Short title used as the Step Functions state name (max 80 chars with its prefix). */
  readonly title: string;
  /** The activity as the SoP words it. */
  readonly sopText: string;
  /** Roles that act in this step, in order. */
  readonly actors: readonly Role[];
  readonly workingDays: number;
  readonly completion: Completion;
  /** The step that follows on the normal path; null after the last step. */
  readonly next: StepNumber | null;
  /** Where a "return for amendments" decision goes, and which step the resubmission comes back to. */
  readonly amendmentLoop?: { readonly returnsTo: StepNumber; readonly resubmissionWorkingDays: number };
  /**
   * The step generates the services' Government Service Codes after its approval completes it: until
   * every service has its code, the step is not finished (a resumed onboarding goes back to it).
   */
  readonly issuesServiceCodes?: true;
}

export const SOP_STEPS: readonly SopStep[] = [
  {
    number: 1,
    title: 'List services and nominate nodal officer',
    sopText:
      'GNCTD Department shall review, identify and list-down their online and electronic services (over the counter) and nominate a nodal officer, preferably an IT cadre officer or IT in-charge.',
    actors: ['department'],
    workingDays: 1,
    completion: { kind: 'api', description: 'The department submits POST /v1/onboardings.' },
    next: 2,
  },
  {
    number: 2,
    title: 'Share service-details template with nodal officer',
    sopText:
      'DeGS will share a template with the nodal officer of the department to collect its services details.',
    actors: ['system'],
    workingDays: 1,
    completion: {
      kind: 'automatic',
      description: 'The template and its rules are emailed to the nodal officer.',
    },
    next: 3,
  },
  {
    number: 3,
    title: 'Templates filled and approved by HoD',
    sopText:
      'Each Department gets the Service Details template approved (signed) by its HoD/Competent authority and sends it back to the e-Taal Nodal Contact.',
    actors: ['department', 'competentAuthority'],
    workingDays: 5,
    completion: {
      kind: 'approval',
      roles: ['competentAuthority'],
      description:
        'The department submits the filled templates; its competent authority approves them from an emailed link.',
    },
    next: 4,
  },
  {
    number: 4,
    title: 'Review by e-Taal Nodal Contact',
    sopText:
      'In case of any amendments in the filled service details at the level of the e-Taal nodal contact, the template is returned to the department to make the required changes and return it.',
    actors: ['etaalNodalContact'],
    workingDays: 2,
    completion: {
      kind: 'approval',
      roles: ['etaalNodalContact'],
      description: 'The e-Taal Nodal Contact approves, returns for amendments with a comment, or rejects.',
    },
    next: 5,
    amendmentLoop: { returnsTo: 4, resubmissionWorkingDays: 2 },
  },
  {
    number: 5,
    title: 'Approved templates shared with DeGS Technical team',
    sopText: 'The e-Taal Nodal Contact shares the approved template with the DeGS Technical team.',
    actors: ['system'],
    workingDays: 1,
    completion: {
      kind: 'automatic',
      description: 'The approved templates are emailed to the DeGS Technical team.',
    },
    next: 6,
  },
  {
    number: 6,
    title: 'Register services and generate Service Codes',
    sopText:
      'The DeGS Technical team registers the department services onto the e-Taal Portal. A unique Government Service Code is generated by the system for each service.',
    actors: ['degsTechnical'],
    workingDays: 2,
    completion: {
      kind: 'approval',
      roles: ['degsTechnical'],
      description:
        'The DeGS Technical team clicks "Register services"; the system issues one code per service.',
    },
    next: 7,
    issuesServiceCodes: true,
  },
  {
    number: 7,
    title: 'Hand over Service Codes and Web-Service URL',
    sopText:
      "The DeGS Technical team shares the unique 'Government Service Code' and the Web-Service URL along with the integration steps with the nodal officer of the department.",
    actors: ['system'],
    workingDays: 2,
    completion: {
      kind: 'automatic',
      description:
        'Each service code, the count API URL and the integration steps are emailed to the nodal officer.',
    },
    next: 8,
  },
  {
    number: 8,
    title: 'Department integrates with the web service',
    sopText:
      'The concerned Department consumes the web service as per the procedure defined in the guidelines, with assistance from the DeGS Technical team.',
    actors: ['department'],
    workingDays: 5,
    completion: {
      kind: 'approvalOrSignal',
      roles: ['degsTechnical'],
      description:
        "Completes when the first test counts for the onboarding's services arrive, or when the DeGS Technical team confirms it from a link.",
    },
    next: 9,
  },
  {
    number: 9,
    title: 'Integration tested with DeGS',
    sopText:
      'After integration with the web service, the Department tests the system with DeGS. The count of service starts reflecting onto the database of DeGS.',
    actors: ['degsTechnical'],
    workingDays: 1,
    completion: {
      kind: 'approval',
      roles: ['degsTechnical'],
      description:
        'The DeGS Technical team confirms the test from a link that shows the test counts received.',
    },
    next: 10,
  },
  {
    number: 10,
    title: 'State-level approval',
    sopText:
      'On successful integration, the DeGS Technical team informs the e-Taal Nodal Contact. The e-Taal Nodal Contact and the State Committee examine and approve the services at state level.',
    actors: ['etaalNodalContact', 'stateCommittee'],
    workingDays: 2,
    completion: {
      kind: 'approval',
      roles: ['etaalNodalContact', 'stateCommittee'],
      description: 'The e-Taal Nodal Contact and the State Committee both approve from their links.',
    },
    next: 11,
  },
  {
    number: 11,
    title: 'Service details shared with e-Taal Central Team',
    sopText:
      "After approval by the State Committee, the Department's Government service details are shared with the e-Taal Central Team.",
    actors: ['system'],
    workingDays: 1,
    completion: {
      kind: 'automatic',
      description: 'The service details are emailed to the e-Taal Central Team.',
    },
    next: 12,
  },
  {
    number: 12,
    title: 'Central Committee approval',
    sopText:
      'Finally, the Central Committee approves and the Government service transaction counts start reflecting onto the e-Taal Portal.',
    actors: ['centralCommittee'],
    workingDays: 2,
    completion: {
      kind: 'approval',
      roles: ['centralCommittee'],
      description: 'The Central Committee approves from its link; the services go live on national e-Taal.',
    },
    next: null,
  },
];

export function sopStep(number: number): SopStep {
  const step = SOP_STEPS.find((s) => s.number === number);
  if (!step) throw new RangeError(`No SoP step ${number}`);
  return step;
}

/** The Step Functions state name for a step, e.g. "Step 04 - Review by e-Taal Nodal Contact". */
export function stepStateName(number: number): string {
  return `Step ${String(number).padStart(2, '0')} - ${sopStep(number).title}`;
}

export const TOTAL_WORKING_DAYS = SOP_STEPS.reduce((sum, s) => sum + s.workingDays, 0);

/** The step POST /v1/onboardings completes; the workflow execution starts at the one after it. */
export const FIRST_STEP: StepNumber = SOP_STEPS[0]?.number ?? 1;
export const FIRST_WORKFLOW_STEP: StepNumber = SOP_STEPS[0]?.next ?? 2;

/** The step whose completion puts the services live on national e-Taal. */
export const LAST_STEP: StepNumber = SOP_STEPS[SOP_STEPS.length - 1]?.number ?? 12;
