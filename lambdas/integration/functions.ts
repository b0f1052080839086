import type { FunctionSpec, RouteSpec } from '../functions';

/** The hand-over kit (issue 10), reachable at any time with the department's API key. */
export const INTEGRATION_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'IntegrationKit',
    entry: 'lambdas/integration/handler.ts',
    description:
      "GET /v1/integration: the department's service codes, URLs and ready-to-paste count requests.",
    uses: { tables: { departments: 'read', config: 'read', serviceCodes: 'read' } },
  },
];

export const INTEGRATION_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/integration', functionId: 'IntegrationKit', auth: 'apiKey' },
];
