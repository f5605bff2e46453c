/** Key builders for every entity, in one place (see `table.ts` for the layout). */
import { createHash } from 'node:crypto';
import { clocksRun, isOpen, severityRank, type Complaint, type Status } from '#domain/model.ts';
import { archiveIndexKeys } from '#domain/archive.ts';
import { queueAttributes } from '#domain/queues.ts';
import { DUE_SHARDS } from './table.ts';

export const complaintKey = (id: string) => ({ PK: `CMP#${id}`, SK: 'A' });
/** A page of a complaint's sealed history; zero-padded so that pages sort by number. */
export const historyPageKey = (id: string, page: number) => ({ PK: `CMP#${id}`, SK: `H#${String(page).padStart(6, '0')}` });
export const escalationKey = (id: string, milestone: string, round: number, level: string) => ({
  PK: `CMP#${id}`,
  SK: `ESC#${milestone}#${round}#${level}`,
});
export const messageKey = (channel: string, messageId: string) => ({ PK: `MSG#${channel}#${messageId}`, SK: 'A' });
export const smsPartKey = (phone: string, reference: string, part: number) => ({
  PK: `SMSPART#${phone}#${reference}`,
  SK: `P#${String(part).padStart(3, '0')}`,
});

export const intakeKeyKey = (namespace: string, key: string) => ({ PK: `IDEM#${namespace}#${key}`, SK: 'A' });
export const receiptKey = (id: string) => ({ PK: `RCPT#${id}`, SK: 'A' });
export const optOutKey = (phone: string) => ({ PK: `OPTOUT#${phone}`, SK: 'A' });
export const receiptCapKey = (phone: string, day: string) => ({ PK: `SMSCAP#${phone}#${day}`, SK: 'A' });

/** The complaints of one category that reached one unit, by the Shanghai day they were received (decision 045). */
export const clusterDayKey = (unitId: string, category: string, day: string) => ({ PK: `CLUSTER#${unitId}#${category}`, SK: `D#${day}` });

/** The runtime directory and the calendar head: one partition, read whole by one Query (decision 056). */
export const DIRECTORY_PARTITION = 'DIR';
export const directoryEntryKey = (sk: string) => ({ PK: DIRECTORY_PARTITION, SK: sk });
export const unitEntrySk = (id: string) => `UNIT#${id}`;
/** Staff ids compare case-insensitively: the key is the lower-cased id (`staffKey`). */
export const staffEntrySk = (id: string) => `STAFF#${id.trim().toLowerCase()}`;
export const ORGANISATION_SK = 'ORG';
export const ROUTING_SK = 'ROUTING';
/** The newest loaded notice of each year, for the one-Query load; the versions are the record. */
export const CALENDAR_HEAD_SK = 'CALENDAR';
/** One loaded version of a year's State Council notice, kept forever (decision 055). */
export const noticeVersionKey = (year: number, version: number) => ({ PK: `CAL#${year}`, SK: `V#${String(version).padStart(6, '0')}` });
export const noticePartition = (year: number) => `CAL#${year}`;
/** Audit entries that no longer fit on their entry's item, by entry and time (decision 056). */
export const auditArchiveKey = (sk: string, at: string, rev: number) => ({ PK: `AUDIT#${sk}`, SK: `${at}#${String(rev).padStart(6, '0')}` });

export const unitPartition = (unitId: string | undefined) => `UNIT#${unitId ?? '-'}`;
export const statusPartition = (status: Status) => `STATUS#${status}`;
export const phonePartition = (phone: string) => `PHONE#${phone}`;
export const trackingPartition = (code: string) => `TRK#${code}`;
export const duePartition = (shard: number) => `DUE#${shard}`;
/** GSI2 partition of escalation markers queued but not yet sent (decision 037). */
export const outboxPartition = (shard: number) => `OUTBOX#${shard}`;

/** GSI6 partition of complaints whose committed transitions still owe side effects (decision 051). */
export const effectsPartition = (shard: number) => `EFFECTS#${shard}`;
/** Prefix of the top-level attributes that hold a complaint's pending effects, one per effect id. */
export const EFFECT_ATTRIBUTE_PREFIX = 'fx#';
export const effectAttribute = (effectId: string) => `${EFFECT_ATTRIBUTE_PREFIX}${effectId}`;

export function dueShard(id: string): number {
  return (createHash('sha1').update(id).digest()[0] ?? 0) % DUE_SHARDS;
}

/** `0` sorts first: priority (re-dispatched/chased) before the rest, then urgent, major, general, minor. */
function worklistRank(c: Pick<Complaint, 'priority' | 'severity'>): string {
  return `${c.priority ? 0 : 1}${3 - severityRank(c.severity)}`;
}

/** The index attributes a complaint has in its current state; absent ones must be removed. */
export function indexAttributes(c: Complaint): Record<string, string | number | string[] | undefined> {
  // A closed case whose rectification or claim clock still runs stays on the due index until it ends
  // (decisions 058, 059), and joins its year's archive partition then.
  const open = clocksRun(c);
  // GSI2 holds open complaints by due time; an ended one is never open, so the same index keeps the
  // archive's year partitions (`ENDED#<year>` → `ARCHIVED#<year>`, decision 065).
  const archive = open ? undefined : archiveIndexKeys(c);
  // A minimised case keeps only a masked phone: it leaves the complainant index (repeats, decision 065).
  const phone = c.minimisedAt === undefined ? c.complainant.phone : undefined;
  return {
    GSI1PK: unitPartition(c.unitId),
    GSI1SK: `${c.status}#${worklistRank(c)}#${c.createdAt}#${c.id}`,
    GSI2PK: open && c.nextDueAt ? duePartition(dueShard(c.id)) : archive?.pk,
    GSI2SK: open && c.nextDueAt ? `${c.nextDueAt}#${c.id}` : archive?.sk,
    GSI3PK: phone ? phonePartition(phone) : undefined,
    GSI3SK: phone ? `${c.createdAt}#${c.id}` : undefined,
    GSI4PK: trackingPartition(c.trackingCode),
    GSI4SK: 'TRK',
    GSI5PK: statusPartition(c.status),
    GSI5SK: `${c.createdAt}#${c.id}`,
    // The worklist queues' attributes (decision 067): absent ones are removed by the save.
    qDueAt: undefined,
    qWarnAt: undefined,
    qNotice: undefined,
    qExtension: undefined,
    ...(isOpen(c.status) ? queueAttributes(c) : {}),
    // No TTL: a record is never deleted because the 3-year minimum passed (decision 065). Always
    // undefined, so that a save removes the TTL an older version of this code left on the item.
    expiresAt: undefined,
  };
}
