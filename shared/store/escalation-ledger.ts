/**
 * The once-only ledger of escalations: one marker item per (complaint, milestone, round, level) in
 * the complaint's partition (`CMP#<id>` / `ESC#<milestone>#<round>#<level>`, see `keys.ts`).
 *
 * A delivery *claims* the marker with a conditional PutItem (`attribute_not_exists(PK)`) that
 * stores status `sending`, a random claim id and a lease. After the e-mail/SMS went out it is
 * marked `sent`. A duplicate delivery (SQS is at-least-once) finds `sent` and sends nothing; one that
 * finds a live lease retries later; one that finds an expired lease (the holder crashed between claim
 * and `sent`) takes it over with a conditional UpdateItem and sends again — at-least-once in that
 * window, see docs/decisions/005-escalation-delivery.md. Nothing is deleted (IAM grants no
 * DeleteItem): a failed send is recorded as `failed`, which the next delivery may claim at once.
 *
 * Producers record a marker as `queued`, with the message, BEFORE they hand it to the queue
 * (`recordQueued`, decision 037): "marked in the complaint" then means "durably queued". Until it is
 * `sent` (or `skipped`) the marker sits in the sparse GSI2 partition `OUTBOX#<shard>` sorted by its
 * redrive time, so the sweep can put a message lost in a killed process or a DLQ back on the queue.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { EscalationMessage, escalationDedupeKey } from '#domain/escalation.ts';
import type { ClaimResult, EscalationLedger, LedgerKey, LedgerRecord } from '#app/ports.ts';
import { dueShard, escalationKey, outboxPartition } from './keys.ts';
import { earliestInShards } from './queries.ts';
import { RETENTION_YEARS } from './table.ts';

const key = (k: LedgerKey) => escalationKey(k.complaintId, k.milestone, k.round, k.level);
/** The marker's place in the outbox partition of GSI2 while it is not sent. */
const outboxKeys = (k: LedgerKey, at: Date) => ({ GSI2PK: outboxPartition(dueShard(k.complaintId)), GSI2SK: `${at.toISOString()}#${escalationDedupeKey(k)}` });
/** Records are kept at least 3 years (seed 004); SQS redelivers for 14 days at most. */
const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + RETENTION_YEARS * 366 * 86_400;

/** `CMP#<id>` / `ESC#<milestone>#<round>#<level>` back to its key (the milestone may hold `#`). */
function keyOf(pk: unknown, sk: unknown): LedgerKey | undefined {
  if (typeof pk !== 'string' || typeof sk !== 'string' || !pk.startsWith('CMP#') || !sk.startsWith('ESC#')) return undefined;
  const parts = sk.slice('ESC#'.length).split('#');
  const level = parts.pop();
  const round = Number(parts.pop());
  const milestone = parts.join('#');
  const parsed = EscalationMessage.shape.level.safeParse(level);
  if (!parsed.success || !Number.isInteger(round) || !milestone) return undefined;
  return { complaintId: pk.slice('CMP#'.length), milestone, round, level: parsed.data };
}

