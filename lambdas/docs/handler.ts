import * as z from '../core/zod';
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

const problemPathSchema = z.object({ slug: z.string().check(z.refine(isProblemTypeSlug)) });

const document = httpHandler({}, async () => json(200, await openApiDocument(new Date()), CACHE_AN_HOUR));

const page = httpHandler({}, async () =>
  html(200, referencePage(), { 'Content-Security-Policy': REFERENCE_CONTENT_SECURITY_POLICY }),
);

const script = httpHandler({}, async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'text/javascript; charset=utf-8', ...CACHE_AN_HOUR },
  body: viewerScript(),
}));

const problemType = httpHandler({ path: problemPathSchema }, async ({ path }) =>
  empty(302, { Location: `${publicBaseUrl()}/docs#${problemTypeAnchor(path.slug)}` }),
);

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
