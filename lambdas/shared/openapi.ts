import type {
  ZodOpenApiOperationObject,
  ZodOpenApiResponseObject,
  ZodOpenApiResponsesObject,
} from 'zod-openapi';
import * as z from '../core/zod';
import { PROBLEM_TYPES, type ProblemTypeSlug, problemTypeUri } from './problem-types';

/**
 * How a domain documents its routes for the OpenAPI document (lambdas/docs/openapi-document.ts): each
 * `lambdas/<domain>/openapi.ts` exports a function giving, for every route of its `functions.ts`, either
 * the operation (built with `operation`, from the same zod schemas its handlers validate with) or the
 * reason it is not part of the department-facing reference. A route without an entry fails the build
 * of the document, and with it the tests.
 */

export type RouteKey = `${'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE'} /${string}`;

export interface NotInReference {
  /** Why the route is not in the API reference (who uses it instead, and where it is documented). */
  readonly notInReference: string;
}

export type RouteDoc = ZodOpenApiOperationObject | NotInReference;

/** Values the examples depend on: counts dates must be recent, so examples are made on the day. */
export interface DocContext {
  /** Yesterday in IST, YYYY-MM-DD: always inside the back-fill window and never in the future. */
  readonly yesterday: string;
}

export type RouteDocs = (context: DocContext) => Readonly<Partial<Record<RouteKey, RouteDoc>>>;

export const isDocumented = (doc: RouteDoc): doc is ZodOpenApiOperationObject => !('notInReference' in doc);

/** The security scheme name of the department API key (components.securitySchemes). */
export const API_KEY_SCHEME = 'departmentApiKey';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503;
export type ProblemsByStatus = Readonly<Partial<Record<ProblemStatus, readonly ProblemTypeSlug[]>>>;

/**
 * Every route that takes the department API key can answer these: the key missing or wrong, the source
 * refused after repeated wrong keys (shared/guessing-limit), and the key store not answering in time
 * (shared/dependency-failure; the handler's own dependencies too).
 */
export const API_KEY_PROBLEMS: ProblemsByStatus = {
  401: ['missing-api-key', 'invalid-api-key'],
  429: ['too-many-failed-attempts'],
  503: ['dependency-unavailable'],
};
/**
 * Every route can be answered by the edge before the API sees the request (lib/edge-limits.ts): AWS WAF's
 * per-IP rate rules and its managed rules, and API Gateway's per-method throttling. Always problem+json,
 * even for the connector, whose own errors are XML.
 */
export const EDGE_PROBLEMS: ProblemsByStatus = {
  403: ['forbidden'],
  429: ['address-rate-limit', 'api-throttled'],
};
/** Every route can answer a bug as 500 with a request id. */
export const ALWAYS_PROBLEMS: ProblemsByStatus = { 500: ['internal-error'] };
/** Every route with a request body (shared/middleware/body-parser.ts), when the body is JSON. */
const JSON_BODY_PROBLEMS: ProblemsByStatus = {
  400: ['missing-body', 'malformed-json'],
  413: ['payload-too-large'],
  415: ['unsupported-media-type'],
};

/** The problems of a route that takes a JSON body: the body parser's and the route's own. */
export const jsonBodyProblems = (routeProblems: ProblemsByStatus): ProblemsByStatus =>
  mergeProblems(JSON_BODY_PROBLEMS, routeProblems);

function mergeProblems(...sets: readonly ProblemsByStatus[]): ProblemsByStatus {
  const merged: Partial<Record<ProblemStatus, ProblemTypeSlug[]>> = {};
  for (const set of sets) {
    for (const [status, slugs] of Object.entries(set) as [`${ProblemStatus}`, ProblemTypeSlug[]][]) {
      const key = Number(status) as ProblemStatus;
      const list = merged[key] ?? [];
      for (const slug of slugs) if (!list.includes(slug)) list.push(slug);
      merged[key] = list;
    }
  }
  return merged;
}

export const fieldErrorSchema = z
  .object({
    field: z.string().check(
      z.meta({
        description:
          'The bad input as the client sent it: `counts[3].date`, `services[0].serviceName`, `limit`, or for CSV `row 4, column date` (row 1 is the header).',
      }),
    ),
    message: z.string().check(z.meta({ description: 'The rule the value breaks.' })),
    index: z
      .optional(z.int())
      .check(z.meta({ description: 'Position of the item in the request list, when it is one.' })),
  })
  .check(z.meta({ id: 'FieldError' }));

