import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The API reference viewer: Redoc's standalone bundle from npm, served by the API itself (no CDN). The
 * deployed function has it next to its bundle (copied by CDK: `files` of the Docs FunctionSpec); run from
 * source (tests, `npm start`), it comes from node_modules. Read once per container.
 */
export const VIEWER_PACKAGE_FILE = 'redoc/bundles/redoc.standalone.js';
export const VIEWER_FILE_NAME = 'redoc.standalone.js';

let cached: string | undefined;

export function viewerScript(): string {
  if (cached === undefined) {
    const besideBundle = join(dirname(fileURLToPath(import.meta.url)), VIEWER_FILE_NAME);
    const path = existsSync(besideBundle)
      ? besideBundle
      : createRequire(import.meta.url).resolve(VIEWER_PACKAGE_FILE);
    cached = readFileSync(path, 'utf8');
  }
  return cached;
}

/**
 * Exactly what Redoc needs (each directive found necessary in test/contract/reference-page.test.ts): its
 * script and the document from here, the styles it injects, its inline SVG icons (data:), and the blob:
 * worker it builds for search. No inline script: the page starts Redoc with its `<redoc spec-url>`
 * element. Redoc's footer asks for a logo on Redocly's CDN: refused here on purpose (Redoc then hides it),
 * so the page loads nothing from anywhere but this API.
 */
export const REFERENCE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "connect-src 'self'",
  'worker-src blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Where the reference explains a problem type (Redoc's anchor of its heading in the description). */
export const problemTypeAnchor = (slug: string): string => `section/Problem-types/${slug}`;

/** The page: Redoc renders the document at v1/openapi.json (relative, so any stage prefix works). */
export function referencePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>e-Taal Delhi API reference</title>
</head>
<body>
<redoc spec-url="v1/openapi.json" expand-responses="200,201,202" required-props-first="true"></redoc>
<script src="docs/${VIEWER_FILE_NAME}"></script>
</body>
</html>
`;
}
