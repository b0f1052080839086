import { renderServiceError } from '../lambdas/connector/document';
import { MAX_FORM_BYTES, MAX_SOAP_BYTES } from '../lambdas/connector/request';
import type { RouteSpec } from '../lambdas/functions';
import { PROBLEM_TYPES, type ProblemTypeSlug, problemTypeUri } from '../lambdas/shared/problem-types';

/**
 * The limits at the edge, as data: the WAF web ACL (lib/web-acl.ts) and API Gateway's per-method throttling
 * (lib/rest-api.ts) are built from them, and local mode's API server (local/edge-limiter.ts) enforces the
 * same per-IP rules, so the tests show what AWS will do. Pure: no CDK import.
 */

/** How a route is authenticated decides its budget: one caller class cannot use up another's. */
export type RouteBudget = 'departmentApi' | 'approvals' | 'connector' | 'public' | 'admin';

export const CONNECTOR_PATH_PREFIX = '/etaal/';
const APPROVALS_PATH_PREFIX = '/approvals/';

export function routeBudget(route: Pick<RouteSpec, 'path' | 'auth'>): RouteBudget {
  if (route.auth === 'apiKey') return 'departmentApi';
  if (route.auth === 'iam') return 'admin';
  if (route.path.startsWith(CONNECTOR_PATH_PREFIX)) return 'connector';
  if (route.path.startsWith(APPROVALS_PATH_PREFIX)) return 'approvals';
  return 'public';
}

/**
 * API Gateway per-method throttling (token bucket, requests per second and burst), one budget per caller
 * class. The stage default applies to nothing else; it stays at the old stage-wide figure.
 */
export const METHOD_THROTTLES: Readonly<Record<RouteBudget, { rateLimit: number; burstLimit: number }>> = {
  // ~40 departments pushing daily counts and onboarding: the largest share.
  departmentApi: { rateLimit: 20, burstLimit: 40 },
  // Approvers click emailed links: a few a minute across Delhi.
  approvals: { rateLimit: 5, burstLimit: 10 },
  // NIC's poller: one call per service and day, paged.
  connector: { rateLimit: 5, burstLimit: 10 },
  public: { rateLimit: 5, burstLimit: 10 },
  admin: { rateLimit: 2, burstLimit: 5 },
};

export const STAGE_THROTTLE = { rateLimit: 25, burstLimit: 50 } as const;

/** WAF rate-based rules count over a sliding window of 60, 120, 300 or 600 s; 60 keeps blocks short. */
export const RATE_WINDOW_SECONDS = 60;

export interface PerIpRateLimit {
  /** WAF rule name and metric name. */
  readonly name: string;
  /** Requests one IP address may send in RATE_WINDOW_SECONDS to the routes of these budgets. */
  readonly limit: number;
  readonly budgets: readonly RouteBudget[];
  readonly purpose: string;
}

/**
 * Per source IP address. The unauthenticated routes get a limit a person clicking links never reaches; the
 * connector a stricter one (NIC polls, it does not browse); the department API a generous one that only a
 * flood reaches, so one source cannot use up the stage's budget for every department.
 */
export const PER_IP_RATE_LIMITS: readonly PerIpRateLimit[] = [
  {
    name: 'ConnectorPerIp',
    limit: 30,
    budgets: ['connector'],
    purpose: 'NIC polls the connector; anything faster from one address is guessing or a loop.',
  },
  {
    name: 'UnauthenticatedPerIp',
    limit: 100,
    budgets: ['approvals', 'public'],
    purpose: 'Approval pages and public pages need no key: a person never clicks 100 times a minute.',
  },
  {
    name: 'DepartmentApiPerIp',
    limit: 600,
    budgets: ['departmentApi', 'admin'],
    purpose: 'A department behind one NAT pushes in bursts; only a flood from one address reaches this.',
  },
];

/** The per-IP rule that covers a route's budget. */
export function perIpLimitFor(budget: RouteBudget): PerIpRateLimit {
  const rule = PER_IP_RATE_LIMITS.find((r) => r.budgets.includes(budget));
  if (!rule) throw new RangeError(`No per-IP limit covers ${budget}`);
  return rule;
}

