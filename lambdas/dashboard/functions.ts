import type { FunctionSpec, RouteSpec } from '../functions';

/** The public e-Taal Delhi dashboard (issue 12) and the CloudWatch metrics of its figures. */
export const DASHBOARD_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Dashboard',
    entry: 'lambdas/dashboard/handler.ts',
    description:
      'GET /dashboard: the public e-Taal Delhi dashboard (live e-transactions, silent services, onboarding pipeline) and its chart script.',
    uses: { tables: { counts: 'read', serviceCodes: 'read', departments: 'read', onboardings: 'read' } },
    browserBundle: 'lambdas/dashboard/client/dashboard.ts',
    // Reads the report windows (30 days, 12 months) through the report queries.
    timeoutSeconds: 29,
  },
  {
    id: 'DashboardMetrics',
    entry: 'lambdas/dashboard/publish-metrics.ts',
    description:
      "Hourly: publishes the dashboard's figures (yesterday's live e-transactions, silent services, onboarding pipeline) as CloudWatch metrics.",
    uses: { tables: { counts: 'read', serviceCodes: 'read', departments: 'read', onboardings: 'read' } },
    schedule: { everyMinutes: 60 },
    timeoutSeconds: 120,
  },
];

export const DASHBOARD_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/dashboard', functionId: 'Dashboard', auth: 'none' },
  { method: 'GET', path: '/dashboard/assets/{asset}', functionId: 'Dashboard', auth: 'none' },
];
