/** The API on the same origin (CloudFront in AWS, the local stack locally): JSON in, JSON or problem+json out. */
import { current, signOut } from './session.ts';

/** One field problem of a problem+json answer; `path` is relative to the request body ("process.contactedBy"). */
export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
}

export type Result<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

let onExpired: () => void = () => undefined;

/** What to do when the server answers 401 (an expired or revoked token): the app shows the sign-in page. */
export function whenExpired(handler: () => void): void {
  onExpired = handler;
}

/**
 * One request. A command is sent with a fresh Idempotency-Key: the server records it once even if
 * the network retries. A 401 ends the session.
 */
export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Result<T>> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const token = current()?.token;
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] = `console-${crypto.randomUUID()}`;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  } catch {
    return { ok: false, status: 0, problem: { status: 0, title: 'Network error' } };
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.ok) return { ok: true, status: res.status, body: parsed as T };
  if (res.status === 401) {
    signOut();
    onExpired();
  }
  const problem = (parsed && typeof parsed === 'object' ? parsed : {}) as Problem;
  return { ok: false, status: res.status, problem: { ...problem, status: res.status } };
}

/**
 * A file from the API (an export), fetched with the bearer token and saved from a blob: the token never goes into a
 * URL, so a download link cannot leak it (history, logs, Referer). The server's problem is returned when it refuses.
 */
export async function download(path: string, filename: string, accept: string): Promise<Result<undefined>> {
  const headers: Record<string, string> = { accept: `${accept}, application/problem+json` };
  const token = current()?.token;
  if (token) headers['authorization'] = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { headers });
  } catch {
    return { ok: false, status: 0, problem: { status: 0, title: 'Network error' } };
  }
  if (!res.ok) {
    if (res.status === 401) {
      signOut();
      onExpired();
    }
    let problem: Problem = { status: res.status };
    try {
      problem = { ...((await res.json()) as Problem), status: res.status };
    } catch {
      // not JSON: the status says it
    }
    return { ok: false, status: res.status, problem };
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true, status: res.status, body: undefined };
}
