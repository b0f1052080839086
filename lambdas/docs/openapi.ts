import * as z from '../core/zod';
import { operation, type RouteDocs } from '../shared/openapi';
import { PROBLEM_TYPE_SLUGS } from '../shared/problem-types';

/** The reference documents itself (routes: ./functions.ts). */
export const docsRouteDocs: RouteDocs = () => ({
  'GET /v1/openapi.json': operation({
    operationId: 'openApiDocument',
    tags: ['Service'],
    summary: 'This OpenAPI 3.1 document',
    description: 'Feed it to a client generator (e.g. openapi-typescript, openapi-generator) or an API tool.',
    responses: {
      '200': {
        description: 'The document.',
        content: {
          'application/json': { schema: z.looseObject({ openapi: z.string().check(z.regex(/^3\.1\./)) }) },
        },
      },
    },
    problems: {},
  }),
  'GET /docs': operation({
    operationId: 'apiReference',
    tags: ['Service'],
    summary: 'This API reference, as a page',
    responses: { '200': { description: 'The page.', content: { 'text/html': { schema: z.string() } } } },
    problems: {},
  }),
  'GET /docs/redoc.standalone.js': operation({
    operationId: 'apiReferenceViewer',
    tags: ['Service'],
    summary: "The reference page's viewer script (Redoc)",
    responses: {
      '200': { description: 'The script.', content: { 'text/javascript': { schema: z.string() } } },
    },
    problems: {},
  }),
  'GET /docs/problems/{slug}': operation({
    operationId: 'problemType',
    tags: ['Service'],
    summary: 'Where a problem type is explained',
    description:
      'A problem `type` is this URL, `<base URL>/docs/problems/<slug>`: it redirects to the explanation of `<slug>` in this reference.',
    requestParams: { path: z.object({ slug: z.enum(PROBLEM_TYPE_SLUGS as [string, ...string[]]) }) },
    responses: {
      '302': {
        description: 'To the explanation in the reference page.',
        headers: z.object({ Location: z.string() }),
      },
    },
    problems: { 404: ['not-found'] },
  }),
});
