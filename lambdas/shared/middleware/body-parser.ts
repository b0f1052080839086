import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError, type FieldError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { type MediaType, parsedRequest } from './request-state';
import type { HttpMiddleware, HttpRequest } from './types';

/**
 * Which media types a route accepts for its body. 'upload': a file, as multipart/form-data (its text
 * fields as strings, its files as bytes) or as the raw bytes of an application/pdf body (`{ file }`).
 */
export type BodyType = 'json' | 'form' | 'json-or-csv' | 'upload';

/** API Gateway REST accepts up to 10 MB; our requests are small, so anything bigger is refused early. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface BodyParserOptions {
  readonly bodyType: BodyType;
  readonly maxBodyBytes: number;
  /** For 'json-or-csv': turns the CSV text into the shape the JSON body would have. */
  readonly csv?: (text: string) => unknown;
  /** The fields an empty body lacks (./validation `requiredFields`), named in its 400. */
  readonly requiredFields?: () => Promise<readonly FieldError[]>;
}

const ACCEPTED_MEDIA_TYPES: Record<BodyType, readonly MediaType[]> = {
  json: ['json'],
  form: ['form'],
  'json-or-csv': ['json', 'csv'],
  upload: ['multipart', 'pdf'],
};

const MEDIA_TYPE_NAMES: Record<MediaType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  csv: 'text/csv',
  multipart: 'multipart/form-data',
  pdf: 'application/pdf',
};

/** The media type a Content-Type header names, when it is one we read (parameters and case ignored). */
export function mediaTypeOf(contentType: string | undefined): MediaType | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!essence) return undefined;
  if (essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (essence === 'text/csv') return 'csv';
  if (essence === 'multipart/form-data') return 'multipart';
  if (essence === 'application/pdf') return 'pdf';
  return undefined;
}

/** The request body as text (API Gateway base64-encodes binary media types). */
export function decodeBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** The request body's bytes (a PDF or a multipart body arrives base64-encoded). */
const bodyBytes = (event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Buffer =>
  Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

/** GET and HEAD carry no body: a route that also serves them (a page and its form) reads none there. */
export const carriesNoBody = (event: Pick<APIGatewayProxyEvent, 'httpMethod'>): boolean =>
  event.httpMethod === 'GET' || event.httpMethod === 'HEAD';

/** Repeated fields become arrays; Object.fromEntries keeps a `__proto__` field an ordinary key. */
function groupFields<V>(entries: Iterable<[string, V]>): Record<string, V | V[]> {
  const grouped = new Map<string, V[]>();
  for (const [key, value] of entries) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return Object.fromEntries(
    [...grouped].map(([key, values]) => [key, values.length === 1 ? (values[0] as V) : values]),
  );
}

/** An application/x-www-form-urlencoded body, read by URLSearchParams. */
export const parseForm = (text: string): Record<string, string | string[]> =>
  groupFields(new URLSearchParams(text));

/** A multipart/form-data body, read by the platform's fetch Response: text fields, and files as bytes. */
async function parseMultipart(bytes: Buffer, contentType: string): Promise<Record<string, unknown>> {
  const form = await new Response(bytes, { headers: { 'content-type': contentType } })
    .formData()
    .catch(() => {
      throw new BadRequestError('The multipart/form-data body cannot be read.');
    });
  const entries: [string, string | Uint8Array][] = [];
  for (const [key, value] of form) {
    entries.push([key, typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer())]);
  }
  return groupFields(entries);
}

const bodyParserBefore =
  (options: BodyParserOptions) =>
  async ({ event }: HttpRequest): Promise<void> => {
    if (carriesNoBody(event)) return;
    const bytes = bodyBytes(event);
    const rawBody = decodeBody(event);
    const state = parsedRequest(event);
    state.rawBody = rawBody;
    if (bytes.length > options.maxBodyBytes) {
      throw new PayloadTooLargeError(`The request body must not exceed ${options.maxBodyBytes} bytes.`);
    }
    const accepted = ACCEPTED_MEDIA_TYPES[options.bodyType];
    const acceptedNames = accepted.map((m) => MEDIA_TYPE_NAMES[m]).join(' or ');
    if (rawBody.trim() === '') {
      const fields = (await options.requiredFields?.()) ?? [];
      const naming = fields.length > 0 ? `, with ${fields.map((f) => f.field).join(', ')}` : '';
      throw new BadRequestError(`A request body (${acceptedNames}) is required${naming}.`, {
        problemType: 'missing-body',
        ...(fields.length > 0 ? { errors: fields } : {}),
      });
    }
    const headers = event.headers as Record<string, string | undefined> | null;
    const mediaType = mediaTypeOf(headers?.['content-type']);
    if (!mediaType || !accepted.includes(mediaType)) {
      throw new UnsupportedMediaTypeError(`Send the body with Content-Type ${acceptedNames}.`);
    }
    state.mediaType = mediaType;
    if (mediaType === 'json') {
      try {
        state.body = JSON.parse(rawBody);
      } catch {
        throw new BadRequestError('The request body is not valid JSON.', { problemType: 'malformed-json' });
      }
    } else if (mediaType === 'form') {
      state.body = parseForm(rawBody);
    } else if (mediaType === 'multipart') {
      state.body = await parseMultipart(bytes, headers?.['content-type'] ?? '');
    } else if (mediaType === 'pdf') {
      state.body = { file: new Uint8Array(bytes) };
    } else {
      if (!options.csv) throw new Error('bodyType json-or-csv needs a csv converter');
      state.body = options.csv(rawBody);
    }
  };

/**
 * Decodes the body: size limit (413), emptiness (400, naming the fields the route requires), media type
 * (415) and syntax (400), in that order; nothing on GET and HEAD. Forms are read with URLSearchParams.
 * Expects lower-cased header names (@middy/http-header-normalizer runs first).
 */
export const bodyParser = (options: BodyParserOptions): HttpMiddleware => ({
  before: bodyParserBefore(options),
});
