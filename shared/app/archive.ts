/**
 * The yearly archive and the retention (SPEC "Quality", 档案; docs/decisions/065-archive-and-retention.md),
 * run by the scheduled function `functions/archive`:
 * 1. Export: every case that ended (closed, withdrawn, suspended) in a past Shanghai year and is not yet
 *    archived — found by its year partition of the archive index, never a Scan — goes, with its whole
 *    history (all pages), into gzip JSON Lines parts of that year's archive, then a manifest (count,
 *    SHA-256 of each part, calendar and policy versions); each case is then marked `archive` by a
 *    version-guarded write. A case that changed since it was read is not marked and goes out next run.
 * 2. Minimisation: an archived case whose retention (default 3 years after it ended) has passed gets its
 *    personal data masked (`minimise`), recorded as `minimisedAt` and a `minimised` event. Never before
 *    its archive exists: the index partition it is found in (`ARCHIVED#<year>`) is only reached by marking.
 * Safe to re-run at any point: parts are named by their content's checksum (the same cases give the
 * same object), the manifest lists a part once, marks and minimisation are guarded by the version.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as z from '#domain/zod.ts';
import {
  ARCHIVE_FORMAT_VERSION,
  archiveLine,
  canonicalJson,
  endedAt,
  FIRST_ARCHIVE_YEAR,
  isArchived,
  manifestKey,
  mayMinimise,
  mergeManifest,
  minimise,
  partKey,
  retentionEnds,
  shanghaiYear,
  type Manifest,
  type ManifestPart,
} from '#domain/archive.ts';
import { Conflict } from '#domain/errors.ts';
import { laterInstant, lastSeq, type Complaint, type ComplaintEvent } from '#domain/model.ts';
import type { ArchiveIndex, ArchiveStore, Clock, ComplaintRecords } from './ports.ts';

export interface ArchiveDeps {
  store: ComplaintRecords;
  index: ArchiveIndex;
  archive: ArchiveStore;
  clock: Clock;
  /** Years after a case ended before its personal data is minimised (≥ 3, seed 004). */
  retentionYears: number;
  /** What the exported deadlines were computed with, for the manifest. */
  versions: { calendar: string; policy: string };
  /** Cases per part (default 500). */
  partSize?: number;
  /** Reads and writes in flight at once (default 8). */
  concurrency?: number;
}

/** What one run did. */
export interface ArchiveResult {
  /** Cases exported per year this run. */
  exported: Record<string, number>;
  /** Objects written (parts and manifests); 0 on a re-run with nothing new. */
  objectsWritten: number;
  marked: number;
  /** Read for the export, but changed before it could be marked: exported again next run. */
  stale: number;
  minimised: number;
}

const SYSTEM = { id: 'archive', role: 'system' } as const;

