/**
 * Intake's records besides the complaint item: idempotency keys (`IDEM#<namespace>#<key>`) bound to
 * their caller and request hash, and receipts of public repeats (`RCPT#<id>`, findable by tracking
 * code on GSI4 like a complaint). Invariants are condition expressions; no transactions.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '#domain/zod.ts';
import type { IntakeKeyClaim, IntakeKeyRecord, IntakeLedger } from '#app/ports.ts';
import { CATEGORIES, CHANNELS } from '#domain/model.ts';
import type { Receipt } from '#domain/receipt.ts';
import { intakeKeyKey, receiptKey, trackingPartition } from './keys.ts';
import { trackingCodeOwner } from './queries.ts';
import { RETENTION_YEARS } from './table.ts';

/** How long a key is remembered: far longer than any browser or provider retries (then TTL). */
export const INTAKE_KEY_TTL_DAYS = 30;

const KeyItem = z.object({
  caller: z.string(),
  hash: z.string(),
  result: z.optional(z.object({ complaintId: z.string(), repeat: z.optional(z.boolean()), receiptId: z.optional(z.string()) })),
});

const ReceiptItem = z.object({
  id: z.string(),
  trackingCode: z.string(),
  complaintId: z.string(),
  channel: z.enum(CHANNELS),
  category: z.enum(CATEGORIES),
  waybillNo: z.optional(z.string()),
  name: z.optional(z.string()),
  phone: z.optional(z.string()),
  createdAt: z.string(),
});

export class DynamoIntakeLedger implements IntakeLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claimKey(namespace: string, key: string, record: Omit<IntakeKeyRecord, 'result'>, now: Date): Promise<IntakeKeyClaim> {
    const Key = intakeKeyKey(namespace, key);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Key,
            entity: 'intake_key',
            caller: record.caller,
            hash: record.hash,
            at: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + INTAKE_KEY_TTL_DAYS * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { outcome: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    const stored = KeyItem.parse(out.Item);
    const result = stored.result && {
      complaintId: stored.result.complaintId,
      ...(stored.result.repeat !== undefined && { repeat: stored.result.repeat }),
      ...(stored.result.receiptId !== undefined && { receiptId: stored.result.receiptId }),
    };
    const existing: IntakeKeyRecord = { caller: stored.caller, hash: stored.hash, ...(result && { result }) };
    return existing.caller === record.caller && existing.hash === record.hash ? { outcome: 'same', record: existing } : { outcome: 'reused', record: existing };
  }

  async completeKey(namespace: string, key: string, result: NonNullable<IntakeKeyRecord['result']>): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: intakeKeyKey(namespace, key),
        UpdateExpression: 'SET #result = :result',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#result': 'result' },
        ExpressionAttributeValues: { ':result': result },
      }),
    );
  }

  async putReceipt(receipt: Receipt): Promise<{ created: boolean; receipt: Receipt }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...receiptKey(receipt.id),
            entity: 'receipt',
            ...receipt,
            GSI4PK: trackingPartition(receipt.trackingCode),
            GSI4SK: 'TRK',
            expiresAt: Math.floor(Date.parse(receipt.createdAt) / 1000) + RETENTION_YEARS * 366 * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { created: true, receipt };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.getReceipt(receipt.id);
      if (!stored) throw error;
      return { created: false, receipt: stored };
    }
  }

  async getReceipt(id: string): Promise<Receipt | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: receiptKey(id), ConsistentRead: true }));
    return out.Item ? toReceipt(out.Item) : undefined;
  }

  async findReceiptByTrackingCode(code: string): Promise<Receipt | undefined> {
    const pk = await trackingCodeOwner(this.doc, this.tableName, code);
    return pk?.startsWith('RCPT#') ? this.getReceipt(pk.slice('RCPT#'.length)) : undefined;
  }
}

function toReceipt(item: Record<string, unknown>): Receipt {
  const r = ReceiptItem.parse(item);
  return {
    id: r.id,
    trackingCode: r.trackingCode,
    complaintId: r.complaintId,
    channel: r.channel,
    category: r.category,
    createdAt: r.createdAt,
    ...(r.waybillNo !== undefined && { waybillNo: r.waybillNo }),
    ...(r.name !== undefined && { name: r.name }),
    ...(r.phone !== undefined && { phone: r.phone }),
  };
}
