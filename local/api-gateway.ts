/**
 * A small stand-in for API Gateway HTTP API (payload format 2.0): matches the route table, verifies
 * staff tokens like the JWT authorizer, builds the event and invokes the real handler.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isUtf8 as isUtf8Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '#http/handler.ts';
import { HttpProblem, problemResponse } from '#http/problem.ts';
import { ROUTES, routeKey, type RouteSpec } from '#http/routes.ts';
import { RateLimited, Unauthenticated, ValidationFailed } from '#domain/errors.ts';
import type { ApiEvent, ApiResult } from '#http/handler.ts';
import { verifyToken } from './auth.ts';
import type { ApiLambda } from './functions.ts';
import type { RateLimiter } from './rate-limit.ts';

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = ROUTES.map((spec) => {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  return { spec, pattern, names };
});

/** The methods served at a path, for a 405's `Allow` header; empty when no route has this path. */
function methodsAt(path: string): string[] {
  return compiled.filter((r) => r.pattern.test(path)).map((r) => r.spec.method);
}

/**
 * The route for a request, with its path parameters percent-decoded (API Gateway hands them to the
 * Lambda decoded). The raw path must already be known to decode (see {@link checkEncoding}).
 */
export function matchRoute(method: string, path: string): { spec: RouteSpec; params: Record<string, string> } | 'method-not-allowed' | undefined {
  let pathMatched = false;
  for (const route of compiled) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.spec.method !== method) continue;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
    return { spec: route.spec, params };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

const decodes = (s: string) => {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

/**
 * Malformed %-encoding (a lone `%`, `%ZZ`, bytes that are not UTF-8 such as `%FF` or the overlong
 * `%C0%AF`) is refused before routing with a 400 naming `path` or `query`: `decodeURIComponent` would
 * throw deep inside a handler, and `URLSearchParams` would silently turn the bytes into U+FFFD.
 */
export function checkEncoding(url: URL): void {
  if (!decodes(url.pathname)) {
    throw new ValidationFailed('The path is not valid percent-encoded UTF-8', [{ path: 'path', message: 'Malformed percent-encoding' }]);
  }
  const query = url.search.slice(1);
  if (query && !query.split('&').every((part) => decodes(part.replace(/\+/g, ' ')))) {
    throw new ValidationFailed('The query string is not valid percent-encoded UTF-8', [{ path: 'query', message: 'Malformed percent-encoding' }]);
  }
}

/** Payload format 2.0: a parameter given twice arrives once, its values joined by commas. */
function queryParameters(url: URL): Record<string, string> | undefined {
  if (!url.search || url.search === '?') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}

/** Payload format 2.0: header names lower-cased, repeated headers joined by commas (Node keeps only the first of some). */
function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headersDistinct).map(([k, v]) => [k.toLowerCase(), (v ?? []).join(',')]));
}

/**
 * The URL of a request target. The target is a path (`//x/y` is a path, not a host as `new URL` would
 * read it relative to a base); an absolute form (`http://host/path`, sent to proxies) keeps only its
 * path and query. Undefined for anything else (`*`, garbage), which the caller answers with a 400.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  const raw = target ?? '/';
  try {
    if (raw.startsWith('/')) return new URL(`http://localhost${raw}`);
    const absolute = new URL(raw);
    return absolute.protocol === 'http:' || absolute.protocol === 'https:' ? new URL(`http://localhost${absolute.pathname}${absolute.search}`) : undefined;
  } catch {
    return undefined;
  }
}

/** A 400 problem for a request target that is not a path. */
export function badTargetResponse(): ApiResult {
  return problemResponse(new ValidationFailed('The request target is not a path', [{ path: 'path', message: 'Expected /…' }]));
}

/** A 404 problem for a request no route (and no static file) serves. */
export function notFoundResponse(method: string, path: string): ApiResult {
  return problemResponse(new HttpProblem(404, 'not-found', `No route ${method} ${path}`));
}

const lambdaContext = (requestId: string, functionName: string): Context =>
  ({
    awsRequestId: requestId,
    functionName,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

/** API Gateway HTTP API refuses payloads over 10 MB without invoking anything. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

type Body = { ok: true; raw: Buffer } | { ok: false; size: number };

/**
 * Reads the request body, keeping at most `cap` bytes in memory. A longer body is read to its end and
 * discarded (so that the client, still sending, can read the 413), up to the gateway's 10 MB, after
 * which the rest is no longer waited for.
 */
function readBody(req: IncomingMessage, cap = MAX_BODY_BYTES): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
      else chunks.length = 0;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        req.off('data', onData);
        resolve({ ok: false, size });
      }
    };
    req.on('data', onData);
    req.once('end', () => resolve(size > cap ? { ok: false, size } : { ok: true, raw: Buffer.concat(chunks) }));
    req.once('error', reject);
  });
}

