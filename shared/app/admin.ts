/**
 * The admin use cases (decisions 055, 056): the directory (units, staff, organisation, routing) and
 * the State Council notices, changed at run time, validated, audited, and seen by every function
 * within a minute (the runtime cache). Loading a notice re-plans the open complaints whose deadlines
 * it moves, each as a system write through the normal transition path.
 */
import type { $ZodError } from 'zod/v4/core';
import { authorizeAction } from '#domain/access.ts';
import { replanForNotice, type MovedDeadline } from '#domain/calendar-replan.ts';
import { checkNotice, type NoticeVersion } from '#domain/calendar/notice.ts';
import {
  checkDirectorySeed,
  directoryIssues,
  findStaff,
  OrganisationEntryRequest,
  RoutingRequest,
  StaffEntryRequest,
  UnitEntryRequest,
  UNIT_STAFF_ROLES,
  type DirectoryEntries,
  type StaffEntry,
  type UnitEntry,
} from '#domain/directory-entries.ts';
import type { Routing } from '#domain/directory.ts';
import { Conflict, NotFound, Unprocessable } from '#domain/errors.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import type { Actor } from '#domain/model.ts';
import { identifier } from '#domain/text-schemas.ts';
import type { ComplaintTransitions } from './transitions.ts';
import type { Logger, Clock } from './ports.ts';
import type { AuditEntry, DirectoryStore, EntryKind, OpenComplaintRef, SeedAudit, SeedOutcome, StoredDirectory } from './directory-ports.ts';
import type { CachedRuntimeConfig } from './runtime-config.ts';
import { SHANGHAI_OFFSET_MS } from '#domain/shanghai-time.ts';

export interface AdminDeps {
  store: DirectoryStore;
  complaints: Pick<ComplaintTransitions, 'systemTransition'>;
  config: Pick<CachedRuntimeConfig, 'refresh' | 'invalidate'>;
  clock: Clock;
  logger: Logger;
}

/** The answer to a directory change: the entry as stored and its revision (`unchanged` when it already was so). */
export interface EntryResult<T> {
  entry: T | undefined;
  rev: number;
  outcome: 'created' | 'updated' | 'unchanged' | 'removed';
}

/** The answer to loading a notice: the version now in force and every deadline it moved. */
export interface NoticeLoadResult {
  year: number;
  version: number;
  outcome: 'loaded' | 'unchanged';
  /** Open complaints re-planned (a deadline moved or lost its 预计 mark). */
  replanned: number;
  /** Deadlines that lost their provisional mark. */
  provisionalCleared: number;
  moved: MovedDeadline[];
}

/** How many complaints are re-planned side by side (each is a get + a conditional update). */
const REPLAN_CONCURRENCY = 8;

/**
 * Which open complaints a notice for `year` may re-plan: those whose next check point falls before
 * 1 March of the next year (Shanghai). A clock that started in `year` has its next point within the
 * longest limit's warning (the 30-day compensation settlement warns at day 24; 60 days international
 * at day 48), so every clock counting over a day of `year` is among them. Later points cannot depend
 * on the year: they started after it.
 */
export function replanHorizon(year: number): string {
  return new Date(Date.UTC(year + 1, 2, 1) - SHANGHAI_OFFSET_MS).toISOString();
}

export class AdminService {
  constructor(private readonly deps: AdminDeps) {}

  /** The directory as stored, with revisions; `source: empty` (and no entries) while the table holds none. */
  async directory(actor: Actor): Promise<{ source: 'table' | 'empty'; entries?: DirectoryEntries; revisions: Record<string, number> }> {
    authorizeAction(actor, 'administer');
    const stored = await this.deps.store.load();
    const revisions = Object.fromEntries([...stored.stored.values()].filter((e) => e.data !== undefined).map((e) => [e.sk, e.rev]));
    return stored.entries ? { source: 'table', entries: stored.entries, revisions } : { source: 'empty', revisions };
  }

