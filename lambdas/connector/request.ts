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

/** Our requests are a date and two credentials; a bigger body is not one of them. */
export const MAX_BODY_BYTES = 16 * 1024;

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
  | { readonly kind: 'tooLarge'; readonly format: ResponseFormat };

export interface RequestOptions {
  /** The deployment setting that lets a GET carry UserName/Password in its query string. */
  readonly urlCredentials: boolean;
}

export function parseConnectorRequest(
  event: APIGatewayProxyEvent,
  options: RequestOptions,
): ConnectorRequest {
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

function parsePost(
  event: APIGatewayProxyEvent,
  headers: Record<string, string | undefined>,
): ConnectorRequest {
  const format: ResponseFormat = isSoapRequest(headers) ? 'soap' : 'xml';
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > MAX_BODY_BYTES) return { kind: 'tooLarge', format };
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
  // The guideline's form; anything else carries no fields, so it is answered -2 like a form without them.
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
