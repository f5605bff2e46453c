/**
 * The one HTTP handler factory every API Lambda uses: middy with header normalisation, a strict
 * JSON body reader, zod validation, the actor from JWT claims, and RFC 9457 problems on error.
 * A handler file only names its schema and calls one use case.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from '#domain/zod.ts';
import { correlate, runInvocation } from '#app/correlation.ts';
import { recordServerError } from '#app/metrics.ts';
import { ValidationFailed } from '#domain/errors.ts';
import type { Actor } from '#domain/model.ts';
import { ComplaintIdParam } from '#domain/requests/params.ts';
import { actorFromClaims } from './auth.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { HttpProblem, problemResponse } from './problem.ts';
import { log } from '#adapters/log.ts';
import { originGuard } from './origin.ts';

export type ApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** Request bodies above this are refused before parsing (a complaint is ≤ 4,000 characters). */
export const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export interface RequestContext<B> {
  event: ApiEvent;
  actor: Actor;
  body: B;
  /** The parsed JSON before validation, for checks on which fields the caller sent. */
  raw: Record<string, unknown>;
  params: Record<string, string>;
  query: Record<string, string>;
  idempotencyKey?: string;
  requestId: string;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as the body instead of JSON, as `text/html` with a locked-down CSP (the notice confirm page). */
  html?: string;
  /**
   * Sent as the body instead of JSON: a download, base64-encoded with `isBase64Encoded` (API Gateway HTTP APIs
   * decode it for the client; the local gateway does the same), `Content-Disposition: attachment` with the
   * RFC 6266/5987 `filename*` (UTF-8, percent-encoded) and an ASCII `filename` fallback.
   */
  file?: { bytes: Buffer; contentType: string; filename: string; asciiFilename: string };
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 §4.3, RFC 5987). */
export function attachmentDisposition(filename: string, asciiFilename: string): string {
  const ascii = asciiFilename.replace(/[^A-Za-z0-9._-]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** An HTML page of ours: no script, no frames, no Referer (its URL carries a token). */
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export type AuthMode = 'staff' | 'public';

export interface HandlerSpec<S extends z.ZodMiniType | undefined> {
  /** `staff` needs JWT claims; a function decides per route (one Lambda serving both kinds). */
  auth: AuthMode | ((event: ApiEvent) => AuthMode);
  body?: S;
  handle(ctx: RequestContext<S extends z.ZodMiniType ? z.output<S> : undefined>): Promise<Reply>;
}

/**
 * The one id of a request: API Gateway's request id (the `apigw-requestid` response header, the access
 * log's `requestId`), else Lambda's. The problem body's `instance` and every log line carry it.
 */
export function requestIdOf(event: ApiEvent, context: Context): string {
  return event.requestContext?.requestId ?? context.awsRequestId;
}

export function httpHandler<S extends z.ZodMiniType | undefined = undefined>(spec: HandlerSpec<S>) {
  const core = async (event: ApiEvent, context: Context): Promise<ApiResult> => {
    const requestId = requestIdOf(event, context);
    const mode = typeof spec.auth === 'function' ? spec.auth(event) : spec.auth;
    const actor = mode === 'staff' ? actorFromClaims(claimsOf(event)) : { id: 'public', role: 'public' as const };
    const raw = spec.body ? readJsonBody(event) : {};
    let body: unknown;
    if (spec.body) {
      const parsed = spec.body.safeParse(raw);
      if (!parsed.success) throw new ValidationFailed('The request body is invalid', fieldIssues(parsed.error));
      body = parsed.data;
    }
    const key = event.headers?.['idempotency-key'];
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new ValidationFailed('Invalid Idempotency-Key header', [{ path: 'header.Idempotency-Key', message: '8–128 characters: letters, digits, . _ : -' }]);
    }
    const reply = await spec.handle({
      event,
      actor,
      body: body as never,
      raw,
      params: definedEntries(event.pathParameters),
      query: definedEntries(event.queryStringParameters),
      ...(key !== undefined && { idempotencyKey: key }),
      requestId,
    });
    if (reply.html !== undefined) return { statusCode: reply.status, headers: { ...HTML_HEADERS, ...reply.headers }, body: reply.html };
    if (reply.file !== undefined) {
      return {
        statusCode: reply.status,
        headers: {
          'content-type': reply.file.contentType,
          'content-disposition': attachmentDisposition(reply.file.filename, reply.file.asciiFilename),
          'content-length': String(reply.file.bytes.length),
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          ...reply.headers,
        },
        body: reply.file.bytes.toString('base64'),
        isBase64Encoded: true,
      };
    }
    return {
      statusCode: reply.status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...reply.headers },
      body: JSON.stringify(reply.body),
    };
  };

  const wrapped = middy<ApiEvent, ApiResult, Error, Context>()
    .use(httpHeaderNormalizer())
    // Only requests forwarded by CloudFront (and its WAF) get further (docs/decisions/039).
    .use(originGuard())
    .use({
      onError: async (request) => {
        const response = problemResponse(request.error, requestIdOf(request.event, request.context));
        if ((response.statusCode ?? 500) >= 500) {
          log.error('request failed', { route: request.event.routeKey, error: describe(request.error) });
          recordServerError();
        }
        request.response = response;
      },
    })
    .handler(core);

  // Outside middy, so that every line of the request — middlewares and error mapping included — is
  // inside its correlation context.
  return (event: ApiEvent, context: Context): Promise<ApiResult> =>
    runInvocation(requestIdOf(event, context), context, async () => {
      const started = performance.now();
      const id = ComplaintIdParam.safeParse(event.pathParameters?.['id']);
      if (id.success) correlate({ complaintId: id.data });
      const result = await wrapped(event, context);
      // One line per request, 4xx included: what an operator finds by the `instance` of a problem.
      log.info('request', { route: event.routeKey, status: result.statusCode, durationMs: Math.round(performance.now() - started), ...problemCode(result) });
      return result;
    });
}

