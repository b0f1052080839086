import type { FunctionSpec, RouteSpec } from '../functions';

/** Approval links (issue 3): the page an approver opens from an email, and its decision form. */
export const APPROVALS_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Approvals',
    entry: 'lambdas/approvals/handler.ts',
    description:
      'GET/HEAD/POST /approvals/{approvalId}: shows what an approver decides and records the decision once.',
    uses: {
      tables: { approvals: 'readWrite', onboardings: 'readWrite', counts: 'read', limits: 'readWrite' },
      stateMachine: ['callback'],
    },
    timeoutSeconds: 20,
  },
  {
    id: 'ApprovalDocuments',
    entry: 'lambdas/approvals/documents-handler.ts',
    description:
      'GET /approvals/{approvalId}/document.pdf|signed.pdf and POST .../signed-pdf: the Service Details Template, and its verified signed upload (step 3).',
    uses: {
      tables: { approvals: 'readWrite', onboardings: 'readWrite', config: 'read', limits: 'readWrite' },
      stateMachine: ['callback'],
      documents: 'readWrite',
    },
    // Verifying a signature over a 2 MB PDF is quick; the headroom is for storing it and resuming the workflow.
    timeoutSeconds: 20,
    memorySize: 1024,
  },
  {
    id: 'ApprovalDelegation',
    entry: 'lambdas/approvals/delegation-handler.ts',
    description:
      'GET/POST /approvals/{approvalId}/delegate: a member names an out-of-office delegate; their pending approvals are re-sent.',
    uses: {
      tables: { approvals: 'readWrite', onboardings: 'readWrite', config: 'readWrite', limits: 'readWrite' },
      email: true,
    },
    timeoutSeconds: 20,
  },
];

/** No API key: the unguessable link is the approver's credential. */
export const APPROVALS_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/approvals/{approvalId}', functionId: 'Approvals', auth: 'none' },
  { method: 'HEAD', path: '/approvals/{approvalId}', functionId: 'Approvals', auth: 'none' },
  { method: 'POST', path: '/approvals/{approvalId}', functionId: 'Approvals', auth: 'none' },
  {
    method: 'GET',
    path: '/approvals/{approvalId}/document.pdf',
    functionId: 'ApprovalDocuments',
    auth: 'none',
  },
  {
    method: 'GET',
    path: '/approvals/{approvalId}/signed.pdf',
    functionId: 'ApprovalDocuments',
    auth: 'none',
  },
  {
    method: 'POST',
    path: '/approvals/{approvalId}/signed-pdf',
    functionId: 'ApprovalDocuments',
    auth: 'none',
  },
  { method: 'GET', path: '/approvals/{approvalId}/delegate', functionId: 'ApprovalDelegation', auth: 'none' },
  {
    method: 'POST',
    path: '/approvals/{approvalId}/delegate',
    functionId: 'ApprovalDelegation',
    auth: 'none',
  },
];
