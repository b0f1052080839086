import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The forms of an approval link's pages (the decision, the delegation), as browsers post them. */

/** A decision form is a few KB at most; a 2,000-character comment in a 4-byte script, percent-encoded. */
const MAX_FORM_BYTES = 32 * 1024;

export function isFormRequest(event: APIGatewayProxyEvent): boolean {
  const contentType = event.headers?.['content-type']?.split(';')[0]?.trim().toLowerCase();
  return contentType === 'application/x-www-form-urlencoded';
}

/** JSON only when asked for explicitly: browsers always list text/html. */
export function wantsJson(event: APIGatewayProxyEvent): boolean {
  const accept = event.headers?.accept?.toLowerCase() ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function readForm(event: APIGatewayProxyEvent): Record<string, string | string[]> | undefined {
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) return undefined;
  const form: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = form[key];
    form[key] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return form;
}
