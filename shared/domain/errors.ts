/**
 * Domain errors. The HTTP layer maps each one to a status code exactly once
 * (`shared/http/problem.ts`); the store maps SDK exceptions onto them at its boundary.
 */

/** One offending field: a JSON path into the request and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Base class: every domain error has a stable machine-readable `code`. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is malformed: wrong types, missing or unknown fields (HTTP 400). */
export class ValidationFailed extends DomainError {
  readonly code = 'validation-failed';
  constructor(
    message: string,
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, { issues }, options);
  }
}

/** Well-formed but unacceptable content, e.g. a vague reply (HTTP 422). */
export class Unprocessable extends DomainError {
  readonly code: string;
  constructor(
    code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    context: Record<string, unknown> = {},
  ) {
    super(message, { ...context, issues });
    this.code = code;
  }
}

/** The command is not allowed in the complaint's current status (HTTP 409). */
export class InvalidTransition extends DomainError {
  readonly code = 'invalid-transition';
  constructor(
    readonly command: string,
    readonly status: string,
    message = `“${command}” is not allowed while the complaint is ${status}`,
  ) {
    super(message, { command, status });
  }
}

/** Someone else changed the complaint first, or the key is already taken (HTTP 409). */
export class Conflict extends DomainError {
  readonly code: string;
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown; code?: string }) {
    super(message, context, options);
    this.code = options?.code ?? 'conflict';
  }
}

/** The thing does not exist, or the caller may not know that it exists (HTTP 404). */
export class NotFound extends DomainError {
  readonly code = 'not-found';
}

/** No or bad credentials (HTTP 401). */
export class Unauthenticated extends DomainError {
  readonly code = 'unauthenticated';
}

/** Authenticated, but the role or unit does not allow this (HTTP 403). */
export class Forbidden extends DomainError {
  readonly code = 'forbidden';
}

/** Too many requests from one client (HTTP 429). */
export class RateLimited extends DomainError {
  readonly code = 'rate-limited';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests; try again later', { retryAfterSeconds });
  }
}

/**
 * Not now, but a retry will do (HTTP 503 with Retry-After): a channel message another delivery is still
 * processing, or a failure after which the message was given back for the provider's retry.
 */
export class Unavailable extends DomainError {
  readonly code: string;
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, { ...context, retryAfterSeconds }, options);
    this.code = code;
  }
}