/** The problem's `code` of an error answer (the machine-readable reason), for the request line. */
function problemCode(result: ApiResult): { code?: string } {
  if ((result.statusCode ?? 200) < 400 || typeof result.body !== 'string') return {};
  try {
    const code: unknown = (JSON.parse(result.body) as { code?: unknown }).code;
    return typeof code === 'string' ? { code } : {};
  } catch {
    return {};
  }
}

function claimsOf(event: ApiEvent) {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } } }).authorizer;
  return authorizer?.jwt?.claims;
}

function definedEntries(record: Record<string, string | undefined> | undefined | null): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the body as a JSON object: 415 for other media types, 413 when too large, 400 for broken UTF-8 or JSON. */
export function readJsonBody(event: ApiEvent): Record<string, unknown> {
  const contentType = event.headers?.['content-type'];
  if (event.body === undefined || event.body === '') return {};
  if (contentType && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new HttpProblem(415, 'unsupported-media-type', 'Send the body as application/json', [{ path: 'header.Content-Type', message: `Got ${contentType}` }]);
  }
  // API Gateway hands text bodies over as strings (already decoded) and binary ones as base64:
  // only the latter can hold invalid UTF-8.
  const size = event.isBase64Encoded ? Buffer.byteLength(event.body, 'base64') : Buffer.byteLength(event.body, 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'payload-too-large', `The body may be at most ${MAX_BODY_BYTES} bytes`, [{ path: '', message: `${size} bytes` }]);
  }
  let text = event.body;
  if (event.isBase64Encoded) {
    try {
      text = utf8.decode(Buffer.from(event.body, 'base64'));
    } catch {
      throw new ValidationFailed('The body is not valid UTF-8', [{ path: '', message: 'Invalid UTF-8' }]);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationFailed('The body is not valid JSON', [{ path: '', message: error instanceof Error ? error.message : 'Malformed JSON' }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationFailed('The body must be a JSON object', [{ path: '', message: 'Expected an object' }]);
  }
  return value as Record<string, unknown>;
}

function describe(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}
