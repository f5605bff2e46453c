/**
 * What the channels remember besides complaints: which inbound message became what (idempotency by
 * the provider's message id: {@link MessageClaims}, all the IVR door needs), and for SMS the parts of
 * long texts waiting for the rest, opt-outs (退订) and the receipt cap ({@link ChannelStore}).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '#domain/zod.ts';
import type { ChannelLedger, ClaimVerdict, SmsLedger } from '#app/ports.ts';
import { MessageOutcome } from '#domain/channels/outcome.ts';
import { messageKey, optOutKey, receiptCapKey, smsPartKey } from './keys.ts';

const Claim = z.object({ status: z.enum(['processing', 'done']), claimedAt: z.string(), outcome: z.optional(MessageOutcome) });

/** Parts of an unfinished long SMS are kept a day, then DynamoDB TTL removes them. */
const PART_TTL_SECONDS = 86_400;

/**
 * How long a claim protects a delivery in progress before another one may take it over: longer than any
 * live delivery (an API function stays under API Gateway's 30 s), short enough that a provider's retry
 * after a crash gets through. `CHANNEL_CLAIM_LEASE_SECONDS` overrides it (tests shorten it).
 */
export function claimLeaseMillis(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env['CHANNEL_CLAIM_LEASE_SECONDS'] ?? 60);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
}

/** The DynamoDB {@link ChannelLedger}: one claim per inbound message or call. */
export class MessageClaims implements ChannelLedger {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
    private readonly leaseMillis = claimLeaseMillis(),
  ) {}

  /**
   * Claims a message id for processing (one conditional put). A message already done returns its
   * outcome; one held by a live delivery is `busy` until its lease ends; one whose holder died without
   * releasing it (claimed longer than the lease ago, still `processing`) is taken over — processing is
   * idempotent underneath (intake and commands are keyed by the message id), so a takeover cannot duplicate.
   */
  async claim(channel: string, messageId: string, now: Date): Promise<ClaimVerdict> {
    const key = messageKey(channel, messageId);
    const token = crypto.randomUUID();
    try {
      const out = await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'message', status: 'processing', claimedAt: now.toISOString(), claimToken: token, expiresAt: ttl(now, 90 * 86_400) },
          ConditionExpression: 'attribute_not_exists(PK) OR (#status = :processing AND #claimedAt <= :stale)',
          ExpressionAttributeNames: { '#status': 'status', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: { ':processing': 'processing', ':stale': new Date(now.getTime() - this.leaseMillis).toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { state: 'claimed', token, takeover: out.Attributes !== undefined };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const held = Claim.safeParse(out.Item);
      if (held.success && held.data.status === 'done') return { state: 'done', outcome: held.data.outcome ?? { kind: 'ignored' } };
      // Held by a live delivery (or released between our put and get: then a retry claims it at once).
      const leaseEnds = held.success ? Date.parse(held.data.claimedAt) + this.leaseMillis : now.getTime();
      return { state: 'busy', retryAfterSeconds: Math.max(1, Math.ceil((leaseEnds - now.getTime()) / 1000)) };
    }
  }

  /** Records the outcome: every later delivery of the message replays it. */
  async complete(channel: string, messageId: string, outcome: MessageOutcome): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: messageKey(channel, messageId),
        UpdateExpression: 'SET #status = :done, #outcome = :outcome REMOVE #token',
        ExpressionAttributeNames: { '#status': 'status', '#outcome': 'outcome', '#token': 'claimToken' },
        ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome },
      }),
    );
  }

  /**
   * Gives a claim back after a failure, so that the provider's retry takes over at once instead of waiting
   * out the lease. Only the holder's own claim is removed (a slow delivery whose claim was taken over must
   * not free its successor's); a claim already released, taken over or done is left alone.
   */
  async release(channel: string, messageId: string, token: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: messageKey(channel, messageId),
          ConditionExpression: '#status = :processing AND #token = :token',
          ExpressionAttributeNames: { '#status': 'status', '#token': 'claimToken' },
          ExpressionAttributeValues: { ':processing': 'processing', ':token': token },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** The DynamoDB {@link SmsLedger}, and the SMS policy store (opt-outs, the receipt cap) of the guarded sender. */
export class ChannelStore extends MessageClaims implements SmsLedger {
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
    const Part = z.object({ partNumber: z.number().check(z.int()), totalParts: z.number().check(z.int()), text: z.string() });
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
          ExpressionAttributeValues: {
            ':key': new Set([dedupeKey]),
            ':member': dedupeKey,
            ':cap': cap,
            ':entity': 'sms_receipt_cap',
            ':ttl': Math.floor(Date.parse(`${day}T00:00:00+08:00`) / 1000) + 2 * 86_400,
          },
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
