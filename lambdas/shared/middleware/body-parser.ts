import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { type MediaType, parsedRequest } from './request-state';
import type { HttpMiddleware, HttpRequest } from './types';

/** Which media types a route accepts for its body. */
export type BodyType = 'json' | 'form' | 'json-or-csv';

/** API Gateway REST accepts up to 10 MB; our requests are small, so anything bigger is refused early. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface BodyParserOptions {
  readonly bodyType: BodyType;
  readonly maxBodyBytes: number;
  /** For 'json-or-csv': turns the CSV text into the shape the JSON body would have. */
  readonly csv?: (text: string) => unknown;
}

const ACCEPTED_MEDIA_TYPES: Record<BodyType, readonly MediaType[]> = {
  json: ['json'],
  form: ['form'],
  'json-or-csv': ['json', 'csv'],
};

const MEDIA_TYPE_NAMES: Record<MediaType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  csv: 'text/csv',
};

/** The media type a Content-Type header names, when it is one we read (parameters and case ignored). */
export function mediaTypeOf(contentType: string | undefined): MediaType | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!essence) return undefined;
  if (essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (essence === 'text/csv') return 'csv';
  return undefined;
}

/** The request body as text (API Gateway base64-encodes binary media types). */
export function decodeBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** Repeated form fields become arrays; Object.fromEntries keeps a `__proto__` field an ordinary key. */
export function parseForm(text: string): Record<string, string | string[]> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return Object.fromEntries(
    [...grouped].map(([key, values]) => [key, values.length === 1 ? (values[0] as string) : values]),
  );
}

const bodyParserBefore =
  (options: BodyParserOptions) =>
  ({ event }: HttpRequest): void => {
    const rawBody = decodeBody(event);
    const state = parsedRequest(event);
    state.rawBody = rawBody;
    if (Buffer.byteLength(rawBody, 'utf8') > options.maxBodyBytes) {
      throw new PayloadTooLargeError(`The request body must not exceed ${options.maxBodyBytes} bytes.`);
    }
    const accepted = ACCEPTED_MEDIA_TYPES[options.bodyType];
    const acceptedNames = accepted.map((m) => MEDIA_TYPE_NAMES[m]).join(' or ');
    if (rawBody.trim() === '') {
      throw new BadRequestError(`A request body (${acceptedNames}) is required.`, {
        problemType: 'missing-body',
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
    } else {
      if (!options.csv) throw new Error('bodyType json-or-csv needs a csv converter');
      state.body = options.csv(rawBody);
    }
  };

/**
 * Decodes the body: size limit (413), emptiness (400), media type (415) and syntax (400), in that order.
 * Expects lower-cased header names (@middy/http-header-normalizer runs first).
 */
export const bodyParser = (options: BodyParserOptions): HttpMiddleware => ({
  before: bodyParserBefore(options),
});
