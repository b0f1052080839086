import * as z from '../core/zod';
import { countsExamples } from '../counts/examples';
import { dependencyUnavailable } from '../shared/dependency-failure';
import { operation, type RouteDocs } from '../shared/openapi';
import { FORMATS, renderErrorAnswer, renderServiceError } from './document';
import {
  CONNECTOR_ERROR,
  type ConnectorRow,
  compareRows,
  formatTransactionDate,
  renderRow,
  renderRows,
} from './protocol';
import { type ConnectorEvent, parseConnectorRequest } from './request';
import { URL_CREDENTIALS_ENV } from './settings';
import { renderSoapFault, renderWsdl, SOAP_ACTION, SOAP_NAMESPACE, SOAP_OPERATION } from './soap';

/**
 * The e-Taal Client Connector in the reference (routes: ./functions.ts). NIC's poller is its only
 * client; it is documented so NIC can see the exact requests and XML answers. The examples are the
 * connector's own output: answers rendered by ./protocol.ts, ./document.ts and ./soap.ts, and refusals
 * from ./request.ts given the request each example describes.
 */

const CONNECTOR_PATH = '/etaal/e-transaction-count';
const TAGS = ['e-Taal Client Connector'];

const transactionDate = z.string().check(
  z.meta({
    description: 'The date whose live totals are asked for, DD/MM/YYYY (IST).',
    example: '01/04/2026',
  }),
);

const xmlAnswer = z.string().check(
  z.meta({
    description: `An \`ETransactionCount\` document (in a SOAP 1.1 envelope for a SOAP request): one \`Row\` (ServiceCode, ServiceCount, LocationCode) per live daily total of the date. A missing or bad date is answered with one row of ${CONNECTOR_ERROR.badDate}, wrong credentials with one row of ${CONNECTOR_ERROR.badCredentials}, both with status 200 as the guideline asks.`,
  }),
);

const xmlError = z.string().check(
  z.meta({
    description:
      'XML, never JSON: an `<Error>` document (`Status`, `Message`) for a form or GET request, a SOAP 1.1 `soap:Fault` for a SOAP request.',
  }),
);

const soapEnvelope = (date: string) =>
  `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <${SOAP_OPERATION} xmlns="${SOAP_NAMESPACE}">
      <TransactionDate>${date}</TransactionDate>
      <UserName>nic-poller</UserName>
      <Password>the connector password</Password>
    </${SOAP_OPERATION}>
  </soap:Body>
</soap:Envelope>`;

/** What ./request.ts answers `event` with, when it refuses it before any check. */
/** A store that does not answer in time: 503 with Retry-After, as XML (../shared/dependency-failure). */
function dependencyUnavailableAnswer(format: 'xml' | 'soap') {
  const unavailable = dependencyUnavailable(new Error('timed out'));
  return {
    description:
      'A store we depend on did not answer in time (`dependency-unavailable`): nothing was read; wait the seconds in `Retry-After` and poll again.',
    headers: z.object({
      'Retry-After': z
        .string()
        .check(z.regex(/^\d+$/), z.meta({ example: String(unavailable.headers['Retry-After']) })),
    }),
    content: xml({
      unavailable: {
        summary: 'A store that does not answer',
        value: renderServiceError(format, unavailable.status, unavailable.detail),
      },
    }),
  };
}

