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
];

/** No API key: the unguessable link is the approver's credential. */
export const APPROVALS_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/approvals/{approvalId}', functionId: 'Approvals', auth: 'none' },
  { method: 'HEAD', path: '/approvals/{approvalId}', functionId: 'Approvals', auth: 'none' },
  { method: 'POST', path: '/approvals/{approvalId}', functionId: 'Approvals', auth: 'none' },
];
