import { APPROVALS_FUNCTIONS, APPROVALS_ROUTES } from './approvals/functions';
import { CONNECTOR_FUNCTIONS, CONNECTOR_ROUTES } from './connector/functions';
import { COUNTS_FUNCTIONS, COUNTS_ROUTES } from './counts/functions';
import { DASHBOARD_FUNCTIONS, DASHBOARD_ROUTES } from './dashboard/functions';
import { DOCS_FUNCTIONS, DOCS_ROUTES } from './docs/functions';
import { INTEGRATION_FUNCTIONS, INTEGRATION_ROUTES } from './integration/functions';
import { ONBOARDING_FUNCTIONS, ONBOARDING_ROUTES } from './onboarding/functions';
import { REPORTS_FUNCTIONS, REPORTS_ROUTES } from './reports/functions';
import type { TableName } from './shared/tables';

/**
 * Every Lambda function of the system, as data, and the API routes that reach them.
 *
 * CDK builds one function per entry (bundled by lib/function-bundle.ts) and grants exactly what `uses`
 * says; the local runtime loads the same `entry` module and calls its `handler` export. State-machine tasks refer to a function as
 * `${<id>FunctionArn}` in statemachines/*.asl.json (a definition substitution in CDK, a local function in
 * local mode). Features add their functions and routes in their own `lambdas/<domain>/functions.ts`, which
 * are listed here.
 */
export type TableAccess = 'read' | 'readWrite';

export interface FunctionUses {
  readonly tables?: Partial<Record<TableName, TableAccess>>;
  /** Step Functions actions on the onboarding state machine. */
  readonly stateMachine?: readonly ('start' | 'callback' | 'describe' | 'stop')[];
  /** Sends email through SES v2 with the configured identity and configuration set. */
  readonly email?: boolean;
  /** Reads the credentials NIC's poller presents to the connector (the Secrets Manager secret, lib/connector-secret.ts). */
  readonly connectorCredentials?: boolean;
  /** Objects of the documents bucket: 'read' gets them, 'readWrite' also puts them (never deletes). */
  readonly documents?: TableAccess;
}

export interface FunctionSpec {
  /** PascalCase id, unique: the CDK construct id and the `${<id>FunctionArn}` substitution key. */
  readonly id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly uses: FunctionUses;
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  /** The function consumes this table's DynamoDB Stream (lib/stream-consumers.ts; locally local/dynamodb-streams.ts). */
  readonly consumesStreamOf?: TableName;
  /**
   * Files of npm packages the handler reads at run time (fonts), as module specifiers: a deployed
   * function gets them in `assets/` next to its bundle.
   */
  readonly assets?: readonly string[];
  /** Files the handler reads at run time, copied next to the bundle (`from`: relative to the repository). */
  readonly files?: readonly { readonly from: string; readonly to: string }[];
  /**
   * A browser script (relative to the repository root) bundled for the pages the function serves, into
   * `browser-assets/` beside its code (lib/browser-assets.ts).
   */
  readonly browserBundle?: string;
  /**
   * Invoked on a schedule: an EventBridge rule in AWS (lib/lambda-functions.ts), the one way a function
   * is scheduled. Local mode times the ones it needs itself (local/recovery.ts, local/reminders.ts).
   */
  readonly schedule?: { readonly everyMinutes: number };
  /** What an operator does when the function fails (docs/runbook.md), where the generic advice is wrong. */
  readonly runbookFix?: string;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, e.g. /v1/onboardings/{onboardingId} */
  readonly path: string;
  /** The FunctionSpec id that serves the route. */
  readonly functionId: string;
  /** 'apiKey': the department's key in x-api-key, checked by the handler; 'none': public or its own auth. */
  readonly auth: 'apiKey' | 'none' | 'iam';
  /**
   * 'STREAM': API Gateway passes the function's response stream on as it comes (no 6 MB / 29 s limit;
   * the handler is made with `awslambda.streamifyResponse`). Default: buffered.
   */
  readonly responseTransferMode?: 'STREAM';
}

const healthFunction: FunctionSpec = {
  id: 'Health',
  entry: 'lambdas/health/handler.ts',
  description: 'Liveness check: answers without touching any dependency.',
  uses: {},
};

const DECLARED_FUNCTIONS: readonly FunctionSpec[] = [
  healthFunction,
  ...APPROVALS_FUNCTIONS,
  ...COUNTS_FUNCTIONS,
  ...ONBOARDING_FUNCTIONS,
  ...CONNECTOR_FUNCTIONS,
  ...REPORTS_FUNCTIONS,
  ...DOCS_FUNCTIONS,
  ...INTEGRATION_FUNCTIONS,
  ...DASHBOARD_FUNCTIONS,
];

const DECLARED_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/health', functionId: 'Health', auth: 'none' },
  ...APPROVALS_ROUTES,
  ...COUNTS_ROUTES,
  ...ONBOARDING_ROUTES,
  ...CONNECTOR_ROUTES,
  ...REPORTS_ROUTES,
  ...DOCS_ROUTES,
  ...INTEGRATION_ROUTES,
  ...DASHBOARD_ROUTES,
];

export const ROUTES: readonly RouteSpec[] = DECLARED_ROUTES;

/**
 * Every function behind an API-key route counts failed keys per source (shared/guessing-limit), and every
 * function that sends email counts its daily cap per recipient (onboarding/email-cap): both write the
 * Limits table, granted here so a new route or mailer cannot miss it.
 */
function withLimits(spec: FunctionSpec): FunctionSpec {
  const needsLimits =
    spec.uses.email === true ||
    ROUTES.some((route) => route.functionId === spec.id && route.auth === 'apiKey');
  return needsLimits
    ? { ...spec, uses: { ...spec.uses, tables: { ...spec.uses.tables, limits: 'readWrite' } } }
    : spec;
}

export const FUNCTIONS: readonly FunctionSpec[] = DECLARED_FUNCTIONS.map(withLimits);
