/**
 * The correlation fields of the invocation that code runs for — the HTTP request id (the problem
 * body's `instance`), the SQS message id, the complaint id — carried through every `await` by an
 * `AsyncLocalStorage`, so that each log line and metric line of one invocation names it without a
 * logger being passed around. In Lambda one process serves one invocation at a time; the local stack
 * serves concurrent requests in one process, which is why this is not a module-level variable
 * (docs/decisions/054-logs-and-metrics.md).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What every line of one invocation carries. Low-cardinality or opaque ids only: never personal data. */
export interface Correlation {
  /** The id to search by: the API Gateway request id for HTTP, else the SQS message id or complaint id. */
  correlationId: string;
  /** The function, as Lambda names it (locally its name in `functions/`). */
  function?: string;
  /** Lambda's own request id (START/END/REPORT lines, X-Ray), when it differs from `correlationId`. */
  awsRequestId?: string;
  /** True on the first invocation of this process. */
  coldStart?: boolean;
  complaintId?: string;
  /** The SQS message being handled (escalation consumer). */
  messageId?: string;
}

const storage = new AsyncLocalStorage<Correlation>();
let cold = true;

/** The fields an invocation starts with, from Lambda's context (absent locally for background runs). */
export interface InvocationContext {
  awsRequestId?: string;
  functionName?: string;
}

/**
 * Runs `fn` as one invocation with its own correlation fields. A fresh context, not an extension of
 * the caller's: the local queue delivers escalations from inside the request that queued them, and
 * in AWS the consumer would not know that request either.
 */
export function runInvocation<T>(correlationId: string, context: InvocationContext | undefined, fn: () => T): T {
  const coldStart = cold;
  cold = false;
  const fields: Correlation = {
    correlationId,
    ...(context?.functionName !== undefined && { function: context.functionName }),
    ...(context?.awsRequestId !== undefined && context.awsRequestId !== correlationId && { awsRequestId: context.awsRequestId }),
    coldStart,
  };
  return storage.run(fields, fn);
}

/** A background function's invocation fields: Lambda's context when there is one, else its own name. */
export function backgroundInvocation(name: string, context?: InvocationContext): InvocationContext {
  return { functionName: context?.functionName ?? name, ...(context?.awsRequestId !== undefined && { awsRequestId: context.awsRequestId }) };
}

/** Runs `fn` with `fields` added to the current correlation (one record of a batch). */
export function withCorrelation<T>(fields: Partial<Correlation>, fn: () => T): T {
  const current = storage.getStore();
  return storage.run({ correlationId: fields.correlationId ?? current?.correlationId ?? 'none', ...current, ...fields }, fn);
}

/** Adds fields (the complaint id, once known) to every later line of the current invocation. */
export function correlate(fields: Pick<Correlation, 'complaintId'>): void {
  const current = storage.getStore();
  if (current) Object.assign(current, fields);
}

/** The current invocation's fields; empty outside one (start-up, local timers). */
export function correlation(): Readonly<Partial<Correlation>> {
  return storage.getStore() ?? {};
}
