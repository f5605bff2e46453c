/**
 * The units and handlers the console names and offers (dispatch, 协办, transfer forms): the runtime directory as
 * `GET /directory` answers it (decisions 056, 062) — fetched once per session, never compiled into the bundle.
 * Until it has loaded (or when it fails), the lists are empty and names fall back to ids.
 */
import shared from 'virtual:shared';
import { call } from './api.ts';

export interface DirectoryUnit {
  id: string;
  name: string;
  kind: string;
  region: string;
  handlers: { id: string; name: string }[];
}

let units: readonly DirectoryUnit[] = [];
/** The session token the directory was (or is being) loaded for. */
let loadedFor: string | undefined;
const listeners = new Set<() => void>();

/** The directory's units as last loaded (none before the first load). */
export const directoryUnits = (): readonly DirectoryUnit[] => units;

/** Replaces the directory and tells the listeners (the app re-renders). */
export function setDirectory(next: readonly DirectoryUnit[]): void {
  units = next;
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever the directory changes; returns the unsubscribe. */
export function onDirectory(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Loads the directory for this session (`token`), once; a new session loads it again, no session clears it
 * (another staff member signing in on this tab does not see the last one's until theirs has loaded).
 */
export async function loadDirectory(token: string | undefined): Promise<void> {
  if (token === loadedFor) return;
  loadedFor = token;
  if (units.length > 0) setDirectory([]);
  if (token === undefined || !shared.routes.includes('GET /directory')) return;
  const res = await call<{ units?: DirectoryUnit[] }>('GET', '/directory');
  if (loadedFor !== token) return;
  if (res.ok && Array.isArray(res.body?.units)) setDirectory(res.body.units);
  // A failed load is tried again by the next session change.
  else loadedFor = undefined;
}
