import { publicBaseUrl } from './settings';

/**
 * Every problem type the API can answer (RFC 9457 `type`), with what it means for the caller. Errors name
 * their type by slug (`HttpErrorOptions.problemType` only accepts a slug listed here), so a new problem
 * type cannot reach a client without an explanation; the API reference lists this catalog, with one
 * section per type, and the type URI itself, `GET /docs/problems/{slug}`, leads to it.
 */
export interface ProblemTypeInfo {
  /** The `title` every occurrence carries (from its error class). */
  readonly title: string;
  /** What happened and what the caller should do, in the words of the API reference. */
  readonly meaning: string;
}

export const PROBLEM_TYPES = {
  'missing-api-key': {
    title: 'Unauthorized',
    meaning:
      'No `x-api-key` header was sent. Send the department API key DeGS gave you in the `x-api-key` header of every request.',
  },
  'invalid-api-key': {
    title: 'Unauthorized',
    meaning:
      'The `x-api-key` header does not hold a current department API key (mistyped, or rotated by DeGS). Ask DeGS Technical for a new key if yours was rotated.',
  },
  unauthorized: { title: 'Unauthorized', meaning: 'The request is not authenticated.' },
  'signature-required': {
    title: 'Signature required',
    meaning:
      "This deployment requires the competent authority's approval at SoP step 3 to be a digital signature, so an approval without one was refused and nothing was recorded. Download the issued Service Details Template (PDF) from the approval page, sign it unchanged with a Class 3 Digital Signature Certificate and upload the signed copy on the same page; returning or rejecting needs no signature.",
  },
  'missing-body': {
    title: 'Bad request',
    meaning: 'The request has no body; this operation needs one in one of its documented media types.',
  },
  'malformed-json': {
    title: 'Bad request',
    meaning: 'The body was sent as JSON but is not valid JSON (check quotes, commas and brackets).',
  },
  'invalid-headers': {
    title: 'Bad request',
    meaning:
      'A request header breaks its rule (for example an `Idempotency-Key` that is not 1 to 128 visible ASCII characters); `errors` names it.',
  },
  'bad-request': { title: 'Bad request', meaning: 'The request could not be read.' },
  'not-found': {
    title: 'Not found',
    meaning:
      'Nothing with this id belongs to your department. Ids of other departments are answered the same way as ids that do not exist.',
  },
  'unknown-path': {
    title: 'Not found',
    meaning:
      'No operation of the API has this path: check it against this reference (a missing version prefix, a typo). Local mode answers this; behind AWS API Gateway the same request is answered 403 `Missing Authentication Token`.',
  },
  'method-not-allowed': {
    title: 'Method not allowed',
    meaning:
      'The path exists, but not with this method: the `Allow` header lists the methods it takes. Local mode answers this; behind AWS API Gateway the same request is answered 403 `Missing Authentication Token`.',
  },
  conflict: { title: 'Conflict', meaning: 'The request conflicts with the current state of the resource.' },
  gone: { title: 'Gone', meaning: 'The link existed but is no longer usable (expired or already used).' },
  'payload-too-large': {
    title: 'Payload too large',
    meaning: 'The body is larger than this operation accepts; split it into several requests.',
  },
  'unsupported-media-type': {
    title: 'Unsupported media type',
    meaning: 'The `Content-Type` is not one this operation accepts; `detail` lists the accepted ones.',
  },
  'validation-error': {
    title: 'Invalid request content',
    meaning:
      'The request was read but some fields break the rules. `errors` lists every bad field with its rule, so one round of fixes is enough.',
  },
  'invalid-counts': {
    title: 'Invalid request content',
    meaning:
      'Some counts are invalid; nothing was stored (all or nothing). `errors` names each one: `counts[i].field` for JSON, `row N, column name` for CSV (row 1 is the header), with `index` the position of the count.',
  },
  'idempotency-key-reused': {
    title: 'Invalid request content',
    meaning:
      'This `Idempotency-Key` was already used with a different body. Use a new key for a new request; resend the same body to get the first answer again.',
  },
  'idempotency-in-progress': {
    title: 'Conflict',
    meaning: 'A request with the same `Idempotency-Key` is still being processed; retry after a moment.',
  },
  'service-not-accepting-counts': {
    title: 'Conflict',
    meaning:
      'A service of yours does not take counts now: counts are taken from SoP step 8 (after the step-7 hand-over of its Government Service Code), and never for a rejected onboarding. Nothing was stored.',
  },
  'service-retired': {
    title: 'Conflict',
    meaning:
      'A service in the request was retired by DeGS: it takes no more counts, and its earlier counts stay on record. Remove its items (`errors` names them) and send the others again; nothing was stored. Ask DeGS Technical if the service was retired by mistake.',
  },
  'not-accepting-templates': {
    title: 'Conflict',
    meaning:
      "The onboarding is not taking templates now: they are taken at step 3 (again until the competent authority decides, and after the competent authority returns them) and when the e-Taal Nodal Contact returns them for amendments (step 4), not during the review or after approval. The problem's `state` says where the onboarding is and `nextAction` what to do. Right after creating an onboarding, retry in a few seconds.",
  },
  'concurrent-submission': {
    title: 'Conflict',
    meaning:
      'Another template submission for this onboarding is being applied; look at the onboarding, then retry if needed.',
  },
  'wait-expired': {
    title: 'Conflict',
    meaning:
      'The workflow stopped waiting for these templates (the onboarding moved on); read the onboarding to see its step.',
  },
  'approval-not-passed-on': {
    title: 'Service unavailable',
    meaning: 'The decision was recorded but could not be passed to the workflow yet; it is retried.',
  },
  'invalid-nonce': {
    title: 'Forbidden',
    meaning: 'The approval form was not posted from the page it belongs to; open the emailed link again.',
  },
  'approval-expired': {
    title: 'Gone',
    meaning:
      'The approval link passed its validity; a reminder with a new link is sent when the step is escalated.',
  },
  'approval-superseded': { title: 'Gone', meaning: 'A newer link was sent for this step; use that one.' },
  'approval-step-complete': {
    title: 'Gone',
    meaning:
      'Nothing is left to decide with this link: its step was completed another way (for example by the first test counts), or the onboarding has ended.',
  },
  'approval-already-decided': {
    title: 'Conflict',
    meaning: 'This approval link was already used to decide.',
  },
  'duplicate-department-code': {
    title: 'Conflict',
    meaning: 'A department with this code already exists.',
  },
  'too-many-requests': {
    title: 'Too many requests',
    meaning:
      'Your department sent more requests this minute than allowed. Wait the seconds in `Retry-After`, then send again.',
  },
  'onboarding-rate-limit': {
    title: 'Too many requests',
    meaning:
      'Your department started more onboardings this hour than allowed (each one emails officials). Wait the seconds in `Retry-After`, then send again.',
  },
  'open-onboardings-quota': {
    title: 'Too many requests',
    meaning:
      'Your department already has the most open onboardings allowed. Finish one (it goes live or is rejected), or ask DeGS to cancel one, before starting another.',
  },
  'address-rate-limit': {
    title: 'Too many requests',
    meaning:
      'Your address sent more requests this minute than the edge of the API (AWS WAF) allows for this kind of route; nothing reached the API. Wait the seconds in `Retry-After`, then send again; spread a large back-fill over several minutes.',
  },
  'api-throttled': {
    title: 'Too many requests',
    meaning:
      "All callers together sent this operation more requests per second than API Gateway's throttling allows; nothing reached the API. Wait the seconds in `Retry-After`, then send the same request again.",
  },
  forbidden: {
    title: 'Forbidden',
    meaning:
      'The edge of the API (AWS WAF) refused the request before it reached the API: it matched a rule against known attacks or a source address with a bad reputation, or (for the e-Taal Client Connector) it came from an address outside the allow-list NIC gave. Nothing was read or changed; ask DeGS Technical if you believe the request is legitimate.',
  },
  'too-many-failed-attempts': {
    title: 'Too many requests',
    meaning:
      'Too many requests from your address failed authentication (wrong API keys or unknown approval links). Every request from it is refused until `Retry-After` has passed; check the key you send.',
  },
  'dependency-unavailable': {
    title: 'Service unavailable',
    meaning:
      'A service we depend on did not answer in time. `detail` says whether part of the request may already be applied; either way, wait the seconds in `Retry-After` and send the same request again (with the same `Idempotency-Key`): a resend never counts twice.',
  },
  'service-unavailable': {
    title: 'Service unavailable',
    meaning:
      'A dependency is busy or down. Nothing half-done is kept: wait the seconds in `Retry-After` and send the same request again (with the same `Idempotency-Key`).',
  },
  'internal-error': {
    title: 'Internal server error',
    meaning: 'A bug on our side. `requestId` identifies the request: quote it to DeGS Technical.',
  },
} as const satisfies Record<string, ProblemTypeInfo>;

