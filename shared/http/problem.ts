/**
 * RFC 9457 problem details. The one place where errors become HTTP: domain errors keep their
 * message and field paths; anything unexpected becomes a 500 whose body carries no internals.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidTransition,
  NotFound,
  RateLimited,
  Unauthenticated,
  Unavailable,
  Unprocessable,
  ValidationFailed,
  type FieldIssue,
} from '#domain/errors.ts';

export const PROBLEM_BASE = 'https://complaint-loop.example/problems/';

/** Thrown by the HTTP layer itself for transport problems (bad JSON, wrong media type, too large). */
export class HttpProblem extends DomainError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message, { issues });
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldIssue[];
  instance?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Status code and problem body for any error. */
export function toProblem(error: unknown, instance?: string): { status: number; problem: Problem; headers?: Record<string, string> } {
  const make = (status: number, code: string, detail: string, errors?: FieldIssue[], extra: Record<string, unknown> = {}) => ({
    status,
    problem: {
      type: `${PROBLEM_BASE}${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
      ...(errors && errors.length > 0 && { errors }),
      ...(instance !== undefined && { instance }),
      ...extra,
    },
  });
  if (error instanceof HttpProblem) return make(error.status, error.code, error.message, error.issues);
  if (error instanceof ValidationFailed) return make(400, error.code, error.message, error.issues);
  if (error instanceof Unauthenticated) return make(401, error.code, error.message);
  if (error instanceof Forbidden)
    return make(403, error.code, error.message, fieldIssues(error.context['issues']), pick(error.context, ['fields', 'action', 'role']));
  if (error instanceof NotFound) return make(404, error.code, error.message);
  if (error instanceof InvalidTransition) return make(409, error.code, error.message, undefined, { command: error.command, currentStatus: error.status });
  // What must change first (the open complaints of a handler being removed, decision 056).
  if (error instanceof Conflict) return make(409, error.code, error.message, undefined, pick(error.context, ['openComplaints', 'staff', 'routing']));
  if (error instanceof Unprocessable) return make(422, error.code, error.message, error.issues);
  if (error instanceof RateLimited) {
    return { ...make(429, error.code, error.message), headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof Unavailable) {
    return { ...make(503, error.code, error.message), headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  return make(500, 'internal-error', 'Something went wrong on our side. It has been logged; please try again later.');
}

/** The `issues` a domain error put in its context, when they are field issues (to name the fields). */
function fieldIssues(value: unknown): FieldIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const issues = value.filter(
    (v): v is FieldIssue => typeof v === 'object' && v !== null && typeof (v as FieldIssue).path === 'string' && typeof (v as FieldIssue).message === 'string',
  );
  return issues.length > 0 ? issues : undefined;
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

export function problemResponse(error: unknown, requestId?: string): APIGatewayProxyStructuredResultV2 {
  const { status, problem, headers } = toProblem(error, requestId);
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
    body: JSON.stringify(problem),
  };
}
