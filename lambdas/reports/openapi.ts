import type { RouteDocs } from '../shared/openapi';

const ADMIN_ONLY =
  'DeGS admin reports behind IAM (SigV4) authorization, used through `npm run admin -- report ...` (README, "Reports").';

/** Admin reports are not part of the department API (routes: ./functions.ts). */
export const reportsRouteDocs: RouteDocs = () => ({
  'GET /admin/reports/totals': { notInReference: ADMIN_ONLY },
  'GET /admin/reports/silent-services': { notInReference: ADMIN_ONLY },
});