export type ProblemTypeSlug = keyof typeof PROBLEM_TYPES;

export const PROBLEM_TYPE_SLUGS = Object.keys(PROBLEM_TYPES) as ProblemTypeSlug[];

/** Where a problem type's URI lives under the API's base URL; its last segment is the slug. */
export const PROBLEM_TYPE_PATH = '/docs/problems/';

/**
 * Problem type URIs are URLs of this deployment's API reference (`${PUBLIC_BASE_URL}/docs/problems/<slug>`),
 * so following a `type` leads to its explanation (RFC 9457 §3.1.1). A client branches on the URI, or on
 * its last path segment (`problemTypeSlugOf`), which does not depend on the host serving the API.
 */
export const problemTypeUri = (slug: ProblemTypeSlug, baseUrl: string = publicBaseUrl()): string =>
  `${baseUrl}${PROBLEM_TYPE_PATH}${slug}`;

/** The slug of a problem type URI (its last path segment), undefined when it is not one of ours. */
export function problemTypeSlugOf(uri: string): ProblemTypeSlug | undefined {
  const at = uri.lastIndexOf(PROBLEM_TYPE_PATH);
  const slug = at < 0 ? '' : uri.slice(at + PROBLEM_TYPE_PATH.length);
  return isProblemTypeSlug(slug) ? slug : undefined;
}

export function isProblemTypeSlug(value: string): value is ProblemTypeSlug {
  return Object.hasOwn(PROBLEM_TYPES, value);
}
