import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseBasicAuthorization } from './protocol';
import { isSoapRequest, parseSoapRequest, SoapFault } from './soap';

/**
 * What NIC's poller asked, from an API Gateway proxy event, in each of the ways the connector accepts:
 *   GET  ?wsdl                                   the WSDL of the SOAP service
 *   GET  ?TransactionDate=…   + HTTP Basic       plain XML rows
 *   GET  ?TransactionDate=…&UserName=…&Password=…  plain XML rows, only when URL credentials are enabled
 *   POST form TransactionDate, UserName, Password  plain XML rows (the guideline's form)
 *   POST SOAP 1.1 envelope (text/xml or SOAPAction)  SOAP rows
 * Pure: the caller decides, from the result, what to check and answer.
 */

/** Our requests are a date and two credentials; a bigger body is not one of them (a SOAP envelope adds ~1 KB). */
export const MAX_FORM_BYTES = 4 * 1024;
export const MAX_SOAP_BYTES = 16 * 1024;
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\b/i;

export type ResponseFormat = 'xml' | 'soap';

export interface Credentials {
  readonly username?: string;
  readonly password?: string;
}

export type ConnectorRequest =
  | { readonly kind: 'wsdl' }
  | {
      readonly kind: 'count';
      readonly format: ResponseFormat;
      readonly transactionDate?: string;
      readonly credentials: Credentials;
    }
  | { readonly kind: 'fault'; readonly fault: SoapFault }
  /** Refused before any check, with the HTTP status API clients expect (body XML all the same). */
  | {
      readonly kind: 'refused';
      readonly format: ResponseFormat;
      readonly status: 400 | 413 | 415;
      readonly message: string;
    };

export interface RequestOptions {
  /** The deployment setting that lets a GET carry UserName/Password in its query string. */
  readonly urlCredentials: boolean;
}

/** The parts of a proxy event a connector request is read from. */
export type ConnectorEvent = Pick<
  APIGatewayProxyEvent,
  'httpMethod' | 'headers' | 'body' | 'isBase64Encoded' | 'queryStringParameters'
>;

export function parseConnectorRequest(event: ConnectorEvent, options: RequestOptions): ConnectorRequest {
  const headers = lowerCaseHeaders(event.headers);
  if (event.httpMethod === 'POST') return parsePost(event, headers);
  const query = event.queryStringParameters ?? {};
  if (Object.keys(query).some((name) => name.toLowerCase() === 'wsdl')) return { kind: 'wsdl' };
  const basic = parseBasicAuthorization(headers.authorization);
  const fromUrl =
    options.urlCredentials && !basic ? { username: query.UserName, password: query.Password } : undefined;
  return {
    kind: 'count',
    format: 'xml',
    transactionDate: query.TransactionDate,
    credentials: basic ?? fromUrl ?? {},
  };
}

function parsePost(event: ConnectorEvent, headers: Record<string, string | undefined>): ConnectorRequest {
  const format: ResponseFormat = isSoapRequest(headers) ? 'soap' : 'xml';
  if (format === 'xml' && !FORM_CONTENT_TYPE.test(headers['content-type'] ?? '')) {
    const message = 'Send the form as application/x-www-form-urlencoded, or a SOAP 1.1 envelope as text/xml';
    return { kind: 'refused', format, status: 415, message };
  }
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const limit = format === 'soap' ? MAX_SOAP_BYTES : MAX_FORM_BYTES;
  if (body.length > limit) {
    return { kind: 'refused', format, status: 413, message: `The request body exceeds ${limit} bytes` };
  }
  if (body.length === 0 && format === 'xml') {
    return {
      kind: 'refused',
      format,
      status: 400,
      message: 'The form has no fields: send TransactionDate, UserName and Password',
    };
  }
  const text = body.toString('utf8');
  if (format === 'soap') {
    try {
      const soap = parseSoapRequest(text);
      return {
        kind: 'count',
        format,
        transactionDate: soap.transactionDate,
        credentials: { username: soap.username, password: soap.password },
      };
    } catch (error) {
      if (error instanceof SoapFault) return { kind: 'fault', fault: error };
      throw error;
    }
  }
  const form = new URLSearchParams(text);
  return {
    kind: 'count',
    format,
    transactionDate: form.get('TransactionDate') ?? undefined,
    credentials: { username: form.get('UserName') ?? undefined, password: form.get('Password') ?? undefined },
  };
}

function lowerCaseHeaders(
  headers: APIGatewayProxyEvent['headers'] | null,
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}