  /**
   * Seeds a table that holds no directory with a whole one (checked like a deploy-time seed file); a
   * table that holds one keeps it (`kept`, nothing written). The local stack's start-up (the demo
   * files) and the deploy-time custom resource (its own handler, same store function) seed this way.
   */
  async seed(raw: unknown, audit: Omit<SeedAudit, 'at'>): Promise<SeedOutcome> {
    const { entries, issues } = checkDirectorySeed(raw);
    if (!entries) throw new Unprocessable('invalid-directory', 'The directory seed is invalid', issues);
    const outcome = await this.deps.store.seed(entries, { ...audit, at: this.deps.clock.now().toISOString() });
    this.deps.config.invalidate();
    this.deps.logger.info('directory seed', { outcome: outcome.outcome, written: outcome.written, by: audit.by });
    return outcome;
  }

  /**
   * The stored directory an entry change starts from. A table that holds none (a deployment without
   * `-c directorySeed`) refuses every change with 409 `directory-not-seeded`: entries make a directory
   * only together (routing needs units, units need the organisation), so the first one comes whole — by
   * a seed (docs/deploy.md).
   */
  private async seeded(): Promise<StoredDirectory> {
    const stored = await this.deps.store.load();
    if (stored.entries) return stored;
    throw new Conflict(
      'The table holds no directory yet: seed it first (cdk deploy -c directorySeed=<file>, docs/deploy.md)',
      {},
      { code: 'directory-not-seeded' },
    );
  }

  async putUnit(actor: Actor, id: string, raw: unknown): Promise<EntryResult<UnitEntry>> {
    authorizeAction(actor, 'administer');
    checkId(id);
    const body = parse(UnitEntryRequest, raw);
    const stored = await this.seeded();
    const entries = current(stored);
    const unit: UnitEntry = { id, ...body };
    const next = { ...entries, units: [...entries.units.filter((u) => u.id !== id), unit] };
    return this.write(actor, stored, 'unit', id, this.deps.store.entryKey('unit', id), body, next, unit);
  }

  /** Refused (409) while the unit has open complaints, staff, or routing rules pointing at it. */
  async removeUnit(actor: Actor, id: string): Promise<EntryResult<UnitEntry>> {
    authorizeAction(actor, 'administer');
    const stored = await this.seeded();
    const entries = current(stored);
    if (!entries.units.some((u) => u.id === id)) throw new NotFound(`No unit “${id}”`);
    const open = await this.deps.store.openComplaints(id);
    if (open.length > 0) throw holdsOpen(`Unit ${id} still has ${open.length} open complaint(s): reassign them first`, open);
    const staff = entries.staff.filter((s) => s.unitId === id).map((s) => s.id);
    if (staff.length > 0) throw new Conflict(`Unit ${id} still has staff: move or remove them first`, { staff }, { code: 'unit-has-staff' });
    const next = { ...entries, units: entries.units.filter((u) => u.id !== id) };
    const routed = directoryIssues(next).filter((i) => i.path === 'routing');
    if (routed.length > 0)
      throw new Conflict(
        `Routing rules send complaints to unit ${id}: change the routing first`,
        { routing: routed.map((i) => i.message) },
        { code: 'unit-in-routing' },
      );
    return this.write<UnitEntry>(actor, stored, 'unit', id, this.deps.store.entryKey('unit', id), undefined, next, undefined);
  }

  async putStaff(actor: Actor, id: string, raw: unknown): Promise<EntryResult<StaffEntry>> {
    authorizeAction(actor, 'administer');
    checkId(id);
    const body = parse(StaffEntryRequest, raw);
    const stored = await this.seeded();
    const entries = current(stored);
    const before = findStaff(entries, id);
    // The stored spelling of an existing id stays (ids compare case-insensitively).
    const person: StaffEntry = { ...body, id: before?.id ?? id };
    if (before && leavesUnit(before, person)) await this.refuseWhileHolding(before, 'moved out of its unit');
    if (before) refuseLastOfRole(entries, before, person);
    const next = { ...entries, staff: [...entries.staff.filter((s) => s !== before), person] };
    return this.write(actor, stored, 'staff', person.id, this.deps.store.entryKey('staff', person.id), person, next, person);
  }

  /** Refused (409) while the handler holds open complaints (listed), or for the last director/quality manager. */
  async removeStaff(actor: Actor, id: string): Promise<EntryResult<StaffEntry>> {
    authorizeAction(actor, 'administer');
    const stored = await this.seeded();
    const entries = current(stored);
    const before = findStaff(entries, id);
    if (!before) throw new NotFound(`No staff member “${id}”`);
    await this.refuseWhileHolding(before, 'removed');
    refuseLastOfRole(entries, before, undefined);
    const next = { ...entries, staff: entries.staff.filter((s) => s !== before) };
    return this.write<StaffEntry>(actor, stored, 'staff', before.id, this.deps.store.entryKey('staff', before.id), undefined, next, undefined);
  }

