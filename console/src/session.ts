/**
 * The signed-in staff member. The token lives in memory and in sessionStorage (this tab only, gone
 * when it closes) — never in a URL, never logged. Its claims are read for display and for choosing
 * the worklists; the server checks the token itself on every request.
 */
export interface Session {
  token: string;
  sub: string;
  role: string;
  unitId?: string;
  /** Seconds since the epoch. */
  exp: number;
}

const KEY = 'console.session';
let session: Session | undefined;

/** The claims of a JWT, unverified (the API verifies). */
export function claimsOf(token: string): Record<string, unknown> {
  const body = token.split('.')[1] ?? '';
  try {
    return JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Local tokens carry `role`; Cognito ID tokens carry the groups (decision 017). */
export function sessionFrom(token: string): Session | undefined {
  const c = claimsOf(token);
  const groups = Array.isArray(c['cognito:groups']) ? (c['cognito:groups'] as unknown[]).filter((g): g is string => typeof g === 'string') : [];
  const role = typeof c['role'] === 'string' ? c['role'] : typeof c['custom:role'] === 'string' ? c['custom:role'] : groups[0];
  const sub = [c['custom:staffId'], c['cognito:username'], c['sub']].find((v): v is string => typeof v === 'string');
  if (!role || !sub || typeof c['exp'] !== 'number') return undefined;
  const unitId = typeof c['custom:unitId'] === 'string' ? c['custom:unitId'] : undefined;
  return { token, sub, role, exp: c['exp'], ...(unitId !== undefined && { unitId }) };
}

export function current(): Session | undefined {
  if (session) return session;
  const stored = sessionStorage.getItem(KEY);
  const restored = stored ? sessionFrom(stored) : undefined;
  if (restored && restored.exp * 1000 > Date.now()) session = restored;
  return session;
}

export function signIn(token: string): Session | undefined {
  const next = sessionFrom(token);
  if (!next) return undefined;
  session = next;
  sessionStorage.setItem(KEY, token);
  return next;
}

export function signOut(): void {
  session = undefined;
  sessionStorage.removeItem(KEY);
}
