import type { FunctionSpec, RouteSpec } from '../functions';

/**
 * The e-Taal Client Connector NIC polls for live counts (issues 4, 10, 11, 12). Streamed, so its time is
 * bounded by its own timeout rather than API Gateway's 29 s: a full day (26k rows) takes about a second,
 * ten times that well under the timeout (`npm run bench` measures both).
 */
export const CONNECTOR_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'ETaalConnector',
    entry: 'lambdas/connector/handler.ts',
    description:
      'e-Transaction Count for NIC: live daily totals of a date as XML or SOAP, behind NIC credentials.',
    uses: {
      tables: { counts: 'read', serviceCodes: 'read', connectorAttempts: 'readWrite' },
      connectorCredentials: true,
    },
    memorySize: 1024,
    timeoutSeconds: 120,
  },
];

/** 'none' at API Gateway: the connector checks NIC's user name and password itself, as the guideline asks. */
export const CONNECTOR_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/etaal/e-transaction-count',
    functionId: 'ETaalConnector',
    auth: 'none',
    responseTransferMode: 'STREAM',
  },
  {
    method: 'POST',
    path: '/etaal/e-transaction-count',
    functionId: 'ETaalConnector',
    auth: 'none',
    responseTransferMode: 'STREAM',
  },
];
