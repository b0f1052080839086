import type { FunctionSpec, RouteSpec } from '../functions';

/** The e-Taal Client Connector NIC polls for live counts (issue 4). */
export const CONNECTOR_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'ETaalConnector',
    entry: 'lambdas/connector/handler.ts',
    description: 'e-Transaction Count for NIC: live daily totals of a date as XML, behind NIC credentials.',
    uses: { tables: { counts: 'read' }, connectorCredentials: true },
  },
];

/** 'none' at API Gateway: the connector checks NIC's user name and password itself, as the guideline asks. */
export const CONNECTOR_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/etaal/e-transaction-count', functionId: 'ETaalConnector', auth: 'none' },
  { method: 'POST', path: '/etaal/e-transaction-count', functionId: 'ETaalConnector', auth: 'none' },
];