export class DynamoEscalationLedger implements EscalationLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(k: LedgerKey, now: Date, leaseMillis: number, context: { sqsMessageId?: string } = {}): Promise<ClaimResult> {
    const claimId = randomUUID();
    const leaseUntil = new Date(now.getTime() + leaseMillis).toISOString();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key(k),
            entity: 'escalation',
            dedupeKey: escalationDedupeKey(k),
            complaintId: k.complaintId,
            milestone: k.milestone,
            round: k.round,
            level: k.level,
            status: 'sending',
            claimId,
            leaseUntil,
            attempts: 1,
            claimedAt: now.toISOString(),
            ...(context.sqsMessageId !== undefined && { sqsMessageId: context.sqsMessageId }),
            expiresAt: expiresAt(now),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { outcome: 'claimed', claimId, attempt: 1 };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.get(k);
    if (!existing) return { outcome: 'in_flight', leaseUntil: now.toISOString() }; // vanished in between: retry later
    if (existing.status === 'sent') return { outcome: 'sent', record: existing };
    // Queued (not yet claimed), failed, skipped before, or a lease that ran out: ours to take.
    const expired = existing.status !== 'sending' || (existing.leaseUntil ?? '') <= now.toISOString();
    if (!expired) return { outcome: 'in_flight', leaseUntil: existing.leaseUntil ?? now.toISOString() };
    // Take over a failed or abandoned claim — only the one we saw, so two takers cannot both win.
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(k),
          UpdateExpression:
            'SET #status = :sending, claimId = :claim, leaseUntil = :lease, attempts = attempts + :one, claimedAt = :now, previousClaimId = :seen',
          ConditionExpression: 'claimId = :seen AND #status <> :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':sent': 'sent',
            ':claim': claimId,
            ':lease': leaseUntil,
            ':one': 1,
            ':now': now.toISOString(),
            ':seen': existing.claimId,
          },
        }),
      );
      return { outcome: 'claimed', claimId, attempt: existing.attempts + 1 };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { outcome: 'in_flight', leaseUntil };
    }
  }

  async markSent(k: LedgerKey, claimId: string, result: { providerMessageId: string; recipients: string[]; at: Date }): Promise<void> {
    // Unconditional: the message went out, whoever holds the claim now. A late holder whose lease was
    // taken over still records the truth ("sent"), and the taker then sees it on its next look.
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(k),
        // Out of the outbox index: nothing left to redrive.
        UpdateExpression:
          'SET #status = :sent, providerMessageId = :pid, recipients = :to, sentAt = :at, sentByClaimId = :claim REMOVE leaseUntil, GSI2PK, GSI2SK',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':pid': result.providerMessageId,
          ':to': result.recipients,
          ':at': result.at.toISOString(),
          ':claim': claimId,
        },
      }),
    );
  }

  async release(k: LedgerKey, claimId: string, reason: string, now: Date): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(k),
          UpdateExpression: 'SET #status = :failed, lastError = :reason, failedAt = :now',
          ConditionExpression: 'claimId = :claim AND #status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':sending': 'sending',
            ':reason': reason.slice(0, 500),
            ':now': now.toISOString(),
            ':claim': claimId,
          },
        }),
      );
    } catch (error) {
      // Someone took the claim over meanwhile: theirs is the state that counts.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async recordQueued(messages: EscalationMessage[], now: Date, redriveAt: Date): Promise<void> {
    await Promise.all(
      messages.map(async (m) => {
        try {
          await this.doc.send(
            new PutCommand({
              TableName: this.tableName,
              Item: {
                ...key(m),
                ...outboxKeys(m, redriveAt),
                entity: 'escalation',
                dedupeKey: escalationDedupeKey(m),
                complaintId: m.complaintId,
                milestone: m.milestone,
                round: m.round,
                level: m.level,
                status: 'queued',
                // A claim id of its own, so the first delivery takes it over like any unheld claim.
                claimId: `queued-${randomUUID()}`,
                attempts: 0,
                redrives: 0,
                queuedAt: now.toISOString(),
                message: JSON.stringify(m),
                expiresAt: expiresAt(now),
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            }),
          );
        } catch (error) {
          // Queued (or sent) before: a re-run of the same decision keeps the first marker.
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    );
  }

  async redriveDue(until: string, limit: number, after?: string): Promise<{ key: LedgerKey; cursor: string }[]> {
    const items = await earliestInShards(this.doc, this.tableName, outboxPartition, until, limit, after);
    return items.flatMap((it) => {
      const k = keyOf(it['PK'], it['SK']);
      return k ? [{ key: k, cursor: String(it['GSI2SK']) }] : [];
    });
  }

  async deferRedrive(k: LedgerKey, at: Date, redrives: number): Promise<void> {
    const next = outboxKeys(k, at);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(k),
          UpdateExpression: 'SET GSI2SK = :sk, redrives = :n',
          // Only while it is still in the outbox: a marker sent meanwhile stays out of the index.
          ConditionExpression: 'attribute_exists(GSI2PK) AND #status <> :sent AND #status <> :skipped',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sk': next.GSI2SK, ':n': redrives, ':sent': 'sent', ':skipped': 'skipped' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async markSkipped(k: LedgerKey, reason: string, now: Date): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(k),
          UpdateExpression: 'SET #status = :skipped, skipReason = :reason, skippedAt = :now REMOVE GSI2PK, GSI2SK, leaseUntil',
          // Only a marker that was queued and never sent; a message delivered without one leaves none.
          ConditionExpression: 'attribute_exists(PK) AND #status <> :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':skipped': 'skipped', ':sent': 'sent', ':reason': reason.slice(0, 500), ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async get(k: LedgerKey): Promise<LedgerRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key(k), ConsistentRead: true }));
    const it = out.Item;
    if (!it) return undefined;
    const message = parseMessage(it['message']);
    return {
      dedupeKey: String(it['dedupeKey']),
      status: it['status'] as LedgerRecord['status'],
      claimId: String(it['claimId']),
      attempts: Number(it['attempts'] ?? 1),
      ...(typeof it['leaseUntil'] === 'string' && { leaseUntil: it['leaseUntil'] }),
      ...(typeof it['sqsMessageId'] === 'string' && { sqsMessageId: it['sqsMessageId'] }),
      ...(typeof it['providerMessageId'] === 'string' && { providerMessageId: it['providerMessageId'] }),
      ...(Array.isArray(it['recipients']) && { recipients: it['recipients'].map(String) }),
      ...(typeof it['sentAt'] === 'string' && { sentAt: it['sentAt'] }),
      ...(typeof it['redrives'] === 'number' && { redrives: it['redrives'] }),
      ...(message !== undefined && { message }),
    };
  }
}

/** The stored body, validated like any queue message; `undefined` when absent or not a message. */
function parseMessage(raw: unknown): EscalationMessage | undefined {
  if (typeof raw !== 'string') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = EscalationMessage.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