const manifestSchema = z.object({
  year: z.number().check(z.int()),
  format: z.number().check(z.int()),
  retentionYears: z.number(),
  updatedAt: z.string(),
  count: z.number().check(z.int()),
  parts: z.array(
    z.object({ key: z.string(), count: z.number().check(z.int()), bytes: z.number().check(z.int()), sha256: z.string(), ids: z.array(z.string()) }),
  ),
  versions: z.object({ calendar: z.string(), policy: z.string() }),
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export class ArchiveService {
  constructor(private readonly deps: ArchiveDeps) {}

  /** Exports every past year not yet archived (or only `opts.year`), then minimises what is due. */
  async run(opts: { year?: number } = {}): Promise<ArchiveResult> {
    const result: ArchiveResult = { exported: {}, objectsWritten: 0, marked: 0, stale: 0, minimised: 0 };
    const now = this.deps.clock.now();
    const lastYear = shanghaiYear(now) - 1;
    // Never the running year: its cases are exported once it is over (seed 000 §八: by the end of February).
    const years =
      opts.year !== undefined
        ? opts.year <= lastYear
          ? [opts.year]
          : []
        : Array.from({ length: Math.max(0, lastYear - FIRST_ARCHIVE_YEAR + 1) }, (_, i) => FIRST_ARCHIVE_YEAR + i);
    for (const year of years) await this.exportYear(year, result);
    await this.minimiseDue(now, result);
    return result;
  }

  private async exportYear(year: number, result: ArchiveResult): Promise<void> {
    const { index, store, archive } = this.deps;
    const partSize = this.deps.partSize ?? 500;
    const concurrency = this.deps.concurrency ?? 8;
    let manifest = await this.readManifest(year);
    let after: string | undefined;
    for (;;) {
      const entries = await index.ended(year, partSize, after);
      if (entries.length === 0) break;
      after = entries[entries.length - 1]?.sortKey;
      const read = await inBatches(entries, concurrency, (e) => store.getWithHistory(e.id));
      // The index is eventually consistent: take only what is still an unarchived end of this year.
      const cases = read.filter((c): c is Complaint => c !== undefined && !isArchived(c) && endedIn(c, year));
      if (cases.length === 0) continue;
      const body = gzipSync(Buffer.from(`${cases.map(archiveLine).join('\n')}\n`, 'utf8'));
      const sum = sha256(body);
      const part: ManifestPart = { key: partKey(year, sum), count: cases.length, bytes: body.length, sha256: sum, ids: cases.map((c) => c.id) };
      if (await archive.put({ key: part.key, body, sha256: sum, contentType: 'application/gzip' })) result.objectsWritten++;
      // The manifest before the marks: a run cut short here is re-run into the very same part.
      manifest = await this.writeManifest(year, manifest, [part], result);
      const marks = await inBatches(cases, concurrency, (c) => this.mark(c, year, part.key));
      result.marked += marks.filter(Boolean).length;
      result.stale += marks.filter((m) => !m).length;
      result.exported[String(year)] = (result.exported[String(year)] ?? 0) + marks.filter(Boolean).length;
    }
    // A year with no case still gets its manifest (count 0): the archive shows the year was looked at.
    if (!manifest) await this.writeManifest(year, undefined, [], result);
  }

  /** Marks the exported case, only if it is still the version exported (else it goes out next run). */
  private async mark(exported: Complaint, year: number, key: string): Promise<boolean> {
    const before = await this.deps.store.get(exported.id);
    if (!before || before.version !== exported.version) return false;
    const at = this.deps.clock.now().toISOString();
    const event: ComplaintEvent = {
      seq: lastSeq(before) + 1,
      type: 'archived',
      at,
      actor: SYSTEM,
      key: `archive:${year}:${exported.version}`,
      data: { year, key },
    };
    const next: Complaint = {
      ...before,
      version: before.version + 1,
      updatedAt: laterInstant(at, before.updatedAt),
      archive: { year, key, at },
      history: [...before.history, event],
    };
    try {
      await this.deps.store.save({ complaint: next, events: [event] }, before.version);
      return true;
    } catch (error) {
      if (error instanceof Conflict) return false;
      throw error;
    }
  }

  private async minimiseDue(now: Date, result: ArchiveResult): Promise<void> {
    const { retentionYears } = this.deps;
    // Ended at or before this instant: the retention of those has passed.
    const until = retentionEnds(now.toISOString(), -retentionYears);
    for (let year = FIRST_ARCHIVE_YEAR; year <= shanghaiYear(until); year++) {
      let after: string | undefined;
      for (;;) {
        const entries = await this.deps.index.archived(year, until, this.deps.partSize ?? 500, after);
        if (entries.length === 0) break;
        after = entries[entries.length - 1]?.sortKey;
        const done = await inBatches(entries, this.deps.concurrency ?? 8, (e) => this.minimiseOne(e.id, now));
        result.minimised += done.filter(Boolean).length;
      }
    }
  }

  private async minimiseOne(id: string, now: Date): Promise<boolean> {
    const before = await this.deps.store.get(id);
    if (!before || !mayMinimise(before, now, this.deps.retentionYears)) return false;
    const at = now.toISOString();
    const event: ComplaintEvent = {
      seq: lastSeq(before) + 1,
      type: 'minimised',
      at,
      actor: SYSTEM,
      key: `minimise:${before.version}`,
      data: { retentionYears: this.deps.retentionYears },
    };
    const masked = minimise(before, at);
    const next: Complaint = { ...masked, version: before.version + 1, updatedAt: laterInstant(at, before.updatedAt), history: [...masked.history, event] };
    try {
      // History pages hold the same kinds of events: masked by the same rule, with the same name.
      await this.deps.index.rewrite(next, before.version, (events) => minimise({ ...before, history: events }, at).history);
      return true;
    } catch (error) {
      if (error instanceof Conflict) return false;
      throw error;
    }
  }

  private async readManifest(year: number): Promise<Manifest | undefined> {
    const bytes = await this.deps.archive.get(manifestKey(year));
    if (!bytes) return undefined;
    return manifestSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  }

  /** Writes the year's manifest when its parts changed; returns the manifest as it now stands. */
  private async writeManifest(year: number, previous: Manifest | undefined, parts: ManifestPart[], result: ArchiveResult): Promise<Manifest> {
    const base = {
      year,
      format: ARCHIVE_FORMAT_VERSION,
      retentionYears: this.deps.retentionYears,
      updatedAt: this.deps.clock.now().toISOString(),
      versions: this.deps.versions,
    };
    const next = mergeManifest(previous, base, parts);
    if (previous && previous.parts.length === next.parts.length) return previous;
    const body = Buffer.from(`${canonicalJson(next)}\n`, 'utf8');
    if (await this.deps.archive.put({ key: manifestKey(year), body, sha256: sha256(body), contentType: 'application/json' })) result.objectsWritten++;
    return next;
  }
}

function endedIn(c: Complaint, year: number): boolean {
  const at = endedAt(c);
  return at !== undefined && shanghaiYear(at) === year;
}
