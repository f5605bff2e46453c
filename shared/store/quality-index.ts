/**
 * The quality worklists by key (decision 058): two index items in the complaint's partition, written
 * after the complaint by `save` like the 协办 rows (`assist-index.ts`), each guarded by the complaint
 * version it reflects, on GSI2 (KEYS_ONLY; a page is one Query plus one consistent BatchGetItem):
 *
 * - `CMP#<id>` / `QLT#DET`: `DETERMINE#pending` / `<repliedAt>#<id>` while a replied or ended case
 *   waits for the centre's determination of its latest reply; `DETERMINE#determined` /
 *   `<determinedAt>#<id>` once determined (the month's list: a range of the sort key).
 * - `CMP#<id>` / `QLT#RECT`: `RECT#owed` (due or returned) · `RECT#filed` · `RECT#verified` /
 *   `<unitId>#<dueAt>#<id>` — a unit's rows are a `begins_with` of the sort key, quality reads the
 *   whole partition, earliest deadline first.
 *
 * Never a Scan; the lists stay O(page) however many complaints the table holds. Reading them is
 * `quality-lists.ts`, bundled only by the functions that list (decision 042).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { maskFreeText } from '#domain/masking.ts';
import type { Complaint, ComplaintEvent } from '#domain/model.ts';
import type { DeterminationRow, RectificationRow } from '#domain/quality.ts';
import { complaintKey } from './keys.ts';

export const determinationRowKey = (id: string) => ({ PK: complaintKey(id).PK, SK: 'QLT#DET' });
export const rectificationRowKey = (id: string) => ({ PK: complaintKey(id).PK, SK: 'QLT#RECT' });

/** Statuses in which a reply waits for (or keeps) its determination. */
const DETERMINABLE = new Set(['replied', 'closed', 'suspended', 'withdrawn']);

/** Events after which the rows may change (anything else leaves them as they are). */
const ROW_EVENTS = new Set<ComplaintEvent['type']>([
  'replied',
  'justified_determined',
  'justified_reviewed',
  'rectification_noticed',
  'rectification_filed',
  'rectification_returned',
  'rectification_verified',
  'closed',
  'callback_waived',
  'callback_recorded',
  'redispatched',
  'suspended',
  'withdrawn',
  'reopened',
  'deadline_warned',
  'deadline_breached',
  'deadline_extended',
  'deadlines_replanned',
]);

/** Whether a save of this transition must rewrite the quality rows. */
export function touchesQualityRows(c: Complaint, events: readonly ComplaintEvent[]): boolean {
  return c.reply !== undefined && events.some((e) => ROW_EVENTS.has(e.type));
}

/** The two index items of `c` as it is now. */
function qualityIndexItems(c: Complaint): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const reply = c.reply;
  if (reply) {
    const d = c.determination;
    const determined = d !== undefined && d.round === reply.round;
    const pending = !determined && DETERMINABLE.has(c.status);
    const proposal = reply.justifiedProposal ?? reply.justified;
    const row: DeterminationRow = {
      complaintId: c.id,
      trackingCode: c.trackingCode,
      status: c.status,
      category: c.category,
      severity: c.severity,
      round: reply.round,
      repliedAt: reply.at,
      state: determined ? 'determined' : 'pending',
      ...(c.unitId !== undefined && { unitId: c.unitId }),
      ...(proposal !== undefined && { proposal }),
      ...(d && {
        justified: d.review?.justified ?? d.justified,
        ground: d.ground,
        // Staff-written reasons may quote the complainant: masked like every list.
        reason: maskFreeText(d.reason, c.complainant),
        determinedAt: d.at,
        determinedBy: d.by,
        ...(d.review && { review: { justified: d.review.justified, reason: maskFreeText(d.review.reason, c.complainant), by: d.review.by, at: d.review.at } }),
      }),
    };
    items.push({
      ...determinationRowKey(c.id),
      entity: 'determination_row',
      ...row,
      subjectStaffIds: c.subjectStaffIds,
      complaintVersion: c.version,
      ...(pending && { GSI2PK: 'DETERMINE#pending', GSI2SK: `${reply.at}#${c.id}` }),
      ...(determined && d && { GSI2PK: 'DETERMINE#determined', GSI2SK: `${d.at}#${c.id}` }),
    });
  }
  const r = c.rectification;
  if (r) {
    const deadline = c.deadlines.find((x) => x.milestone === 'rectification');
    const row: RectificationRow = {
      complaintId: c.id,
      trackingCode: c.trackingCode,
      category: c.category,
      unitId: r.unitId,
      period: r.period,
      status: r.status,
      noticedAt: r.noticedAt,
      filings: r.filings,
      ...(deadline && { dueAt: deadline.dueAt, deadlineState: deadline.state }),
      ...(r.review && { review: { outcome: r.review.outcome, reason: maskFreeText(r.review.reason, c.complainant), at: r.review.at } }),
    };
    items.push({
      ...rectificationRowKey(c.id),
      entity: 'rectification_row',
      ...row,
      subjectStaffIds: c.subjectStaffIds,
      complaintVersion: c.version,
      GSI2PK: rectificationPartition(r.status),
      GSI2SK: `${r.unitId}#${deadline?.dueAt ?? r.noticedAt}#${c.id}`,
    });
  }
  return items;
}

export const rectificationPartition = (status: RectificationRow['status']) => (status === 'due' || status === 'returned' ? 'RECT#owed' : `RECT#${status}`);

/** Writes the rows of `c`; a row already written from a newer version is kept. */
export async function syncQualityIndex(doc: DynamoDBDocumentClient, tableName: string, c: Complaint): Promise<void> {
  await Promise.all(
    qualityIndexItems(c).map(async (item) => {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(PK) OR complaintVersion < :v',
            ExpressionAttributeValues: { ':v': c.version },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }),
  );
}
