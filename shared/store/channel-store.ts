/**
 * What the channels remember besides complaints: which inbound message became what (idempotency by
 * the provider's message id), the parts of long SMS waiting for the rest, and opt-outs (退订).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { messageKey, optOutKey, receiptCapKey, smsPartKey } from './keys.ts';

/** What one inbound message turned into; replayed verbatim to a provider that retries. */
export const MessageOutcome = z.object({
  kind: z.enum(['created', 'repeat', 'chase', 'replayed', 'status_query', 'unsubscribe', 'incomplete', 'ignored']),
  complaintId: z.string().optional(),
  trackingCode: z.string().optional(),
  reply: z.string().optional(),
});
export type MessageOutcome = z.infer<typeof MessageOutcome>;

const Claim = z.object({ status: z.enum(['processing', 'done']), claimedAt: z.string(), outcome: MessageOutcome.optional() });

export type ClaimVerdict = { claimed: true } | { claimed: false; outcome?: MessageOutcome };

/** Parts of an unfinished long SMS are kept a day, then DynamoDB TTL removes them. */
const PART_TTL_SECONDS = 86_400;

export class ChannelStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims a message id for processing (conditional put). A message already done returns its
   * outcome; one claimed by a delivery that has not finished within `leaseMillis` (crashed) may be
   * claimed again — processing is idempotent underneath, so a takeover cannot duplicate.
   */
  async claim(channel: string, messageId: string, now: Date, leaseMillis = 60_000): Promise<ClaimVerdict> {
    const key = messageKey(channel, messageId);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'message', status: 'processing', claimedAt: now.toISOString(), expiresAt: ttl(now, 90 * 86_400) },
          ConditionExpression: 'attribute_not_exists(PK) OR (#status = :processing AND #claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: { ':processing': 'processing', ':stale': new Date(now.getTime() - leaseMillis).toISOString() },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const parsed = Claim.safeParse(out.Item);
      return parsed.success && parsed.data.outcome ? { claimed: false, outcome: parsed.data.outcome } : { claimed: false };
    }
  }

  async complete(channel: string, messageId: string, outcome: MessageOutcome): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: messageKey(channel, messageId),
        UpdateExpression: 'SET #status = :done, #outcome = :outcome',
        ExpressionAttributeNames: { '#status': 'status', '#outcome': 'outcome' },
        ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome },
      }),
    );
  }

  /** Stores one part (a repeated part keeps its first copy) and returns every part stored so far. */
  async addPart(phone: string, reference: string, part: { partNumber: number; totalParts: number; text: string }, now: Date) {
    const key = smsPartKey(phone, reference, part.partNumber);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'sms_part', ...part, receivedAt: now.toISOString(), expiresAt: ttl(now, PART_TTL_SECONDS) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': key.PK },
        ConsistentRead: true,
      }),
    );
    const Part = z.object({ partNumber: z.number().int(), totalParts: z.number().int(), text: z.string() });
    return (out.Items ?? []).map((item) => Part.parse(item));
  }

  async optOut(phone: string, now: Date): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...optOutKey(phone), entity: 'opt_out', at: now.toISOString() } }));
  }

  async isOptedOut(phone: string): Promise<boolean> {
    // Strongly consistent: a TD that just arrived must stop the very next text.
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: optOutKey(phone), ConsistentRead: true }));
    return out.Item !== undefined;
  }

  /**
   * One conditional ADD to a string set of dedupe keys: atomic (no read-then-write race between
   * two intakes), and idempotent for a retried receipt (ADD of a member already there adds nothing).
   * The counter lives until the end of the next day, then TTL removes it.
   */
  async takeReceiptSlot(phone: string, day: string, dedupeKey: string, cap: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: receiptCapKey(phone, day),
          UpdateExpression: 'ADD #keys :key SET #entity = :entity, #expiresAt = if_not_exists(#expiresAt, :ttl)',
          ConditionExpression: 'attribute_not_exists(#keys) OR size(#keys) < :cap OR contains(#keys, :member)',
          ExpressionAttributeNames: { '#keys': 'keys', '#entity': 'entity', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':key': new Set([dedupeKey]), ':member': dedupeKey, ':cap': cap, ':entity': 'sms_receipt_cap', ':ttl': Math.floor(Date.parse(`${day}T00:00:00+08:00`) / 1000) + 2 * 86_400 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function ttl(now: Date, seconds: number): number {
  return Math.floor(now.getTime() / 1000) + seconds;
}
