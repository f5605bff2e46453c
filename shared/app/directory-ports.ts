/**
 * The ports of the runtime directory and calendar (decisions 055, 056): what the admin use cases and
 * the runtime cache need from a store. `shared/store/directory-store.ts` implements them on DynamoDB.
 */
import type { NoticeVersion } from '#domain/calendar/notice.ts';
import type { DirectoryEntries } from '#domain/directory-entries.ts';
import type { Status } from '#domain/model.ts';

/** The kinds of directory entry. */
export type EntryKind = 'unit' | 'staff' | 'organisation' | 'routing';

/** One change of the directory or the calendar: who, when, what it was before and after. */
export interface AuditEntry {
  at: string;
  by: string;
  entity: EntryKind | 'calendar';
  id: string;
  action: 'seed' | 'put' | 'remove' | 'load';
  /** The entry's revision after the change (the notice version for a calendar load). */
  rev: number;
  before?: unknown;
  after?: unknown;
  /** Why, when it is not an admin's own change: `seeded at deploy by ComplaintLoop-prod`. */
  note?: string;
}

/** Who seeds a table and why (the audit entry of every seeded entry). */
export interface SeedAudit {
  at: string;
  /** `deploy:<stack>` (the custom resource) or `local` (the local stack's start-up). */
  by: string;
  note?: string;
}

/** `seeded`: the table held no directory and now holds the seed; `kept`: it held one, nothing was written. */
export interface SeedOutcome {
  outcome: 'seeded' | 'kept';
  /** The seed's hash (`seed` on the organisation entry it wrote). */
  seed: string;
  /** Entries written (a resumed seed writes only what was missing). */
  written: number;
}

/** An entry as stored: its revision, its data (absent once removed) and its audit trail. */
export interface StoredEntry {
  sk: string;
  rev: number;
  data?: unknown;
  trail: AuditEntry[];
}

/** Everything the `DIR` partition holds. */
export interface StoredDirectory {
  /** Undefined until the table has been seeded (no directory: intake keeps complaints at the centre). */
  entries?: DirectoryEntries;
  /** Every stored entry by sort key, tombstones included (for revisions and audit trails). */
  stored: Map<string, StoredEntry>;
  /** The newest notice of each loaded year. */
  notices: NoticeVersion[];
  calendarRev: number;
}

/** The open complaint rows an admin must reassign before a removal. */
export interface OpenComplaintRef {
  id: string;
  status: Status;
  unitId: string;
  handlerId?: string;
}

/** What the admin use cases read and write. */
export interface DirectoryStore {
  /** The sort key an entry is stored (and audited) under: the store's key scheme, not the use case's. */
  entryKey(kind: EntryKind, id: string): string;
  load(): Promise<StoredDirectory>;
  putEntry(previous: StoredEntry | undefined, sk: string, data: unknown, audit: Omit<AuditEntry, 'rev'>): Promise<AuditEntry>;
  /** Writes a whole directory only while the table holds none (`shared/store/directory-seed.ts`). */
  seed(entries: DirectoryEntries, audit: SeedAudit): Promise<SeedOutcome>;
  noticeVersions(year: number): Promise<NoticeVersion[]>;
  putNotice(version: NoticeVersion, head: Pick<StoredDirectory, 'notices' | 'calendarRev'>): Promise<void>;
  pointHead(version: NoticeVersion, head: Pick<StoredDirectory, 'notices' | 'calendarRev'>): Promise<void>;
  openComplaints(unitId: string, handlerId?: string): Promise<OpenComplaintRef[]>;
  openDueUntil(until: string, pageSize?: number): Promise<string[]>;
}
