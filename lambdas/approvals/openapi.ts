import type { RouteDocs } from '../shared/openapi';

const APPROVER_PAGES =
  'Pages for approvers, reached from the single-use links the workflow emails them (docs/workflow.md); no department calls them.';

/** Approval links are pages for people, not part of the department API (routes: ./functions.ts). */
export const approvalsRouteDocs: RouteDocs = () => ({
  'GET /approvals/{approvalId}': { notInReference: APPROVER_PAGES },
  'HEAD /approvals/{approvalId}': { notInReference: APPROVER_PAGES },
  'POST /approvals/{approvalId}': { notInReference: APPROVER_PAGES },
});
