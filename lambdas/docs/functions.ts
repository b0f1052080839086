import type { FunctionSpec, RouteSpec } from '../functions';
import { VIEWER_FILE_NAME, VIEWER_PACKAGE_FILE } from './viewer';

/** The API reference (issue 10): the OpenAPI document and the page that renders it. */
export const DOCS_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'ApiReference',
    entry: 'lambdas/docs/handler.ts',
    description:
      'GET /v1/openapi.json and GET /docs: the OpenAPI document and the API reference page (Redoc).',
    uses: {},
    files: [{ from: `node_modules/${VIEWER_PACKAGE_FILE}`, to: VIEWER_FILE_NAME }],
  },
];

/** Public: a department reads the reference before it has an integration. */
export const DOCS_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/openapi.json', functionId: 'ApiReference', auth: 'none' },
  { method: 'GET', path: '/docs', functionId: 'ApiReference', auth: 'none' },
  { method: 'GET', path: '/docs/redoc.standalone.js', functionId: 'ApiReference', auth: 'none' },
  { method: 'GET', path: '/docs/problems/{slug}', functionId: 'ApiReference', auth: 'none' },
];
