import { XMLParser } from 'fast-xml-parser';
import { xmlText } from './protocol';

/**
 * The connector as a SOAP 1.1 web service (NIC's guideline allows a Web Service or a WCF service): one
 * document/literal operation, ETransactionCount(TransactionDate, UserName, Password), answering the same
 * rows, with the same -1 / -2 rows, as the plain XML connector. The WSDL is built here, from the same
 * names, so the contract and the parser cannot drift apart. Pure: no AWS, no I/O.
 */

export const SOAP_NAMESPACE = 'urn:etaal-delhi:connector:v1';
export const SOAP_OPERATION = 'ETransactionCount';
export const SOAP_ACTION = `${SOAP_NAMESPACE}/${SOAP_OPERATION}`;
const ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
/** SOAP 1.1 is text/xml (SOAP 1.2's application/soap+xml is not offered: the WSDL binds 1.1 only). */
export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

export interface SoapRequest {
  readonly transactionDate?: string;
  readonly username?: string;
  readonly password?: string;
}

export class SoapFault extends Error {
  constructor(
    readonly faultCode: 'Client' | 'Server',
    message: string,
  ) {
    super(message);
    this.name = 'SoapFault';
  }
}

/** A request is SOAP when it says so: a SOAPAction header or an XML body. */
export function isSoapRequest(headers: Record<string, string | undefined>): boolean {
  const contentType = headers['content-type']?.toLowerCase() ?? '';
  return headers.soapaction !== undefined || /^(text|application)\/(soap\+)?xml\b/.test(contentType);
}

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  trimValues: false,
});

/** The operation's three fields; a SoapFault (Client) for anything that is not our operation. */
export function parseSoapRequest(body: string): SoapRequest {
  // SOAP 1.1 forbids a DTD; refusing it also rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(body)) throw new SoapFault('Client', 'A SOAP message must not contain a DTD');
  let document: Record<string, unknown>;
  try {
    document = parser.parse(body, true) as Record<string, unknown>;
  } catch {
    throw new SoapFault('Client', 'The request is not well-formed XML');
  }
  const envelope = document.Envelope as Record<string, unknown> | undefined;
  const soapBody = envelope?.Body as Record<string, unknown> | undefined;
  if (!soapBody || typeof soapBody !== 'object') throw new SoapFault('Client', 'No SOAP 1.1 Envelope/Body');
  const operation = soapBody[SOAP_OPERATION];
  if (operation === undefined) {
    throw new SoapFault('Client', `The only operation is ${SOAP_OPERATION} (namespace ${SOAP_NAMESPACE})`);
  }
  const fields =
    typeof operation === 'object' && operation !== null ? (operation as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    transactionDate: text(fields.TransactionDate),
    username: text(fields.UserName),
    password: text(fields.Password),
  };
}

/** The response document in parts, like the plain one, so it can be streamed. */
export function soapHead(transactionDate: string | undefined): string {
  const dateAttribute = transactionDate === undefined ? '' : ` TransactionDate="${xmlText(transactionDate)}"`;
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="${ENVELOPE_NAMESPACE}"><soap:Body>` +
    `<${SOAP_OPERATION}Response xmlns="${SOAP_NAMESPACE}"><${SOAP_OPERATION}Result${dateAttribute}>\n`
  );
}

export const SOAP_TAIL = `</${SOAP_OPERATION}Result></${SOAP_OPERATION}Response></soap:Body></soap:Envelope>\n`;

export function renderSoapFault(fault: SoapFault): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="${ENVELOPE_NAMESPACE}"><soap:Body><soap:Fault>` +
    `<faultcode>soap:${fault.faultCode}</faultcode><faultstring>${xmlText(fault.message)}</faultstring>` +
    '</soap:Fault></soap:Body></soap:Envelope>\n'
  );
}

/** The WSDL 1.1 document; `endpoint` is the connector's public URL. */
export function renderWsdl(endpoint: string): string {
  const op = SOAP_OPERATION;
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${SOAP_NAMESPACE}"
  targetNamespace="${SOAP_NAMESPACE}" name="ETaalClientConnector">
  <wsdl:documentation>e-Taal Client Connector of e-Taal Delhi: live e-transaction counts of a date (DD/MM/YYYY).
Each row is a service's count at a location. An error is a single row whose three fields carry the code:
-1 a missing or invalid TransactionDate, -2 wrong credentials (also while a source is blocked after repeated failures).</wsdl:documentation>
  <wsdl:types>
    <xs:schema targetNamespace="${SOAP_NAMESPACE}" elementFormDefault="qualified">
      <xs:element name="${op}">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="TransactionDate" type="xs:string"/>
            <xs:element name="UserName" type="xs:string"/>
            <xs:element name="Password" type="xs:string"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:complexType name="Row">
        <xs:sequence>
          <xs:element name="ServiceCode" type="xs:string"/>
          <xs:element name="ServiceCount" type="xs:long"/>
          <xs:element name="LocationCode" type="xs:string"/>
        </xs:sequence>
      </xs:complexType>
      <xs:element name="${op}Response">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="${op}Result">
              <xs:complexType>
                <xs:sequence>
                  <xs:element name="Row" type="tns:Row" minOccurs="0" maxOccurs="unbounded"/>
                </xs:sequence>
                <xs:attribute name="TransactionDate" type="xs:string" use="optional"/>
              </xs:complexType>
            </xs:element>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="${op}SoapIn"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>
  <wsdl:message name="${op}SoapOut"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>
  <wsdl:portType name="ETaalClientConnectorSoap">
    <wsdl:operation name="${op}">
      <wsdl:input message="tns:${op}SoapIn"/>
      <wsdl:output message="tns:${op}SoapOut"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="ETaalClientConnectorSoap" type="tns:ETaalClientConnectorSoap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <wsdl:operation name="${op}">
      <soap:operation soapAction="${SOAP_ACTION}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="ETaalClientConnector">
    <wsdl:port name="ETaalClientConnectorSoap" binding="tns:ETaalClientConnectorSoap">
      <soap:address location="${xmlText(endpoint)}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