/** RFC 9457 problem details, as shared/http-responses.ts `problem` writes them. */
export const problemSchema = z.object({
  type: z.string().check(
    z.meta({
      description:
        'URI of the problem type, `<base URL>/docs/problems/<slug>`: branch on it (or on its last segment, the slug); open it to read its explanation under "Problem types" in this reference.',
    }),
  ),
  title: z.string(),
  status: z.int(),
  detail: z.string().check(z.meta({ description: 'What went wrong in this request, for a person.' })),
  instance: z.optional(z.string()).check(z.meta({ description: 'The request path.' })),
  errors: z
    .optional(z.array(fieldErrorSchema))
    .check(z.meta({ description: 'Every bad field, when fields are at fault.' })),
  requestId: z
    .optional(z.string())
    .check(z.meta({ description: 'Quote it when you report a server error.' })),
});

const retryAfterHeader = z.object({
  'Retry-After': z
    .string()
    .check(
      z.regex(/^\d+$/),
      z.meta({ description: 'Seconds to wait before sending the same request again.', example: '2' }),
    ),
});

const wwwAuthenticateHeader = z.object({
  'WWW-Authenticate': z.string().check(z.meta({ example: 'ApiKey header="x-api-key"' })),
});

function problemResponse(
  status: ProblemStatus,
  slugs: readonly ProblemTypeSlug[],
  extension?: z.core.$ZodObject,
): ZodOpenApiResponseObject {
  const uris = slugs.map((slug) => problemTypeUri(slug));
  const schema = z.extend(problemSchema, {
    ...extension?._zod.def.shape,
    type: z
      .enum(uris as [string, ...string[]])
      .check(z.meta({ description: 'One of the problem types listed here.' })),
  });
  const headers =
    status === 429 || status === 503 ? retryAfterHeader : status === 401 ? wwwAuthenticateHeader : undefined;
  return {
    description: slugs.map((slug) => `\`${slug}\`: ${PROBLEM_TYPES[slug].meaning}`).join('\n\n'),
    ...(headers ? { headers } : {}),
    content: {
      'application/problem+json': {
        schema,
        examples: Object.fromEntries(
          slugs.map((slug) => [
            slug,
            {
              summary: PROBLEM_TYPES[slug].title,
              value: {
                type: problemTypeUri(slug),
                title: PROBLEM_TYPES[slug].title,
                status,
                detail: PROBLEM_TYPES[slug].meaning,
              },
            },
          ]),
        ),
      },
    },
  };
}

/**
 * An operation of the reference: the success responses as given, plus one problem response per status
 * listing exactly the problem types the route can answer (their URIs are an enum in the schema, so the
 * contract test also checks that no undocumented type comes back).
 */
export function operation(
  spec: Omit<ZodOpenApiOperationObject, 'responses' | 'security'> & {
    readonly responses: ZodOpenApiResponsesObject;
    readonly problems: ProblemsByStatus;
    readonly apiKey?: boolean;
    /**
     * The operation answers every error, a 500 included, in its own media type (documented in
     * `responses`), never as problem+json: the e-Taal connector, whose client reads XML only.
     */
    readonly ownErrorBodies?: true;
    /** Extension members some problems of a status carry (all optional), e.g. a 409's state. */
    readonly problemExtensions?: Readonly<Partial<Record<ProblemStatus, z.core.$ZodObject>>>;
  },
): ZodOpenApiOperationObject {
  const { problems, apiKey, ownErrorBodies, problemExtensions, responses, ...rest } = spec;
  const all = ownErrorBodies
    ? mergeProblems(apiKey ? API_KEY_PROBLEMS : {}, problems, EDGE_PROBLEMS)
    : mergeProblems(apiKey ? API_KEY_PROBLEMS : {}, problems, EDGE_PROBLEMS, ALWAYS_PROBLEMS);
  const problemResponses = Object.fromEntries(
    (Object.entries(all) as [`${ProblemStatus}`, ProblemTypeSlug[]][]).map(([status, slugs]) => [
      status,
      problemResponse(
        Number(status) as ProblemStatus,
        slugs,
        problemExtensions?.[Number(status) as ProblemStatus],
      ),
    ]),
  );
  return {
    ...rest,
    ...(apiKey ? { security: [{ [API_KEY_SCHEME]: [] }] } : { security: [] }),
    responses: { ...responses, ...problemResponses },
  };
}

/** The problem types an operation documents, by status (read back from its responses). */
export function documentedProblems(op: ZodOpenApiOperationObject): Map<number, ProblemTypeSlug[]> {
  const found = new Map<number, ProblemTypeSlug[]>();
  for (const [status, response] of Object.entries(op.responses)) {
    const examples = (response as ZodOpenApiResponseObject).content?.['application/problem+json']?.examples;
    if (examples) found.set(Number(status), Object.keys(examples) as ProblemTypeSlug[]);
  }
  return found;
}
