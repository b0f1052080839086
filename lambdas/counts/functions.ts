import type { FunctionSpec, RouteSpec } from '../functions';

/** PushCounts' Lambda timeout: 1,000 counts take 40 BatchWriteItem calls, well inside it. */
const PUSH_TIMEOUT_SECONDS = 28;

/** The count push API for departments (issue 4). */
export const COUNTS_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'PushCounts',
    entry: 'lambdas/entries/push-counts.ts',
    description: 'PUT /v1/counts: a department sets daily e-transaction totals of its services.',
    uses: {
      tables: {
        departments: 'read',
        config: 'readWrite',
        serviceCodes: 'read',
        counts: 'readWrite',
        idempotency: 'readWrite',
        onboardings: 'readWrite',
      },
      stateMachine: ['callback'],
    },
    memorySize: 512,
    timeoutSeconds: PUSH_TIMEOUT_SECONDS,
  },
  {
    id: 'ListCounts',
    entry: 'lambdas/counts/list.ts',
    description: 'GET /v1/counts: a department reads its own stored counts with their corrections.',
    uses: { tables: { departments: 'read', config: 'readWrite', serviceCodes: 'read', counts: 'read' } },
  },
];

export const COUNTS_ROUTES: readonly RouteSpec[] = [
  { method: 'PUT', path: '/v1/counts', functionId: 'PushCounts', auth: 'apiKey' },
  { method: 'GET', path: '/v1/counts', functionId: 'ListCounts', auth: 'apiKey' },
];
