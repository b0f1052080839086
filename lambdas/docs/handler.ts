import { NotFoundError } from '../shared/errors';
import { empty, html, httpHandler, json } from '../shared/http';
import { isProblemTypeSlug } from '../shared/problem-types';
import { publicBaseUrl } from '../shared/settings';
import { problemTypeAnchor, REFERENCE_CONTENT_SECURITY_POLICY, referencePage, viewerScript } from './viewer';

/**
 * The API reference: GET /v1/openapi.json (the document), GET /docs (Redoc), the viewer's script, and
 * GET /docs/problems/{slug}, which leads from a problem type to its explanation. All public: a
 * department reads them before it has written a line of code.
 */

/** The document depends on the day only (its examples use yesterday's date): built once a day. */
let cachedDocument: { day: string; body: unknown } | undefined;

async function openApiDocument(now: Date): Promise<unknown> {
  // Every route's schemas and zod-openapi: loaded by the first request for the document, not by the
  // cold start of one for the page, its script or a problem type (docs/dashboard.md, Cold start).
  const { buildOpenApiDocument, docContext } = await import('./openapi-document');
  const day = docContext(now).yesterday;
  if (cachedDocument?.day !== day) {
    cachedDocument = { day, body: buildOpenApiDocument({ now, serverUrl: publicBaseUrl() }) };
  }
  return cachedDocument.body;
}

const CACHE_AN_HOUR = { 'Cache-Control': 'public, max-age=3600' };

const document = httpHandler({}, async () => json(200, await openApiDocument(new Date()), CACHE_AN_HOUR));

const page = httpHandler({}, async () =>
  html(200, referencePage(), { 'Content-Security-Policy': REFERENCE_CONTENT_SECURITY_POLICY }),
);

const script = httpHandler({}, async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'text/javascript; charset=utf-8', ...CACHE_AN_HOUR },
  body: viewerScript(),
}));

/**
 * Its one path parameter is checked against the catalogue of problem types rather than a zod schema: zod
 * (≈ 80 KiB with what the document builder shares of it) then loads only with the document, not with every
 * cold start of the page, its script or a redirect (docs/dashboard.md, Cold start). An unknown type is a
 * 404, as a path schema would answer it.
 */
const problemType = httpHandler({}, async ({ path: { slug }, event }) => {
  if (slug === undefined || !isProblemTypeSlug(slug))
    throw new NotFoundError(`Nothing exists at ${event.path}.`);
  return empty(302, { Location: `${publicBaseUrl()}/docs#${problemTypeAnchor(slug)}` });
});

const BY_RESOURCE: Record<string, typeof page> = {
  '/v1/openapi.json': document,
  '/docs': page,
  '/docs/redoc.standalone.js': script,
  '/docs/problems/{slug}': problemType,
};

export const handler: typeof page = (event, context) => {
  const route = BY_RESOURCE[event.resource];
  if (!route) throw new NotFoundError(`Nothing exists at ${event.path}.`);
  return route(event, context);
};
