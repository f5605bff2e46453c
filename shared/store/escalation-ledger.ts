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
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { escalationDedupeKey } from '#domain/escalation.ts';
import type { ClaimResult, EscalationLedger, LedgerKey, LedgerRecord } from '#app/ports.ts';
import { escalationKey } from './keys.ts';
import { RETENTION_YEARS } from './table.ts';

const key = (k: LedgerKey) => escalationKey(k.complaintId, k.milestone, k.round, k.level);

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
            // Records are kept at least 3 years (seed 004); SQS redelivers for 14 days at most.
            expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_YEARS * 366 * 86_400,
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
    const expired = existing.status === 'failed' || (existing.leaseUntil ?? '') <= now.toISOString();
    if (!expired) return { outcome: 'in_flight', leaseUntil: existing.leaseUntil ?? now.toISOString() };
    // Take over a failed or abandoned claim — only the one we saw, so two takers cannot both win.
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(k),
          UpdateExpression: 'SET #status = :sending, claimId = :claim, leaseUntil = :lease, attempts = attempts + :one, claimedAt = :now, previousClaimId = :seen',
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
        UpdateExpression: 'SET #status = :sent, providerMessageId = :pid, recipients = :to, sentAt = :at, sentByClaimId = :claim REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':pid': result.providerMessageId, ':to': result.recipients, ':at': result.at.toISOString(), ':claim': claimId },
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
          ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':reason': reason.slice(0, 500), ':now': now.toISOString(), ':claim': claimId },
        }),
      );
    } catch (error) {
      // Someone took the claim over meanwhile: theirs is the state that counts.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async get(k: LedgerKey): Promise<LedgerRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key(k), ConsistentRead: true }));
    const it = out.Item;
    if (!it) return undefined;
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
    };
  }
}
