import type { HttpError } from '../shared/errors';
import { escapeHtml } from '../shared/html';
import { type HttpResult, xml } from '../shared/http';

/**
 * Errors of the connector's own HTTP layer (a stalled table, a malformed request) as XML, since NIC's
 * poller reads XML: the status and Retry-After of the problem, its title and detail as elements.
 */
export function xmlProblem(error: HttpError): HttpResult {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Status>${error.status}</Status><Title>${escapeHtml(error.title)}</Title><Detail>${escapeHtml(error.detail)}</Detail></Error>`;
  return xml(error.status, body, { 'Content-Type': 'text/xml; charset=utf-8', ...error.headers });
}