  async putRouting(actor: Actor, raw: unknown): Promise<EntryResult<Routing>> {
    authorizeAction(actor, 'administer');
    const body = parse(RoutingRequest, raw);
    const stored = await this.seeded();
    const next = { ...current(stored), routing: body };
    return this.write(actor, stored, 'routing', 'routing', this.deps.store.entryKey('routing', 'routing'), body, next, body);
  }

  async putOrganisation(actor: Actor, raw: unknown): Promise<EntryResult<DirectoryEntries['organisation']>> {
    authorizeAction(actor, 'administer');
    const body = parse(OrganisationEntryRequest, raw);
    const stored = await this.seeded();
    const next = { ...current(stored), organisation: body };
    return this.write(actor, stored, 'organisation', 'organisation', this.deps.store.entryKey('organisation', 'organisation'), body, next, body);
  }

  /** Every recorded change, newest first: the entries' trails and every notice version loaded. */
  async audit(actor: Actor, limit = 100): Promise<AuditEntry[]> {
    authorizeAction(actor, 'administer');
    const stored = await this.deps.store.load();
    const loads = (await Promise.all(stored.notices.map((n) => this.deps.store.noticeVersions(n.year))))
      .flat()
      .map((v): AuditEntry => ({ at: v.loadedAt, by: v.loadedBy, entity: 'calendar', id: String(v.year), action: 'load', rev: v.version, after: v.notice }));
    return [...[...stored.stored.values()].flatMap((e) => e.trail), ...loads].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }

  /** Every loaded version of a year's notice, oldest first. */
  async noticeVersions(actor: Actor, year: number): Promise<{ year: number; versions: NoticeVersion[] }> {
    authorizeAction(actor, 'administer');
    return { year, versions: await this.deps.store.noticeVersions(year) };
  }

  /**
   * Loads a State Council notice for `year` as a new version (the same notice again is `unchanged`),
   * then re-plans the open complaints whose deadlines it moves and lists every moved deadline. Loading
   * the same notice again also finishes a re-plan that was interrupted: each complaint is re-planned
   * once per version (its event carries the key).
   */
  async loadNotice(actor: Actor, year: number, raw: unknown): Promise<NoticeLoadResult> {
    authorizeAction(actor, 'administer');
    const { notice, issues } = checkNotice(year, raw);
    if (!notice) throw new Unprocessable('invalid-notice', `The ${year} notice is not a valid holiday arrangement`, issues);
    const stored = await this.deps.store.load();
    const versions = await this.deps.store.noticeVersions(year);
    const latest = versions[versions.length - 1];
    let version: NoticeVersion;
    let outcome: NoticeLoadResult['outcome'];
    if (latest && sameJson(latest.notice, notice)) {
      version = latest;
      outcome = 'unchanged';
    } else {
      version = { year, version: (latest?.version ?? 0) + 1, notice, loadedBy: actor.id, loadedAt: this.deps.clock.now().toISOString() };
      outcome = 'loaded';
      await this.deps.store.putNotice(version, stored);
    }
    // A crash between the version and the head left the head behind: point it now.
    if (outcome === 'unchanged' && stored.notices.find((n) => n.year === year)?.version !== version.version) await this.deps.store.pointHead(version, stored);
    this.deps.config.invalidate();
    await this.deps.config.refresh();
    const replan = await this.replan(version);
    this.deps.logger.info('calendar notice loaded', {
      year,
      version: version.version,
      outcome,
      by: actor.id,
      replanned: replan.replanned,
      moved: replan.moved.length,
    });
    return { year, version: version.version, outcome, ...replan };
  }

