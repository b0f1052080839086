import type { RouteDocs } from '../shared/openapi';

const PUBLIC_PAGE =
  'The public e-Taal Delhi dashboard: a page for people and its script and stylesheet, not part of the department API (docs/dashboard.md).';

/** The dashboard is a page, not an API (routes: ./functions.ts). */
export const dashboardRouteDocs: RouteDocs = () => ({
  'GET /dashboard': { notInReference: PUBLIC_PAGE },
  'GET /dashboard/assets/{asset}': { notInReference: PUBLIC_PAGE },
});