/**
 * An RFC 9457 problem the edge answers with (WAF, API Gateway, local mode's API server), typed like the
 * handlers' problems: `baseUrl` is the API's public base URL (a CDK token in lib/), so the type resolves
 * to its explanation in the reference.
 */
export function edgeProblemBody(
  slug: ProblemTypeSlug,
  status: number,
  detail: string,
  baseUrl: string,
): string {
  return JSON.stringify({
    type: problemTypeUri(slug, baseUrl),
    title: PROBLEM_TYPES[slug].title,
    status,
    detail,
  });
}

/** The edge's own refusals: AWS WAF's rules, and local mode's per-IP limiter for the first. */
export const EDGE_REFUSALS = {
  tooManyRequests: {
    status: 429,
    slug: 'address-rate-limit',
    detail: `Too many requests from your address; wait ${RATE_WINDOW_SECONDS} seconds and send again.`,
  },
  payloadTooLarge: {
    status: 413,
    slug: 'payload-too-large',
    detail: 'The request body is larger than this route accepts.',
  },
  forbidden: { status: 403, slug: 'forbidden', detail: 'This request was refused at the edge.' },
} as const satisfies Record<string, { status: number; slug: ProblemTypeSlug; detail: string }>;
export type EdgeRefusal = keyof typeof EDGE_REFUSALS;

/**
 * What an edge refusal's body is. The edge's own 403 and 429 are problems on every route, the connector's
 * included (documented for every operation: EDGE_PROBLEMS in lambdas/shared/openapi.ts). A 413 is the
 * handler's own limit checked early, so it answers as the handler would: for the connector, its XML
 * error document (NIC's poller reads XML), as the connector's reference documents it.
 */
export type EdgeAnswerFormat = 'problem' | 'xml';
export const bodyLimitFormat = (budget: RouteBudget): EdgeAnswerFormat =>
  budget === 'connector' ? 'xml' : 'problem';

/** A refusal's body in a format; a problem's type resolves under `baseUrl`, like the handlers' problems. */
export function edgeRefusalBody(refusal: EdgeRefusal, format: EdgeAnswerFormat, baseUrl: string): string {
  const { status, slug, detail } = EDGE_REFUSALS[refusal];
  return format === 'xml'
    ? renderServiceError('xml', status, detail)
    : edgeProblemBody(slug, status, detail, baseUrl);
}

/** What a request over a per-IP limit gets, at the edge and locally: 429, Retry-After, a problem. */
export const RATE_LIMITED_STATUS = EDGE_REFUSALS.tooManyRequests.status;
export const rateLimitedBody = (baseUrl: string): string =>
  edgeRefusalBody('tooManyRequests', 'problem', baseUrl);

/** The largest request body each kind of route accepts (the handlers' own limits, checked at the edge too). */
export const MAX_BODY_BYTES_BY_BUDGET: Readonly<Record<RouteBudget, number>> = {
  // A form or a SOAP envelope: the larger of the two; the handler holds each to its own limit.
  connector: Math.max(MAX_FORM_BYTES, MAX_SOAP_BYTES),
  // The forms of an approval link (MAX_FORM_BYTES in lambdas/approvals/form.ts).
  approvals: 32 * 1024,
  public: 16 * 1024,
  admin: 16 * 1024,
  // The largest department request: a templates upload (lambdas/onboarding/api/submit-templates.ts).
  departmentApi: 3 * 1024 * 1024,
};

/**
 * A regular expression matching exactly the decimal integers greater than `n` (no sign, no leading zeros
 * beyond a lone 0), for a WAF rule on the Content-Length header: WAF compares lengths, not numbers.
 */
export function integerGreaterThanPattern(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  const digits = String(n);
  const alternatives = [`[1-9]\\d{${digits.length},}`];
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[i]);
    if (digit === 9) continue;
    const rest = digits.length - i - 1;
    const head = digits.slice(0, i);
    const range = digit + 1 === 9 ? '9' : `[${digit + 1}-9]`;
    alternatives.push(`${head}${range}${rest > 0 ? `\\d{${rest}}` : ''}`);
  }
  return `^(${alternatives.join('|')})$`;
}
