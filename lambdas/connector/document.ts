import {
  type ConnectorErrorCode,
  type ConnectorRow,
  DOCUMENT_TAIL,
  documentHead,
  errorRow,
  renderRow,
  xmlText,
} from './protocol';
import type { ResponseFormat } from './request';
import { renderSoapFault, SOAP_CONTENT_TYPE, SOAP_TAIL, SoapFault, soapHead } from './soap';

/**
 * The connector's answers in either format, as text chunks that can be streamed: the rows of a day of
 * any size go out as they are read, in chunks of about CHUNK_CHARS. Pure.
 */

const CHUNK_CHARS = 64 * 1024;

interface Format {
  readonly contentType: string;
  readonly head: (transactionDate: string | undefined) => string;
  readonly tail: string;
}

export const FORMATS: Readonly<Record<ResponseFormat, Format>> = {
  xml: { contentType: 'text/xml; charset=utf-8', head: documentHead, tail: DOCUMENT_TAIL },
  soap: { contentType: SOAP_CONTENT_TYPE, head: soapHead, tail: SOAP_TAIL },
};

/** The document of batches of rows (in answer order), as chunks of about CHUNK_CHARS. */
export async function* renderDocument(
  format: ResponseFormat,
  transactionDate: string | undefined,
  batches: AsyncIterable<readonly ConnectorRow[]> | Iterable<readonly ConnectorRow[]>,
): AsyncGenerator<string> {
  let chunk = FORMATS[format].head(transactionDate);
  for await (const rows of batches) {
    for (const row of rows) {
      chunk += renderRow(row);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  }
  yield chunk + FORMATS[format].tail;
}

/** The in-band -1 / -2 answer: one row whose fields carry the code. */
export function renderErrorAnswer(format: ResponseFormat, code: ConnectorErrorCode): string {
  const { head, tail } = FORMATS[format];
  return head(undefined) + renderRow(errorRow(code)) + tail;
}

/** An answer that is not a row set (the store is unavailable, a request too large), as XML. */
export function renderServiceError(format: ResponseFormat, status: number, message: string): string {
  if (format === 'soap') return renderSoapFault(new SoapFault(status >= 500 ? 'Server' : 'Client', message));
  return `<?xml version="1.0" encoding="utf-8"?>\n<Error><Status>${status}</Status><Message>${xmlText(message)}</Message></Error>\n`;
}