/** The handlers' own 413 (`readJsonBody`), given by the gateway before the body is held in memory. */
function tooLarge(size: number, requestId: string): ApiResult {
  const result = problemResponse(
    new HttpProblem(413, 'payload-too-large', `The body may be at most ${MAX_BODY_BYTES} bytes`, [{ path: '', message: `${size} bytes` }]),
    requestId,
  );
  return { ...result, headers: { ...result.headers, connection: 'close' } };
}

/**
 * The API request on whose behalf code runs (like a Lambda invocation's context), also inside work it
 * starts, such as queue deliveries. The fuzz test attributes every store write to its request with it.
 */
export const currentRequest = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Serves one request if a route matches (`false` otherwise, for the static files). Every answer
 * carries `apigw-requestid`, as API Gateway's do.
 */
export async function invokeRoute(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: Record<string, ApiLambda>,
  url: URL,
  limiter?: RateLimiter,
): Promise<boolean> {
  const requestId = randomUUID();
  res.setHeader('apigw-requestid', requestId);
  return currentRequest.run({ requestId }, () => serve(req, res, handlers, url, requestId, limiter));
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: Record<string, ApiLambda>,
  url: URL,
  requestId: string,
  limiter?: RateLimiter,
): Promise<boolean> {
  const headers = headersOf(req);
  // A declared length over the gateway's limit is refused at once, as API Gateway does.
  const declared = Number(headers['content-length'] ?? 0);
  if (declared > GATEWAY_MAX_BODY_BYTES) {
    send(res, tooLarge(declared, requestId));
    return true;
  }
  // The body is read (or discarded) before any answer: Node closes a keep-alive connection that is
  // answered before its request body has arrived, and a client reusing it would see a reset.
  const body = await readBody(req);
  if (!body.ok) {
    send(res, tooLarge(body.size, requestId));
    return true;
  }
  try {
    checkEncoding(url);
  } catch (error) {
    send(res, problemResponse(error, requestId));
    return true;
  }
  const method = req.method ?? 'GET';
  const match = matchRoute(method, url.pathname);
  if (match === undefined) return false;
  if (match === 'method-not-allowed') {
    const allowed = methodsAt(url.pathname);
    const result = problemResponse(new HttpProblem(405, 'method-not-allowed', `${method} is not allowed here; use ${allowed.join(', ')}`), requestId);
    send(res, { ...result, headers: { ...result.headers, allow: allowed.join(', ') } });
    return true;
  }
  if (limiter && match.spec.throttle) {
    const verdict = limiter.take(`${req.socket.remoteAddress ?? '-'}|${routeKey(match.spec)}`, match.spec.throttle);
    if (!verdict.ok) {
      send(res, problemResponse(new RateLimited(verdict.retryAfterSeconds), requestId));
      return true;
    }
  }
  let claims: Record<string, string> | undefined;
  if (match.spec.auth === 'staff') {
    claims = verifyToken(headers['authorization']);
    if (!claims) {
      send(res, problemResponse(new Unauthenticated('A valid bearer token is required'), requestId));
      return true;
    }
  }
  const raw = body.raw;
  // Like API Gateway: valid UTF-8 arrives as a string, anything else base64-encoded.
  const isUtf8 = isUtf8Buffer(raw);
  const text = isUtf8 ? raw.toString('utf8') : '';
  const event = {
    version: '2.0',
    routeKey: routeKey(match.spec),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: queryParameters(url),
    pathParameters: Object.keys(match.params).length ? match.params : undefined,
    body: raw.length === 0 ? undefined : isUtf8 ? text : raw.toString('base64'),
    isBase64Encoded: raw.length > 0 && !isUtf8,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: 'localhost',
      requestId,
      routeKey: routeKey(match.spec),
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: {
        method: match.spec.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      ...(claims && { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: null } } }),
    },
  } as unknown as ApiEvent;
  const handler = handlers[match.spec.function];
  if (!handler) throw new Error(`No local handler for ${match.spec.function}`);
  send(res, await handler(event, lambdaContext(requestId, match.spec.function)));
  return true;
}

export function send(res: ServerResponse, result: ApiResult): void {
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  // API Gateway decodes a base64 body before it reaches the client (binary responses, decision 061).
  res.end(result.isBase64Encoded && result.body !== undefined ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
}
