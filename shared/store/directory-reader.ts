/**
 * Reading the runtime directory and the calendar head (the `DIR` partition, one Query): what every
 * function's runtime cache needs. Kept apart from the admin writes (`directory-store.ts`) so that a
 * bundle that only reads carries only this (decision 012's budget).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, StoredDirectory, StoredEntry } from '#app/directory-ports.ts';
import { CalendarNoticeSchema, type NoticeVersion } from '#domain/calendar/notice-schema.ts';
import {
  OrganisationEntryRequest,
  RoutingRequest,
  StaffEntryRequest,
  UnitEntryRequest,
  type DirectoryEntries,
  type StaffEntry,
  type UnitEntry,
} from '#domain/directory-entries.ts';
import { CALENDAR_HEAD_SK, DIRECTORY_PARTITION, ORGANISATION_SK, ROUTING_SK } from './keys.ts';

type Item = Record<string, unknown>;

/** A stored notice version, validated. */
export const noticeVersion = (v: unknown): NoticeVersion => {
  const o = v as Record<string, unknown>;
  return {
    year: Number(o['year']),
    version: Number(o['version']),
    notice: CalendarNoticeSchema.parse(o['notice']),
    loadedBy: String(o['loadedBy']),
    loadedAt: String(o['loadedAt']),
  };
};

/** The whole `DIR` partition: one Query (paged), validated entry by entry. */
export async function loadDirectory(doc: DynamoDBDocumentClient, tableName: string): Promise<StoredDirectory> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': DIRECTORY_PARTITION },
        ConsistentRead: true,
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  const stored = new Map<string, StoredEntry>();
  let notices: NoticeVersion[] = [];
  let calendarRev = 0;
  for (const item of items) {
    const sk = String(item['SK']);
    if (sk === CALENDAR_HEAD_SK) {
      calendarRev = Number(item['rev'] ?? 0);
      notices = Object.values((item['years'] ?? {}) as Record<string, unknown>).map(noticeVersion);
      continue;
    }
    stored.set(sk, {
      sk,
      rev: Number(item['rev'] ?? 0),
      ...(item['data'] !== undefined && { data: item['data'] }),
      trail: (item['trail'] ?? []) as AuditEntry[],
    });
  }
  return { ...entriesOf(stored), stored, notices: notices.sort((a, b) => a.year - b.year), calendarRev };
}

/** The runtime cache's source on DynamoDB. */
export class DynamoDirectoryReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  load(): Promise<StoredDirectory> {
    return loadDirectory(this.doc, this.tableName);
  }
}

/** The live entries (tombstones left out), validated; undefined when the table was never seeded. */
function entriesOf(stored: Map<string, StoredEntry>): { entries?: DirectoryEntries } {
  const org = stored.get(ORGANISATION_SK)?.data;
  const routing = stored.get(ROUTING_SK)?.data;
  if (org === undefined || routing === undefined) return {};
  const units: UnitEntry[] = [];
  const staff: StaffEntry[] = [];
  for (const [sk, e] of stored) {
    if (e.data === undefined) continue;
    if (sk.startsWith('UNIT#')) units.push({ id: sk.slice('UNIT#'.length), ...UnitEntryRequest.parse(e.data) });
    if (sk.startsWith('STAFF#')) {
      const id = (e.data as Record<string, unknown>)['id'];
      staff.push({ id: String(id), ...StaffEntryRequest.parse(withoutIdField(e.data)) });
    }
  }
  return { entries: { organisation: OrganisationEntryRequest.parse(org), routing: RoutingRequest.parse(routing), units, staff } };
}

function withoutIdField(data: unknown): unknown {
  const { id: _id, ...rest } = data as Record<string, unknown>;
  return rest;
}
