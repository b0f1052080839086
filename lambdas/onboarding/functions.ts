import { DOCUMENT_FONT_FILES } from '../documents/fonts';
import type { FunctionSpec, RouteSpec } from '../functions';
import { FUNCTION_IDS } from './workflow/definition';

/** The recovery sweep's function (scheduled by CDK, run at start-up and on an interval by local mode). */
export const RECOVER_FUNCTION_ID = 'OnboardingRecover';

/** The hourly reminder run (scheduled by CDK, on a timer in local mode: local/reminders.ts). */
export const REMINDERS_FUNCTION_ID = 'ApproverReminders';

/**
 * The onboarding workflow (issue 3): the department API and the Lambdas the state machine calls. The
 * workflow task functions are invoked only by the state machine (statemachines/onboarding.asl.json).
 */
export const ONBOARDING_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'CreateOnboarding',
    entry: 'lambdas/onboarding/api/create.ts',
    description:
      'POST /v1/onboardings: a department lists its services and nominates its nodal officer (SoP step 1).',
    uses: {
      tables: { departments: 'read', onboardings: 'readWrite', config: 'read' },
      stateMachine: ['start'],
    },
  },
  {
    id: 'SubmitTemplates',
    entry: 'lambdas/onboarding/api/submit-templates.ts',
    description:
      'PUT /v1/onboardings/{onboardingId}/templates: service-details templates as JSON or CSV (steps 3-4).',
    uses: {
      tables: { departments: 'read', onboardings: 'readWrite' },
      stateMachine: ['callback'],
      documents: 'readWrite',
    },
    // Up to 200 templates are written in batches of 25, with backoff when DynamoDB throttles, and rendered
    // as the Service Details Template PDF; still inside API Gateway's 29-second integration timeout.
    timeoutSeconds: 25,
    // Rendering is CPU-bound (shaping Devanagari); 1,769 MB is one full vCPU.
    memorySize: 1769,
    assets: Object.values(DOCUMENT_FONT_FILES),
  },
  {
    id: 'TemplateDocument',
    entry: 'lambdas/onboarding/api/template-document.ts',
    description:
      'GET /v1/onboardings/{onboardingId}/templates/{version}/document.pdf (and signed.pdf): the issued Service Details Template.',
    uses: { tables: { departments: 'read', onboardings: 'read' }, documents: 'read' },
  },
  {
    id: 'GetOnboarding',
    entry: 'lambdas/entries/get-onboarding.ts',
    description:
      'GET /v1/onboardings/{onboardingId}: the 12 steps with their status, deadlines and decisions, and who it waits for.',
    uses: { tables: { departments: 'read', onboardings: 'read', config: 'read', approvals: 'read' } },
  },
  {
    id: 'ChangeOnboardingPerson',
    entry: 'lambdas/entries/change-person.ts',
    description:
      'PUT /v1/onboardings/{onboardingId}/people/{role}: a new nodal officer or HoD on a running onboarding; pending links re-issued.',
    uses: { tables: { departments: 'read', onboardings: 'readWrite', approvals: 'readWrite' }, email: true },
  },
  {
    id: 'ListOnboardings',
    entry: 'lambdas/onboarding/api/list.ts',
    description: "GET /v1/onboardings: the calling department's onboardings, newest first.",
    uses: { tables: { departments: 'read', onboardings: 'read' } },
  },
  {
    id: FUNCTION_IDS.setDeadline,
    entry: 'lambdas/onboarding/tasks/set-deadline.ts',
    description: 'Workflow: starts a step or wait, records it and computes its deadline (SoP working days).',
    uses: { tables: { onboardings: 'readWrite', serviceCodes: 'readWrite', config: 'read' } },
  },
  {
    id: FUNCTION_IDS.requestAction,
    entry: 'lambdas/entries/onboarding-request-action.ts',
    description:
      'Workflow callback task: issues the approval link (or opens template submission) and emails the actor.',
    uses: { tables: { onboardings: 'readWrite', approvals: 'readWrite', config: 'read' }, email: true },
  },
  {
    id: FUNCTION_IDS.escalate,
    entry: 'lambdas/onboarding/tasks/escalate.ts',
    description:
      'Workflow: a wait passed its deadline; records the breach, escalates and sets a new deadline.',
    uses: { tables: { onboardings: 'readWrite', config: 'read' }, email: true },
  },
  {
    id: FUNCTION_IDS.recordDecision,
    entry: 'lambdas/onboarding/tasks/record-decision.ts',
    description: "Workflow: records an approver's decision and completes the step when it is complete.",
    uses: { tables: { onboardings: 'readWrite' } },
  },
  {
    id: FUNCTION_IDS.notify,
    entry: 'lambdas/onboarding/tasks/notify.ts',
    description:
      'Workflow: the automatic SoP steps 2, 5, 7 and 11 (emails with templates, codes, service details).',
    uses: { tables: { onboardings: 'readWrite', config: 'read' }, email: true },
  },
  {
    id: FUNCTION_IDS.outcomes,
    entry: 'lambdas/onboarding/tasks/outcomes.ts',
    description:
      'Workflow: issues Service Codes (step 6), takes services live (step 12) or records a rejection.',
    uses: {
      tables: { onboardings: 'readWrite', serviceCodes: 'readWrite' },
      email: true,
    },
    // Codes are issued one by one, in the order services were listed: up to 200 services × 4 writes.
    timeoutSeconds: 60,
  },
  {
    id: FUNCTION_IDS.needsAdmin,
    entry: 'lambdas/onboarding/tasks/needs-admin.ts',
    description:
      'Workflow: a task failed after its retries; records it (status ATTENTION), signals the operator, waits.',
    uses: { tables: { onboardings: 'readWrite' } },
  },
  {
    id: RECOVER_FUNCTION_ID,
    entry: 'lambdas/onboarding/tasks/recover.ts',
    description:
      'Recovery sweep (scheduled): resumes every open onboarding whose workflow execution stopped.',
    uses: { tables: { onboardings: 'readWrite' }, stateMachine: ['start', 'describe', 'stop'] },
    schedule: { everyMinutes: 15 },
    timeoutSeconds: 300,
  },
  {
    id: REMINDERS_FUNCTION_ID,
    entry: 'lambdas/entries/reminders.ts',
    description:
      'Hourly: on the working day before a due date, one digest per person of every task waiting for them (at most one a day).',
    uses: {
      tables: { onboardings: 'read', approvals: 'read', config: 'read' },
      email: true,
    },
    schedule: { everyMinutes: 60 },
    // One Query per open onboarding and one email per person due a digest: hundreds, not thousands.
    timeoutSeconds: 120,
    runbookFix:
      "Nothing is lost: a digest is sent at most once per person and day, and a run that failed leaves the day's unsent digests to the next hourly run (EventBridge also retries the run twice). Fix the cause (see the log); if it lasts past the end of the IST day, that day's due-soon reminders are skipped, and the deadlines and escalations go on regardless. A digest SES refused is counted in `ReminderDigestsFailed` and raises [EmailSendFailed](#emailsendfailed).",
  },
];

export const ONBOARDING_ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/onboardings', functionId: 'CreateOnboarding', auth: 'apiKey' },
  { method: 'GET', path: '/v1/onboardings', functionId: 'ListOnboardings', auth: 'apiKey' },
  { method: 'GET', path: '/v1/onboardings/{onboardingId}', functionId: 'GetOnboarding', auth: 'apiKey' },
  {
    method: 'PUT',
    path: '/v1/onboardings/{onboardingId}/people/{role}',
    functionId: 'ChangeOnboardingPerson',
    auth: 'apiKey',
  },
  {
    method: 'PUT',
    path: '/v1/onboardings/{onboardingId}/templates',
    functionId: 'SubmitTemplates',
    auth: 'apiKey',
  },
  {
    method: 'GET',
    path: '/v1/onboardings/{onboardingId}/templates/{version}/document.pdf',
    functionId: 'TemplateDocument',
    auth: 'apiKey',
  },
  {
    method: 'GET',
    path: '/v1/onboardings/{onboardingId}/templates/{version}/signed.pdf',
    functionId: 'TemplateDocument',
    auth: 'apiKey',
  },
];
