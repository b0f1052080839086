import type { RouteDocs } from '../shared/openapi';

const APPROVER_PAGES =
  'Pages for approvers, reached from the single-use links the workflow emails them (docs/workflow.md); no department calls them.';
const APPROVER_DOWNLOADS =
  'Downloads linked from an approval page, for the holder of its emailed link; departments get the same PDFs from GET /v1/onboardings/{onboardingId}/templates/{version}/document.pdf and signed.pdf, which are in the reference.';
const APPROVER_UPLOAD =
  "Where the competent authority uploads the signed Service Details Template from the step-3 approval page (with the page's nonce), for the holder of the emailed link; no department calls it.";

const MEMBER_DELEGATION =
  "The out-of-office page of a member's personal approval link (docs/people.md): names a delegate for a date range; no department calls it.";

/** Approval links are pages for people, not part of the department API (routes: ./functions.ts). */
export const approvalsRouteDocs: RouteDocs = () => ({
  'GET /approvals/{approvalId}': { notInReference: APPROVER_PAGES },
  'HEAD /approvals/{approvalId}': { notInReference: APPROVER_PAGES },
  'POST /approvals/{approvalId}': { notInReference: APPROVER_PAGES },
  'GET /approvals/{approvalId}/document.pdf': { notInReference: APPROVER_DOWNLOADS },
  'GET /approvals/{approvalId}/signed.pdf': { notInReference: APPROVER_DOWNLOADS },
  'POST /approvals/{approvalId}/signed-pdf': { notInReference: APPROVER_UPLOAD },
  'GET /approvals/{approvalId}/delegate': { notInReference: MEMBER_DELEGATION },
  'POST /approvals/{approvalId}/delegate': { notInReference: MEMBER_DELEGATION },
});
