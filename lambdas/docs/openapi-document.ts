import { createDocument, type oas31 } from 'zod-openapi';
import { approvalsRouteDocs } from '../approvals/openapi';
import { connectorRouteDocs } from '../connector/openapi';
import { istDateOf } from '../core/calendar';
import { formatDayNumber, requireIsoDate } from '../core/iso-date';
import { countsRouteDocs } from '../counts/openapi';
import { dashboardRouteDocs } from '../dashboard/openapi';
import { ROUTES, type RouteSpec } from '../functions';
import { healthRouteDocs } from '../health/openapi';
import { integrationRouteDocs } from '../integration/openapi';
import { onboardingRouteDocs } from '../onboarding/openapi';
import { onboardingPeopleRouteDocs } from '../onboarding/people-openapi';
import { reportsRouteDocs } from '../reports/openapi';
import {
  API_KEY_SCHEME,
  type DocContext,
  isDocumented,
  type RouteDoc,
  type RouteDocs,
  type RouteKey,
} from '../shared/openapi';
import { PROBLEM_TYPE_SLUGS, PROBLEM_TYPES, problemTypeUri } from '../shared/problem-types';
import { docsRouteDocs } from './openapi';

/**
 * The OpenAPI 3.1 document of the API, built from the route table (lambdas/functions.ts) and the route
 * documentation each domain keeps next to its routes (lambdas/<domain>/openapi.ts), whose schemas are
 * the handlers' own zod schemas. zod-openapi turns them into JSON Schema 2020-12 (zod 4's own
 * converter underneath), so the reference cannot describe a field the handler does not check.
 *
 * Every route must have an entry: an operation or the reason it is not in the reference. A route
 * without one, or an entry without a route, throws, so the document cannot silently fall behind.
 */

/** Each domain's documentation; a new domain with routes adds its function here. */
const DOMAIN_DOCS: readonly RouteDocs[] = [
  healthRouteDocs,
  onboardingRouteDocs,
  onboardingPeopleRouteDocs,
  countsRouteDocs,
  integrationRouteDocs,
  docsRouteDocs,
  connectorRouteDocs,
  approvalsRouteDocs,
  reportsRouteDocs,
  dashboardRouteDocs,
];

export function docContext(now: Date): DocContext {
  return { yesterday: formatDayNumber(requireIsoDate(istDateOf(now)) - 1) };
}

export function collectRouteDocs(
  context: DocContext,
  routes: readonly RouteSpec[] = ROUTES,
  domains: readonly RouteDocs[] = DOMAIN_DOCS,
): Map<RouteKey, RouteDoc> {
  const docs = new Map<RouteKey, RouteDoc>();
  for (const domain of domains) {
    for (const [key, doc] of Object.entries(domain(context)) as [RouteKey, RouteDoc][]) {
      if (docs.has(key)) throw new Error(`${key} is documented twice`);
      docs.set(key, doc);
    }
  }
  const routeKeys = new Set(routes.map((r): RouteKey => `${r.method} ${r.path}` as RouteKey));
  const undocumented = [...routeKeys].filter((key) => !docs.has(key));
  const stale = [...docs.keys()].filter((key) => !routeKeys.has(key));
  if (undocumented.length > 0 || stale.length > 0) {
    throw new Error(
      [
        ...undocumented.map((key) => `${key} has no entry in its domain's openapi.ts`),
        ...stale.map((key) => `${key} is documented but is not a route in lambdas/functions.ts`),
      ].join('\n'),
    );
  }
  return docs;
}

const DESCRIPTION = `The e-Taal Delhi API: GNCTD departments onboard their e-services onto the national e-Taal portal (the DeGS e-Taal Integration SoP, 12 steps) and send the daily e-transaction counts of those services. This reference is generated from the same schemas the API validates requests with.

# Getting started

1. DeGS gives your department an **API key**. Send it in the \`x-api-key\` header of every request; keep it secret.
2. Start an onboarding (\`POST /v1/onboardings\`), follow it (\`GET /v1/onboardings/{onboardingId}\`) and submit the service-details templates when asked (step 3).
3. After step 7 you receive a Government Service Code per service. \`GET /v1/integration\` shows your codes and ready-to-paste requests at any time.
4. Send each day's totals with \`PUT /v1/counts\` (JSON or a CSV file from a spreadsheet) and read them back with \`GET /v1/counts\`.

# Retries and idempotency

Send an \`Idempotency-Key\` header (e.g. a UUID) with \`PUT /v1/counts\` and \`POST /v1/onboardings\`: a retried request with the same key and body is answered like the first instead of being applied twice. Counts have replace semantics: sending the same day's total again changes nothing. On \`429\` and \`503\`, wait the seconds in \`Retry-After\` and send the same request again.

# Errors

Every error of the department API is \`application/problem+json\` (RFC 9457) with a \`type\` URI to branch on (open it: it leads to the type's explanation below), a \`detail\` for people and, when fields are at fault, \`errors\` naming each one. Invalid input is refused as a whole: nothing is stored. (The e-Taal Client Connector, for NIC's poller, answers its errors in XML.)

# Problem types

${PROBLEM_TYPE_SLUGS.map(
  (slug) => `## ${slug}

\`${problemTypeUri(slug)}\` — *${PROBLEM_TYPES[slug].title}*

${PROBLEM_TYPES[slug].meaning}`,
).join('\n\n')}
`;

export function buildOpenApiDocument(options: { now: Date; serverUrl?: string }): oas31.OpenAPIObject {
  const docs = collectRouteDocs(docContext(options.now));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, doc] of docs) {
    if (!isDocumented(doc)) continue;
    const [method, path] = key.split(' ') as [string, string];
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = doc;
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'e-Taal Delhi API',
      version: '1.0.0',
      description: DESCRIPTION,
      license: { name: 'Government of NCT of Delhi', identifier: 'LicenseRef-GNCTD' },
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl, description: 'This deployment' }] } : {}),
    tags: [
      { name: 'Onboarding', description: 'SoP steps 1-4: start an onboarding and follow it.' },
      { name: 'Counts', description: 'Daily e-transaction totals of your services (from SoP step 8).' },
      { name: 'Integration', description: 'Your hand-over kit: codes, URLs and ready-to-paste requests.' },
      { name: 'Service', description: 'Liveness and this reference.' },
      {
        name: 'e-Taal Client Connector',
        description: "What NIC's e-Taal poller calls to collect live counts (not for departments).",
      },
    ],
    components: {
      securitySchemes: {
        [API_KEY_SCHEME]: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'The department API key DeGS issued to your department.',
        },
      },
    },
    paths: paths as never,
  });
}
