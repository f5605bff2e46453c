/**
 * A small stand-in for API Gateway HTTP API (payload format 2.0): matches the route table, verifies
 * staff tokens like the JWT authorizer, builds the event and invokes the real handler.
 */
import { isUtf8 as isUtf8Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { HttpProblem, problemResponse } from '#http/problem.ts';
import { ROUTES, routeKey, type RouteSpec } from '#http/routes.ts';
import { RateLimited, Unauthenticated } from '#domain/errors.ts';
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

const lambdaContext = (requestId: string): Context =>
  ({
    awsRequestId: requestId,
    functionName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

/**
 * Reads the request body. Like API Gateway (HTTP APIs accept up to 10 MB), a larger body is refused with
 * 413 — read to its end and dropped, so the client gets the answer instead of a reset connection, and
 * never handed on truncated.
 */
async function readBody(req: IncomingMessage, cap = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= cap) chunks.push(chunk as Buffer);
  }
  if (size > cap) throw new HttpProblem(413, 'payload-too-large', `The body may be at most ${cap} bytes`);
  return Buffer.concat(chunks);
}

export async function invokeRoute(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: Record<string, ApiLambda>,
  url: URL,
  limiter?: RateLimiter,
): Promise<boolean> {
  const match = matchRoute(req.method ?? 'GET', url.pathname);
  if (match === undefined) return false;
  const requestId = randomUUID();
  if (match === 'method-not-allowed') {
    send(res, { statusCode: 405, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ type: 'about:blank', title: 'Method not allowed', status: 405 }) });
    return true;
  }
  if (limiter && match.spec.throttle) {
    const verdict = limiter.take(`${req.socket.remoteAddress ?? '-'}|${routeKey(match.spec)}`, match.spec.throttle);
    if (!verdict.ok) {
      send(res, problemResponse(new RateLimited(verdict.retryAfterSeconds), requestId));
      return true;
    }
  }
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));
  let claims: Record<string, string> | undefined;
  if (match.spec.auth === 'staff') {
    claims = verifyToken(headers['authorization']);
    if (!claims) {
      send(res, problemResponse(new Unauthenticated('A valid bearer token is required'), requestId));
      return true;
    }
  }
  const raw = await readBody(req);
  // Like API Gateway: valid UTF-8 arrives as a string, anything else base64-encoded.
  const isUtf8 = isUtf8Buffer(raw);
  const text = isUtf8 ? raw.toString('utf8') : '';
  const event = {
    version: '2.0',
    routeKey: routeKey(match.spec),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
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
      http: { method: match.spec.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      ...(claims && { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: null } } }),
    },
  } as unknown as ApiEvent;
  const handler = handlers[match.spec.function];
  if (!handler) throw new Error(`No local handler for ${match.spec.function}`);
  send(res, await handler(event, lambdaContext(requestId)));
  return true;
}

export function send(res: ServerResponse, result: ApiResult): void {
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  res.end(result.body ?? '');
}
