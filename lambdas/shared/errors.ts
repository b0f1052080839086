/**
 * Domain errors that map to HTTP problems (RFC 9457). Business code throws these; the one error
 * middleware (./middleware/problem-errors) turns them into `application/problem+json` responses. Anything that is not an
 * `HttpError` is treated as a bug and answered with a generic 500.
 */

import type { FieldError } from '../core/problem-fields';
import { type ProblemTypeSlug, problemTypeUri } from './problem-types';

/** One invalid input, named the way the client sent it, e.g. `services[3].category` or `limit`. */
export type { FieldError };

export interface HttpErrorOptions {
  /**
   * A more specific problem type than the class default, as a short slug (e.g. `duplicate-department-code`);
   * it becomes `<PUBLIC_BASE_URL>/docs/problems/<slug>` so clients can branch on it without parsing text.
   */
  readonly problemType?: ProblemTypeSlug;
  readonly errors?: readonly FieldError[];
  /**
   * RFC 9457 extension members of this occurrence (e.g. the state a conflict is about and what to do);
   * documented per operation. They never replace the standard members.
   */
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export { problemTypeUri };

export abstract class HttpError extends Error {
  abstract readonly status: number;
  /** Short, human-readable summary of the problem type (the same for every occurrence). */
  abstract readonly title: string;
  protected abstract readonly defaultProblemType: ProblemTypeSlug;
  readonly errors: readonly FieldError[] | undefined;
  readonly extensions: Readonly<Record<string, unknown>> | undefined;
  readonly #problemType: ProblemTypeSlug | undefined;

  constructor(
    /** Human-readable explanation of this occurrence; safe to show to the client. */
    readonly detail: string,
    options: HttpErrorOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.errors = options.errors;
    this.extensions = options.extensions;
    this.#problemType = options.problemType;
  }

  get type(): string {
    return problemTypeUri(this.#problemType ?? this.defaultProblemType);
  }

  /** Extra response headers this problem needs (e.g. Retry-After, WWW-Authenticate). */
  get headers(): Record<string, string> {
    return {};
  }
}

/** The request was understood but its content breaks the rules; `errors` names every bad field. */
export class ValidationError extends HttpError {
  readonly status = 422;
  readonly title = 'Invalid request content';
  protected readonly defaultProblemType = 'validation-error';
  declare readonly errors: readonly FieldError[];

  constructor(
    errors: readonly FieldError[],
    detail?: string,
    options: Omit<HttpErrorOptions, 'errors'> = {},
  ) {
    super(detail ?? describeFieldErrors(errors), { ...options, errors });
  }

  /** Shorthand for the common single-field case. */
  static forField(
    field: string,
    message: string,
    options?: Omit<HttpErrorOptions, 'errors'>,
  ): ValidationError {
    return new ValidationError([{ field, message }], undefined, options);
  }
}

function describeFieldErrors(errors: readonly FieldError[]): string {
  if (errors.length === 0) return 'The request content is invalid.';
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first?.field ? `${first.field}: ` : ''}${first?.message}${more}`;
}

/** The request could not be read at all (malformed JSON, missing body, bad header syntax). */
export class BadRequestError extends HttpError {
  readonly status = 400;
  readonly title = 'Bad request';
  protected readonly defaultProblemType = 'bad-request';
}

export class UnauthorizedError extends HttpError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  protected readonly defaultProblemType = 'unauthorized';

  override get headers(): Record<string, string> {
    return { 'WWW-Authenticate': 'ApiKey header="x-api-key"' };
  }
}

/** The request is understood but not allowed (e.g. a form not posted from its own page). */
export class ForbiddenError extends HttpError {
  readonly status = 403;
  readonly title = 'Forbidden';
  protected readonly defaultProblemType = 'forbidden';
}

export class NotFoundError extends HttpError {
  readonly status = 404;
  readonly title = 'Not found';
  protected readonly defaultProblemType = 'not-found';
}

/** The request conflicts with the current state (duplicate, wrong step, already decided). */
export class ConflictError extends HttpError {
  readonly status = 409;
  readonly title = 'Conflict';
  protected readonly defaultProblemType = 'conflict';
}

/** The resource existed but is no longer usable (expired or already used approval link). */
export class GoneError extends HttpError {
  readonly status = 410;
  readonly title = 'Gone';
  protected readonly defaultProblemType = 'gone';
}

export class PayloadTooLargeError extends HttpError {
  readonly status = 413;
  readonly title = 'Payload too large';
  protected readonly defaultProblemType = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  protected readonly defaultProblemType = 'unsupported-media-type';
}

export class TooManyRequestsError extends HttpError {
  readonly status = 429;
  readonly title = 'Too many requests';
  protected readonly defaultProblemType = 'too-many-requests';

  constructor(
    detail: string,
    readonly retryAfterSeconds?: number,
    options?: HttpErrorOptions,
  ) {
    super(detail, options);
  }

  override get headers(): Record<string, string> {
    return retryAfterHeader(this.retryAfterSeconds);
  }
}

/**
 * A bug: the answer carries only the request id (in `detail` and the `requestId` extension) so the caller
 * can quote it; what went wrong stays in the log.
 */
export class InternalError extends HttpError {
  readonly status = 500;
  readonly title = 'Internal server error';
  protected readonly defaultProblemType = 'internal-error';

  constructor(readonly requestId: string) {
    super(`Something went wrong on our side. Quote request id ${requestId} if you report it.`, {
      extensions: { requestId },
    });
  }
}

/** A dependency is down or throttling us; the client should retry after `retryAfterSeconds`. */
export class ServiceUnavailableError extends HttpError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  protected readonly defaultProblemType = 'service-unavailable';

  constructor(
    detail: string,
    readonly retryAfterSeconds?: number,
    options?: HttpErrorOptions,
  ) {
    super(detail, options);
  }

  override get headers(): Record<string, string> {
    return retryAfterHeader(this.retryAfterSeconds);
  }
}

function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return {};
  return { 'Retry-After': String(Math.ceil(seconds)) };
}
