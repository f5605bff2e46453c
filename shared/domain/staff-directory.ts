/**
 * `GET /directory`: what every signed-in staff member may see of the runtime directory — the units with their
 * id, name, kind and region and their handlers' ids and names, for the console's names and dispatch forms.
 * No e-mail, no mobile, no leaders: contacts stay on the server (decisions 056, 062).
 */
import type { UnitDirectory } from './directory.ts';

export interface StaffDirectory {
  units: { id: string; name: string; kind: string; region: string; handlers: { id: string; name: string }[] }[];
}

export function staffDirectoryOf(directory: Pick<UnitDirectory, 'units'>): StaffDirectory {
  return {
    units: directory.units.map((u) => ({
      id: u.id,
      name: u.name,
      kind: u.kind,
      region: u.region,
      handlers: u.handlers.map((h) => ({ id: h.id, name: h.name })),
    })),
  };
}
