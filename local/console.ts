/**
 * The staff console at `/console` (built by scripts/console-build.ts into console/dist/, on the first
 * request), with the form's strict CSP; any other path under /console/ gets index.html (SPA
 * fallback, as CloudFront does in AWS). Also the local-only dev sign-in: `/console/config.json`
 * lists the dev identities and POST /dev/token signs one — neither exists in AWS (they are not routes
 * of shared/http/routes.ts; the CDK stack deploys a config.json naming Cognito instead).
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { buildConsole, CONSOLE_DIST } from '../scripts/console-build.ts';
import { DEV_IDENTITIES, signToken } from './auth.ts';
import { serveStatic } from './static.ts';

let built: Promise<unknown> | undefined;

/** Builds the console once per process (also when dist/ exists: the source may have changed since). */
export const ensureConsoleBuilt = (): Promise<unknown> => (built ??= buildConsole());

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
};

/** True when it answered: `/console…`, or POST /dev/token. */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (url.pathname === '/dev/token' && req.method === 'POST') return devToken(req, res);
  if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return false;
  if (url.pathname === '/console/config.json') {
    json(res, 200, { mode: 'dev', identities: DEV_IDENTITIES });
    return true;
  }
  await ensureConsoleBuilt();
  const rest = url.pathname.slice('/console'.length).replace(/^\/+/, '');
  // A file name (app.js) is served or missing; anything else is a page of the app.
  const asset = rest !== '' && extname(rest) !== '';
  if (asset && !existsSync(`${CONSOLE_DIST}/${rest}`)) return false;
  const target = new URL(asset ? `/${rest}` : '/index.html', url);
  return serveStatic(req, res, target, CONSOLE_DIST);
}

/** Signs a token for one dev identity (body `{ "sub": "agent-lin" }`); any other subject is refused. */
async function devToken(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let sub: unknown;
  try {
    sub = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sub?: unknown }).sub;
  } catch {
    sub = undefined;
  }
  const identity = DEV_IDENTITIES.find((i) => i.sub === sub);
  if (!identity) {
    json(res, 422, { type: 'about:blank', title: 'Unknown dev identity', status: 422 });
    return true;
  }
  json(res, 200, { token: signToken({ sub: identity.sub, role: identity.role, ...('unitId' in identity && { unitId: identity.unitId }) }) });
  return true;
}
