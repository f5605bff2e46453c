/**
 * The transactional outbox on the complaint item (docs/decisions/051-transactional-outbox.md). The
 * transition's own write records each effect it owes as a top-level attribute `fx#<effect id>` and puts
 * the item in the sparse GSI6 partition `EFFECTS#<shard>` sorted by its redrive time. The dispatcher
 * claims, settles and releases each effect with conditional UpdateItems that never touch `version`,
 * so a person's command (guarded by `version = :expected`) cannot conflict with them (decision 036).
 *
 * Why attributes and not one `effects` map: a transition's UpdateItem SETs `fx#<id>` as a whole
 * attribute, which needs no parent map to exist (items written before the outbox have none) and
 * never overlaps a path the dispatcher is removing.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EFFECT_GRACE_MILLIS, type Effect, type PendingEffect } from '#app/effects.ts';
import type { OutboxStore } from '#app/ports.ts';
import type { Complaint } from '#domain/model.ts';
import { complaintKey, dueShard, EFFECT_ATTRIBUTE_PREFIX, effectAttribute, effectsPartition } from './keys.ts';
import { DUE_SHARDS } from './table.ts';

export { EFFECT_GRACE_MILLIS };

const indexKeys = (id: string, redriveAt: string) => ({ GSI6PK: effectsPartition(dueShard(id)), GSI6SK: `${redriveAt}#${id}` });

/**
 * The attributes a write adds for `effects` committed at `at`: one `fx#<id>` each, plus the GSI6 keys.
 * Empty when there are none (the item stays out of the index).
 */
export function effectItemAttributes(id: string, effects: Effect[], at: string): Record<string, unknown> {
  if (effects.length === 0) return {};
  const out: Record<string, unknown> = indexKeys(id, new Date(Date.parse(at) + EFFECT_GRACE_MILLIS).toISOString());
  for (const effect of effects) out[effectAttribute(effect.id)] = { ...effect, at, attempts: 0, state: 'pending' } satisfies PendingEffect;
  return out;
}

/** The pending effects held by an item (its `fx#…` attributes). */
export function effectsOfItem(item: Record<string, unknown>): PendingEffect[] {
  return Object.entries(item)
    .filter(([name]) => name.startsWith(EFFECT_ATTRIBUTE_PREFIX))
    .map(([, value]) => value as PendingEffect);
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Turns an item into its complaint (the complaint store's `fromItem`). */
    private readonly toComplaint: (item: Record<string, unknown>) => Complaint,
  ) {}

  async pending(id: string): Promise<{ complaint: Complaint; effects: PendingEffect[] } | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: complaintKey(id), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { complaint: this.toComplaint(out.Item), effects: effectsOfItem(out.Item) };
  }

  async claim(id: string, effectId: string, now: Date, leaseMillis: number): Promise<string | undefined> {
    const claimId = crypto.randomUUID();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: complaintKey(id),
          UpdateExpression: 'SET #fx.#state = :sending, #fx.leaseUntil = :lease, #fx.claimId = :claim, #fx.attempts = #fx.attempts + :one',
          ConditionExpression: 'attribute_exists(#fx) AND (#fx.#state = :pending OR #fx.leaseUntil < :now)',
          ExpressionAttributeNames: { '#fx': effectAttribute(effectId), '#state': 'state' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':lease': new Date(now.getTime() + leaseMillis).toISOString(),
            ':now': now.toISOString(),
            ':claim': claimId,
            ':one': 1,
          },
        }),
      );
      return claimId;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async settle(id: string, effectId: string, claimId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: complaintKey(id),
          UpdateExpression: 'REMOVE #fx',
          // A newer transition that re-recorded the effect (a fresh `pending` without our claim) keeps it.
          ConditionExpression: '#fx.claimId = :claim',
          ExpressionAttributeNames: { '#fx': effectAttribute(effectId) },
          ExpressionAttributeValues: { ':claim': claimId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async release(id: string, effectId: string, claimId: string, error: string, retryAt: Date): Promise<void> {
    const keys = indexKeys(id, retryAt.toISOString());
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: complaintKey(id),
          UpdateExpression: 'SET #fx.#state = :pending, #fx.lastError = :error, GSI6PK = :pk, GSI6SK = :sk REMOVE #fx.leaseUntil, #fx.claimId',
          ConditionExpression: '#fx.claimId = :claim',
          ExpressionAttributeNames: { '#fx': effectAttribute(effectId), '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':error': error.slice(0, 500), ':pk': keys.GSI6PK, ':sk': keys.GSI6SK, ':claim': claimId },
        }),
      );
    } catch (failure) {
      if (!isConditionFailure(failure)) throw failure;
    }
  }

  async clearIndex(id: string, version: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: complaintKey(id),
          UpdateExpression: 'REMOVE GSI6PK, GSI6SK',
          // Any write since may have recorded new effects: the item stays in the index for them.
          ConditionExpression: '#version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':v': version },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async due(until: string, limit: number, after?: string): Promise<{ id: string; cursor: string }[]> {
    const shards = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'GSI6',
            KeyConditionExpression: after === undefined ? 'GSI6PK = :pk AND GSI6SK <= :until' : 'GSI6PK = :pk AND GSI6SK BETWEEN :from AND :until',
            ExpressionAttributeValues: { ':pk': effectsPartition(shard), ':until': `${until}#~`, ...(after !== undefined && { ':from': `${after}\u0000` }) },
            Limit: limit,
          }),
        ),
      ),
    );
    return shards
      .flatMap((out) => out.Items ?? [])
      .map((item) => String(item['GSI6SK']))
      .sort()
      .slice(0, limit)
      .map((sk) => ({ id: sk.slice(sk.lastIndexOf('#') + 1), cursor: sk }));
  }
}
