/**
 * How one signs in. `/console/config.json` says which way: locally `dev` (pick a dev identity; the
 * local stack's POST /dev/token signs it — that route exists only there), in AWS `cognito`: the
 * hosted UI with the authorization code and PKCE (S256). The code comes back in the redirect's
 * query and is removed from the address bar before anything else runs; the tokens never touch a URL.
 */
import { signIn } from './session.ts';

export interface DevIdentity {
  sub: string;
  role: string;
  unitId?: string;
}

export type ConsoleConfig =
  | { mode: 'dev'; identities: DevIdentity[] }
  | { mode: 'cognito'; domain: string; clientId: string; redirectUri: string; logoutUri?: string }
  | { mode: 'unconfigured' };

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/console/config.json', { cache: 'no-store' });
  return (await res.json()) as ConsoleConfig;
}

export async function devSignIn(sub: string): Promise<boolean> {
  const res = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub }) });
  if (!res.ok) return false;
  const { token } = (await res.json()) as { token: string };
  return signIn(token) !== undefined;
}

const b64url = (bytes: ArrayBuffer | Uint8Array): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** Sends the browser to the Cognito hosted UI; the verifier waits in sessionStorage. */
export async function cognitoStart(cfg: Extract<ConsoleConfig, { mode: 'cognito' }>): Promise<void> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('console.pkce', JSON.stringify({ verifier, state }));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: cfg.redirectUri,
    scope: 'openid profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  location.assign(`https://${cfg.domain}/oauth2/authorize?${q}`);
}

/** On the redirect back: trades the code for tokens (the ID token carries groups and custom:unitId). */
export async function cognitoFinish(cfg: Extract<ConsoleConfig, { mode: 'cognito' }>): Promise<boolean> {
  const q = new URLSearchParams(location.search);
  history.replaceState(null, '', '/console/');
  const saved = JSON.parse(sessionStorage.getItem('console.pkce') ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem('console.pkce');
  const code = q.get('code');
  if (!code || !saved.verifier || q.get('state') !== saved.state) return false;
  const res = await fetch(`https://${cfg.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cfg.clientId,
      code,
      redirect_uri: cfg.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  if (!res.ok) return false;
  const { id_token: idToken } = (await res.json()) as { id_token?: string };
  return idToken !== undefined && signIn(idToken) !== undefined;
}
