/**
 * The archive and retention rules (SPEC "Quality", 档案; docs/decisions/065-archive-and-retention.md).
 * Pure: no I/O. Records are kept at least 3 years (seed 004) and never deleted because the minimum
 * passed; each year's ended cases go to the archive by the end of February (seed 000 §八); personal
 * data is minimised only once the case is archived AND its retention has passed.
 */
import { maskEmail, maskName, maskPhone } from './ids.ts';
import { maskFreeText, maskTextDeep } from './masking.ts';
import type { Complaint } from './model.ts';
import { shanghaiWallClock } from './shanghai-time.ts';

/** Default retention after the case ended, in calendar years (seed 004: at least 3 years). */
export const DEFAULT_RETENTION_YEARS = 3;
/** Version of the JSON Lines layout written to the archive (one complaint with its whole history per line). */
export const ARCHIVE_FORMAT_VERSION = 1;
/** The first year the archive looks at: nothing ended before the system existed. */
export const FIRST_ARCHIVE_YEAR = 2024;

/** The Shanghai calendar year of an instant (a case closed at 2026-12-31 23:30 Beijing time is 2026's). */
export function shanghaiYear(instant: string | Date): number {
  return shanghaiWallClock(instant).getUTCFullYear();
}

/** When the case ended (closed, withdrawn, suspended 暂结), or undefined while the loop runs. */
export function endedAt(c: Pick<Complaint, 'status' | 'closedAt' | 'withdrawal' | 'suspension' | 'updatedAt'>): string | undefined {
  switch (c.status) {
    case 'closed':
      return c.closedAt ?? c.updatedAt;
    case 'withdrawn':
      return c.withdrawal?.at ?? c.updatedAt;
    case 'suspended':
      return c.suspension?.at ?? c.updatedAt;
    default:
      return undefined;
  }
}

/** The year partition of the archive index: `ENDED#<year>` until exported, then `ARCHIVED#<year>`. */
export const endedPartition = (year: number) => `ENDED#${year}`;
export const archivedPartition = (year: number) => `ARCHIVED#${year}`;

/**
 * The archive index keys of a case (GSI2, free while a case is not open): ended and not yet in that
 * year's archive → `ENDED#<year>`; archived → `ARCHIVED#<year>`; minimised → none (nothing is left to do).
 * A case reopened after its export and ended again is due for the archive of its new end's year.
 */
export function archiveIndexKeys(c: Complaint): { pk: string; sk: string } | undefined {
  const at = endedAt(c);
  if (at === undefined || c.minimisedAt !== undefined) return undefined;
  const year = shanghaiYear(at);
  return { pk: isArchived(c) ? archivedPartition(year) : endedPartition(year), sk: `${at}#${c.id}` };
}

/** The case's latest end is in the archive. */
export function isArchived(c: Complaint): boolean {
  const at = endedAt(c);
  return at !== undefined && c.archive !== undefined && c.archive.year === shanghaiYear(at) && c.archive.at >= at;
}

/** The instant the retention of a case that ended at `ended` passes: the same moment `years` calendar years later. */
export function retentionEnds(ended: string, years: number): string {
  const d = new Date(ended);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString();
}

/** Whether personal data may be minimised now: ended, archived, retention passed, not yet minimised. */
export function mayMinimise(c: Complaint, now: Date, retentionYears: number): boolean {
  const at = endedAt(c);
  if (at === undefined || c.minimisedAt !== undefined || !isArchived(c)) return false;
  return retentionEnds(at, retentionYears) <= now.toISOString();
}

/**
 * The case with its personal data minimised: the complainant's name, phone and e-mail reduced to
 * their masked forms, every free text (content, demand, the reply, callback, suspension, withdrawal
 * and return records, every history event's data) masked by `maskFreeText`, the signer's name of a
 * delivery reduced too. What the statistics read (status, category, unit, dates, deadlines, counts,
 * waybill) stays. Idempotent: minimising a minimised case changes nothing but `minimisedAt`'s absence.
 */
export function minimise(c: Complaint, at: string): Complaint {
  const who = { name: c.complainant.name };
  const name = maskName(c.complainant.name);
  const phone = maskPhone(c.complainant.phone);
  const email = maskEmail(c.complainant.email);
  const reply = c.reply && maskTextDeep(c.reply, who);
  return {
    ...c,
    complainant: {
      anonymous: c.complainant.anonymous,
      ...(name !== undefined && { name }),
      ...(phone !== undefined && { phone }),
      ...(email !== undefined && { email }),
    },
    content: maskFreeText(c.content, who),
    ...(c.demand !== undefined && { demand: maskFreeText(c.demand, who) }),
    ...(reply && { reply: reply.delivery ? { ...reply, delivery: { ...reply.delivery, signer: maskName(reply.delivery.signer) ?? '' } } : reply }),
    ...(c.callback && { callback: maskTextDeep(c.callback, who) }),
    ...(c.suspension && { suspension: maskTextDeep(c.suspension, who) }),
    ...(c.withdrawal && { withdrawal: maskTextDeep(c.withdrawal, who) }),
    ...(c.unitReturn && { unitReturn: maskTextDeep(c.unitReturn, who) }),
    history: c.history.map((e) => (e.data ? { ...e, data: maskTextDeep(e.data, who) } : e)),
    minimisedAt: at,
  };
}

/** JSON with object keys sorted at every level: the same case always gives the same bytes (and checksum). */
export function canonicalJson(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Set) return [...v].map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, walk((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(walk(value));
}

/** One line of the archive: the complaint with its whole history (all pages merged), as it stood when exported. */
export function archiveLine(c: Complaint): string {
  return canonicalJson({ format: ARCHIVE_FORMAT_VERSION, endedAt: endedAt(c), complaint: c });
}

/** A part of a year's export, as the manifest lists it. */
export interface ManifestPart {
  key: string;
  count: number;
  bytes: number;
  /** Hex SHA-256 of the gzip object as stored. */
  sha256: string;
  /** The complaint ids in the part, so that a reader can check the archive against the index. */
  ids: string[];
}

/** The manifest of one year's archive (`complaints/<year>/manifest.json`). */
export interface Manifest {
  year: number;
  format: number;
  retentionYears: number;
  updatedAt: string;
  /** Distinct complaints over all parts. */
  count: number;
  parts: ManifestPart[];
  /** What the exported deadlines were computed with: the holiday data and the SLA policy ("formula"). */
  versions: { calendar: string; policy: string };
}

/**
 * The manifest after a run: the earlier parts plus this run's, a part re-written by a retried run (same
 * content, same key) listed once. `count` counts distinct complaints, so a case exported twice (a run
 * cut short between writing its part and marking it, then changed) is counted once.
 */
export function mergeManifest(previous: Manifest | undefined, base: Omit<Manifest, 'count' | 'parts'>, parts: readonly ManifestPart[]): Manifest {
  const byKey = new Map<string, ManifestPart>();
  for (const p of [...(previous?.parts ?? []), ...parts]) if (!byKey.has(p.key)) byKey.set(p.key, p);
  const all = [...byKey.values()];
  return { ...base, count: new Set(all.flatMap((p) => p.ids)).size, parts: all };
}

/** Object keys of the archive: parts named by their content's checksum, so a re-run rewrites the same object. */
export const partKey = (year: number, sha256: string) => `complaints/${year}/part-${sha256.slice(0, 32)}.jsonl.gz`;
export const manifestKey = (year: number) => `complaints/${year}/manifest.json`;
