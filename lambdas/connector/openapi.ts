import * as z from 'zod';
import { countsExamples } from '../counts/examples';
import { BODY_PROBLEMS, operation, type RouteDocs } from '../shared/openapi';
import { CONNECTOR_ERROR, formatTransactionDate, renderError, renderRows } from './protocol';

/**
 * The e-Taal Client Connector in the reference (routes: ./functions.ts). NIC's poller is its only
 * client; it is documented so NIC can see the exact request and XML answer. Examples are rendered by
 * ./protocol.ts itself. Further protocols of the connector add their entries here.
 */

const transactionDate = z.string().meta({
  description: 'The date whose live totals are asked for, DD/MM/YYYY (IST).',
  example: '01/04/2026',
});

const xmlAnswer = z.string().meta({
  description: `An \`ETransactionCount\` document: one \`Row\` (ServiceCode, ServiceCount, LocationCode) per live daily total of the date. A missing or bad date is answered with one row of ${CONNECTOR_ERROR.badDate}, wrong credentials with one row of ${CONNECTOR_ERROR.badCredentials}, both with status 200 as the guideline asks.`,
});

function xmlResponses(yesterday: string) {
  const { push } = countsExamples(yesterday);
  const rows = push.counts
    .filter((c) => c.serviceCode === 'DL-HLTH-0001')
    .map((c) => ({ serviceCode: c.serviceCode, serviceCount: c.count, locationCode: c.locationCode ?? '0' }));
  return {
    '200': {
      description: 'The live totals of the date, or the -1 / -2 answer.',
      content: {
        'text/xml': {
          schema: xmlAnswer,
          examples: {
            rows: {
              summary: 'Live totals of a date',
              value: renderRows(formatTransactionDate(yesterday), rows),
            },
            badDate: {
              summary: 'Missing or bad TransactionDate',
              value: renderError(CONNECTOR_ERROR.badDate),
            },
            badCredentials: {
              summary: 'Wrong UserName or Password',
              value: renderError(CONNECTOR_ERROR.badCredentials),
            },
          },
        },
      },
    },
  } as const;
}

export const connectorRouteDocs: RouteDocs = ({ yesterday }) => ({
  'POST /etaal/e-transaction-count': operation({
    operationId: 'eTransactionCountForm',
    tags: ['e-Taal Client Connector'],
    summary: 'e-Transaction Count (form POST), for NIC',
    description:
      "NIC's poller posts the guideline's fields as a form; the credentials stay out of URLs and access logs.",
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: z.object({
            TransactionDate: transactionDate,
            UserName: z.string().meta({ description: 'The connector user name DeGS gave NIC.' }),
            Password: z.string().meta({ description: 'The connector password DeGS gave NIC.' }),
          }),
        },
      },
    },
    responses: xmlResponses(yesterday),
    problems: BODY_PROBLEMS,
  }),
  'GET /etaal/e-transaction-count': operation({
    operationId: 'eTransactionCountGet',
    tags: ['e-Taal Client Connector'],
    summary: 'e-Transaction Count (GET with HTTP Basic), for NIC',
    description: 'The same answer, with the credentials in an `Authorization: Basic` header.',
    requestParams: { query: z.object({ TransactionDate: transactionDate }) },
    parameters: [
      {
        name: 'Authorization',
        in: 'header',
        required: true,
        description: 'HTTP Basic: `Basic base64(UserName:Password)`.',
        schema: { type: 'string' },
      },
    ],
    responses: xmlResponses(yesterday),
    problems: {},
  }),
});
