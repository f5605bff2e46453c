/**
 * The runtime directory and the loaded calendar notices on DynamoDB (decisions 055, 056).
 *
 * - Every directory entry (unit, staff member, organisation, routing) is one item of the `DIR`
 *   partition, so a function loads the whole directory — and the newest notice of each year, the
 *   `CALENDAR` head — with one Query. An entry carries a revision (`rev`, guarded by a condition on
 *   every write: of two admins editing the same entry one wins, the other gets 409) and its own audit
 *   trail (who, when, before, after), appended in that same conditional write: no change without its
 *   audit entry, without transactions (which dynalite lacks). Removal keeps the item as a tombstone.
 * - Every notice version is its own item `CAL#<year>` / `V#<n>`, written before the head points at
 *   it; nothing is overwritten or deleted, so every version stays listable.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoticeVersion } from '#domain/calendar/notice.ts';
import { loadDirectory, noticeVersion } from './directory-reader.ts';
import { seedDirectory } from './directory-seed.ts';
import type { DirectoryEntries } from '#domain/directory-entries.ts';
import { Conflict } from '#domain/errors.ts';
import type { AuditEntry, DirectoryStore, EntryKind, OpenComplaintRef, SeedAudit, SeedOutcome, StoredDirectory, StoredEntry } from '#app/directory-ports.ts';
import { OPEN_STATUSES, type Status } from '#domain/model.ts';
import { sameStaff } from '#domain/ids.ts';
import {
  auditArchiveKey,
  CALENDAR_HEAD_SK,
  directoryEntryKey,
  duePartition,
  noticePartition,
  noticeVersionKey,
  ORGANISATION_SK,
  ROUTING_SK,
  staffEntrySk,
  unitEntrySk,
  unitPartition,
} from './keys.ts';
import { earliestInShards } from './queries.ts';

/** Audit entries kept on an entry's own item; older ones move to archive items first. */
export const TRAIL_LIMIT = 50;

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  entryKey(kind: EntryKind, id: string): string {
    if (kind === 'unit') return unitEntrySk(id);
    if (kind === 'staff') return staffEntrySk(id);
    return kind === 'routing' ? ROUTING_SK : ORGANISATION_SK;
  }

  /** The whole `DIR` partition: one Query (paged), validated entry by entry. */
  load(): Promise<StoredDirectory> {
    return loadDirectory(this.doc, this.tableName);
  }

  /**
   * Writes one entry (or its tombstone when `data` is undefined) with its audit entry, if its
   * revision is still `expectedRev` (0: the entry must not exist yet). Conflict otherwise.
   */
  async putEntry(previous: StoredEntry | undefined, sk: string, data: unknown, audit: Omit<AuditEntry, 'rev'>): Promise<AuditEntry> {
    const rev = (previous?.rev ?? 0) + 1;
    const entry: AuditEntry = { ...audit, rev };
    let trail = [...(previous?.trail ?? []), entry];
    if (trail.length > TRAIL_LIMIT) {
      const moved = trail.slice(0, trail.length - TRAIL_LIMIT);
      // Archived before the trail is cut: a crash in between leaves an entry in both places, never in none.
      await Promise.all(moved.map((a) => this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...auditArchiveKey(sk, a.at, a.rev), ...a } }))));
      trail = trail.slice(-TRAIL_LIMIT);
    }
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...directoryEntryKey(sk), rev, ...(data !== undefined && { data }), trail },
          ...(previous
            ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': previous.rev } }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Conflict(
          'The directory entry was changed by someone else; reload it and try again',
          { entry: sk },
          { cause: error, code: 'directory-conflict' },
        );
      }
      throw error;
    }
    return entry;
  }

  /** Seeds a table that holds no directory (decision 056): nothing is written when it holds one. */
  seed(entries: DirectoryEntries, audit: SeedAudit): Promise<SeedOutcome> {
    return seedDirectory(this.doc, this.tableName, entries, audit);
  }

  /** Every loaded version of a year's notice, oldest first. */
  async noticeVersions(year: number): Promise<NoticeVersion[]> {
    const out: NoticeVersion[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :v)',
          ExpressionAttributeValues: { ':pk': noticePartition(year), ':v': 'V#' },
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      out.push(...(page.Items ?? []).map(noticeVersion));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Records a new version of a year's notice, then points the calendar head at it (guarded by the
   * head's revision). The version item comes first: the record exists before the notice takes effect,
   * and a crash in between is repaired by the next load of that year (`repairHead`).
   */
  async putNotice(version: NoticeVersion, head: Pick<StoredDirectory, 'notices' | 'calendarRev'>): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...noticeVersionKey(version.year, version.version), ...version },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Conflict(
          `Version ${version.version} of the ${version.year} notice was just loaded by someone else`,
          { year: version.year },
          { cause: error, code: 'calendar-conflict' },
        );
      }
      throw error;
    }
    await this.pointHead(version, head);
  }

  /** Points the head at `version` (replacing that year's entry), if the head is still at `calendarRev`. */
  async pointHead(version: NoticeVersion, head: Pick<StoredDirectory, 'notices' | 'calendarRev'>): Promise<void> {
    const years = Object.fromEntries([...head.notices.filter((n) => n.year !== version.year), version].map((n) => [String(n.year), n]));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...directoryEntryKey(CALENDAR_HEAD_SK), rev: head.calendarRev + 1, years },
          ...(head.calendarRev > 0
            ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': head.calendarRev } }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Conflict(
          'The calendar was changed by someone else at the same time; load the notice again',
          { year: version.year },
          { cause: error, code: 'calendar-conflict' },
        );
      }
      throw error;
    }
  }

  /**
   * The open complaints of a unit (GSI1 worklist, one Query per open status — never a Scan), or only
   * those of one handler in it (compared case-insensitively).
   */
  async openComplaints(unitId: string, handlerId?: string): Promise<OpenComplaintRef[]> {
    const out: OpenComplaintRef[] = [];
    for (const status of OPEN_STATUSES) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :status)',
            ExpressionAttributeValues: { ':pk': unitPartition(unitId), ':status': `${status}#` },
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
        for (const it of page.Items ?? []) {
          const handler = typeof it['handlerId'] === 'string' ? it['handlerId'] : undefined;
          if (handlerId !== undefined && !sameStaff(handler, handlerId)) continue;
          out.push({ id: String(it['id']), status: it['status'] as Status, unitId, ...(handler !== undefined && { handlerId: handler }) });
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return out;
  }

  /**
   * Ids of the open complaints with a pending clock whose next check point is at or before `until`
   * (GSI2 open-by-due, every shard, paged): the candidates a calendar change may re-plan.
   */
  async openDueUntil(until: string, pageSize = 100): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const rows = await earliestInShards(this.doc, this.tableName, duePartition, until, pageSize, after);
      for (const row of rows) {
        const pk = String(row['PK']);
        if (pk.startsWith('CMP#')) ids.push(pk.slice('CMP#'.length));
      }
      if (rows.length < pageSize) return ids;
      after = String(rows[rows.length - 1]?.['GSI2SK']);
    }
  }
}