function refusal(event: Omit<ConnectorEvent, 'httpMethod' | 'isBase64Encoded' | 'queryStringParameters'>) {
  const request = parseConnectorRequest(
    { ...event, httpMethod: 'POST', isBase64Encoded: false, queryStringParameters: null },
    { urlCredentials: false },
  );
  if (request.kind === 'refused') return renderServiceError(request.format, request.status, request.message);
  if (request.kind === 'fault') return renderSoapFault(request.fault);
  throw new Error(`The example request is not refused: ${request.kind}`);
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SOAP = { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${SOAP_ACTION}"` };

const xml = (examples: Record<string, { summary: string; value: string }>, schema = xmlError) => ({
  'text/xml': { schema, examples },
});

function answers(yesterday: string, soap: boolean) {
  const { push } = countsExamples(yesterday);
  const rows: ConnectorRow[] = push.counts
    .filter((c) => c.serviceCode === 'DL-HLTH-0001')
    .map((c) => ({ serviceCode: c.serviceCode, serviceCount: c.count, locationCode: c.locationCode ?? '0' }));
  const date = formatTransactionDate(yesterday);
  const plain = {
    rows: { summary: 'Live totals of a date', value: renderRows(date, rows) },
    badDate: {
      summary: 'Missing or bad TransactionDate',
      value: renderErrorAnswer('xml', CONNECTOR_ERROR.badDate),
    },
    badCredentials: {
      summary: 'Wrong UserName or Password',
      value: renderErrorAnswer('xml', CONNECTOR_ERROR.badCredentials),
    },
  };
  const enveloped = {
    soapRows: {
      summary: 'SOAP: live totals of a date',
      value:
        FORMATS.soap.head(date) + [...rows].sort(compareRows).map(renderRow).join('') + FORMATS.soap.tail,
    },
    soapBadCredentials: {
      summary: 'SOAP: wrong UserName or Password',
      value: renderErrorAnswer('soap', CONNECTOR_ERROR.badCredentials),
    },
  };
  return {
    date,
    plain,
    enveloped,
    serverError: {
      description:
        'A failure on our side (for example the store unavailable), as XML; for a SOAP request also a `soap:Client` fault for an envelope that is not this operation (not XML, a DTD, another operation), as SOAP 1.1 says.',
      content: xml(
        soap
          ? {
              badEnvelope: {
                summary: 'SOAP: not an envelope of ETransactionCount',
                value: refusal({ headers: SOAP, body: 'TransactionDate=01/04/2026' }),
              },
            }
          : {
              serverError: {
                summary: 'A failure on our side',
                value: renderServiceError(
                  'xml',
                  500,
                  'Something went wrong on our side. Quote request id 5d0c2a9e-1b7f-4c3e-9a61-0e4f8b2d7c13 if you report it.',
                ),
              },
            },
      ),
    },
  };
}

export const connectorRouteDocs: RouteDocs = ({ yesterday }) => {
  const post = answers(yesterday, true);
  const get = answers(yesterday, false);
  return {
    'POST /etaal/e-transaction-count': operation({
      operationId: 'eTransactionCountPost',
      tags: TAGS,
      summary: 'e-Transaction Count (form POST or SOAP 1.1), for NIC',
      description: `NIC's poller posts the guideline's fields as a form, or calls the SOAP 1.1 operation \`${SOAP_OPERATION}\` (WSDL: \`GET ${CONNECTOR_PATH}?wsdl\`) with the same fields; the credentials stay out of URLs and access logs. A request is SOAP when it has a \`SOAPAction\` header or an XML body, and is answered in a SOAP envelope.`,
      parameters: [
        {
          name: 'SOAPAction',
          in: 'header',
          required: false,
          description: `SOAP requests: \`"${SOAP_ACTION}"\`.`,
          schema: { type: 'string', example: `"${SOAP_ACTION}"` },
        },
      ],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({
              TransactionDate: transactionDate,
              UserName: z.string().check(z.meta({ description: 'The connector user name DeGS gave NIC.' })),
              Password: z.string().check(z.meta({ description: 'The connector password DeGS gave NIC.' })),
            }),
          },
          'text/xml': {
            schema: z.string().check(
              z.meta({
                description: `A SOAP 1.1 envelope whose body is \`${SOAP_OPERATION}\` (namespace \`${SOAP_NAMESPACE}\`) with TransactionDate, UserName and Password.`,
              }),
            ),
            examples: { soap: { summary: 'SOAP 1.1 request', value: soapEnvelope(post.date) } },
          },
        },
      },
      responses: {
        '200': {
          description: 'The live totals of the date, or the -1 / -2 answer.',
          content: xml({ ...post.plain, ...post.enveloped }, xmlAnswer),
        },
        '400': {
          description: 'A form with no fields.',
          content: xml({ empty: { summary: 'Empty form', value: refusal({ headers: FORM, body: '' }) } }),
        },
        '413': {
          description: 'A body larger than a request of this operation (4 KB for a form, 16 KB for SOAP).',
          content: xml({
            form: {
              summary: 'A form over 4 KB',
              value: refusal({ headers: FORM, body: `a=${'x'.repeat(5000)}` }),
            },
          }),
        },
        '415': {
          description: 'A body that is neither a form nor a SOAP envelope.',
          content: xml({
            json: {
              summary: 'A JSON body',
              value: refusal({ headers: { 'content-type': 'application/json' }, body: '{}' }),
            },
          }),
        },
        '500': post.serverError,
        '503': dependencyUnavailableAnswer('soap'),
      },
      problems: {},
      ownErrorBodies: true,
    }),
    'GET /etaal/e-transaction-count': operation({
      operationId: 'eTransactionCountGet',
      tags: TAGS,
      summary: 'e-Transaction Count (GET with HTTP Basic), and the WSDL, for NIC',
      description: `The same answer, with the credentials in an \`Authorization: Basic\` header. \`?wsdl\` answers the WSDL 1.1 of the SOAP service instead. UserName and Password in the query string are read only where the deployment enables it (\`${URL_CREDENTIALS_ENV}\`, off by default: URLs end up in histories and logs); otherwise such a request is answered as one without credentials (-2).`,
      requestParams: {
        query: z.object({
          TransactionDate: z.optional(transactionDate),
          wsdl: z.optional(z.string()).check(z.meta({ description: 'Present (no value needed): the WSDL.' })),
          UserName: z
            .optional(z.string())
            .check(z.meta({ description: 'Only where the deployment enables URL credentials.' })),
          Password: z
            .optional(z.string())
            .check(z.meta({ description: 'Only where the deployment enables URL credentials.' })),
        }),
      },
      parameters: [
        {
          name: 'Authorization',
          in: 'header',
          required: false,
          description: 'HTTP Basic: `Basic base64(UserName:Password)` (not needed for `?wsdl`).',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description: 'The live totals of the date, or the -1 / -2 answer; for `?wsdl`, the WSDL.',
          content: xml(
            {
              ...get.plain,
              wsdl: {
                summary: 'The WSDL (?wsdl)',
                value: renderWsdl(`https://api.example.org${CONNECTOR_PATH}`),
              },
            },
            xmlAnswer,
          ),
        },
        '500': get.serverError,
        '503': dependencyUnavailableAnswer('xml'),
      },
      problems: {},
      ownErrorBodies: true,
    }),
  };
};