  private async replan(version: NoticeVersion): Promise<Pick<NoticeLoadResult, 'replanned' | 'provisionalCleared' | 'moved'>> {
    const ids = await this.deps.store.openDueUntil(replanHorizon(version.year));
    const ref = { year: version.year, version: version.version, number: version.notice.number };
    const moved: MovedDeadline[] = [];
    let replanned = 0;
    let provisionalCleared = 0;
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        let found: ReturnType<typeof replanForNotice>;
        const committed = await this.deps.complaints.systemTransition(id, (c, now, ctx) => {
          found = replanForNotice(c, ref, now, ctx);
          return found?.transition;
        });
        if (committed && found) {
          replanned++;
          provisionalCleared += found.cleared;
          moved.push(...found.moved);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REPLAN_CONCURRENCY, ids.length) }, worker));
    moved.sort((a, b) => (a.complaintId === b.complaintId ? a.milestone.localeCompare(b.milestone) : a.complaintId < b.complaintId ? -1 : 1));
    return { replanned, provisionalCleared, moved };
  }

  /** Validates the directory the change makes, writes the entry with its audit entry, and expires this process's cache. */
  private async write<T>(
    actor: Actor,
    stored: StoredDirectory,
    entity: EntryKind,
    id: string,
    sk: string,
    data: unknown,
    next: DirectoryEntries,
    answer: T | undefined,
  ): Promise<EntryResult<T>> {
    const problems = directoryIssues(next);
    if (problems.length > 0) throw new Unprocessable('invalid-directory', 'The change would leave the directory inconsistent', problems);
    const previous = stored.stored.get(sk);
    const existed = previous?.data !== undefined;
    if (data === undefined && !existed) return { entry: undefined, rev: previous?.rev ?? 0, outcome: 'removed' };
    if (data !== undefined && existed && sameJson(previous.data, data)) return { entry: answer, rev: previous.rev, outcome: 'unchanged' };
    const audit = await this.deps.store.putEntry(previous, sk, data, {
      at: this.deps.clock.now().toISOString(),
      by: actor.id,
      entity,
      id,
      action: data === undefined ? 'remove' : 'put',
      ...(existed && { before: previous.data }),
      ...(data !== undefined && { after: data }),
    });
    // This process sees its own change at once; every other function within the cache's minute.
    this.deps.config.invalidate();
    return { entry: answer, rev: audit.rev, outcome: data === undefined ? 'removed' : existed ? 'updated' : 'created' };
  }

  /** A handler (or a leader, who may handle too) holding open complaints cannot leave their unit. */
  private async refuseWhileHolding(person: StaffEntry, what: string): Promise<void> {
    if (!UNIT_STAFF_ROLES.includes(person.role) || person.unitId === undefined) return;
    const open = await this.deps.store.openComplaints(person.unitId, person.id);
    if (open.length > 0) throw holdsOpen(`${person.id} holds ${open.length} open complaint(s) and cannot be ${what}: reassign them first`, open);
  }
}

function holdsOpen(message: string, open: OpenComplaintRef[]): Conflict {
  return new Conflict(message, { openComplaints: open }, { code: 'holds-open-complaints' });
}

function leavesUnit(before: StaffEntry, after: StaffEntry): boolean {
  return before.unitId !== after.unitId || !UNIT_STAFF_ROLES.includes(after.role);
}

/** Escalations need at least one operations director and one quality manager (SPEC "Escalation"). */
function refuseLastOfRole(entries: DirectoryEntries, before: StaffEntry, after: StaffEntry | undefined): void {
  if (before.role !== 'operations_director' && before.role !== 'quality_manager') return;
  if (after?.role === before.role) return;
  if (entries.staff.filter((s) => s.role === before.role).length <= 1) {
    throw new Conflict(`${before.id} is the last ${before.role.replace('_', ' ')}: add another first`, {}, { code: 'last-of-role' });
  }
}

function current(stored: StoredDirectory): DirectoryEntries {
  if (!stored.entries) throw new Error('The directory was seeded but cannot be read back');
  return stored.entries;
}

function checkId(id: string): void {
  const parsed = identifier.safeParse(id);
  if (!parsed.success) throw new Unprocessable('invalid-id', 'Invalid id', [{ path: 'path.id', message: parsed.error.issues[0]?.message ?? 'Invalid id' }]);
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: $ZodError } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Unprocessable('invalid-entry', 'The directory entry is invalid', fieldIssues(parsed.error, { root: '(body)', unknownKeys: 'whole' }));
}

/** Equal as JSON, whatever the key order. */
function sameJson(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
