import type { FunctionSpec, RouteSpec } from '../functions';

/** DeGS reports over counts (issue 4), for admins with IAM credentials. */
export const REPORTS_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Reports',
    entry: 'lambdas/reports/handler.ts',
    description:
      'DeGS reports: count totals by date, department, service, category and phase; silent live services.',
    uses: { tables: { aggregates: 'read', serviceCodes: 'read', departments: 'read' } },
    // Below API Gateway's 29-second integration timeout: the function ends (and logs) before the gateway.
    timeoutSeconds: 28,
    // A year grouped by date and service is 730k groups held at once (the bench's process holds about
    // 420 MB of heap after answering one: npm run bench -- reports), and Lambda gives CPU in proportion to
    // memory: 1,769 MB is one full vCPU, which that grouping needs to answer in about 2 s. Reports are rare
    // admin calls, so the larger size costs little.
    memorySize: 1769,
  },
  {
    id: 'AggregateCounts',
    entry: 'lambdas/reports/aggregator.ts',
    description:
      'Counts table stream: keeps the history of corrections and the day and month totals the reports and the dashboard read.',
    uses: { tables: { aggregates: 'readWrite', serviceCodes: 'read', counts: 'readWrite' } },
    consumesStreamOf: 'counts',
    timeoutSeconds: 60,
  },
];

export const REPORTS_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/admin/reports/totals', functionId: 'Reports', auth: 'iam' },
  { method: 'GET', path: '/admin/reports/silent-services', functionId: 'Reports', auth: 'iam' },
];
