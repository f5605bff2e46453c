/**
 * No complaint can be bricked (SPEC "Non-negotiables"; docs/decisions/033-history-pages.md): however many
 * chases a complaint collects, it can still be replied to, called back and closed, its item stays
 * under the budget by DynamoDB's own rules (not dynalite's UTF-16 count), and its whole history is
 * still read back gap-free.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationMessage } from '#domain/escalation.ts';
import { itemSize } from '#store/item-size.ts';
import { complaintKey } from '#store/keys.ts';
import { HISTORY_BUDGET_BYTES } from '#store/history-pages.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { parseEml } from '#test/support/mime.ts';

/**
 * 1,000 chases: 3 MB of notes, 7× DynamoDB's 400 KB item limit and 30× the history budget (about 140 bricked an
 * item before decision 033). Each chase reads and writes the whole item, so more chases add time, not coverage.
 */
const CHASES = 1_000;
/** 1,000 Chinese characters: 3,000 bytes to DynamoDB, 1,000 units to dynalite. */
const note = (i: number) =>
  `第${i}次来电催办：`.concat('投诉人再次来电，称邮件至今未收到，要求尽快查明下落并给出明确答复，否则将向上级部门反映。'.repeat(30)).slice(0, 1000);

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

async function rawItem(id: string) {
  const { doc, tableName } = api.stack.container;
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: complaintKey(id), ConsistentRead: true }));
  return out.Item ?? {};
}

async function pageCount(id: string): Promise<number> {
  const { doc, tableName } = api.stack.container;
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
      ExpressionAttributeValues: { ':pk': `CMP#${id}`, ':h': 'H#' },
      Select: 'COUNT',
    }),
  );
  return out.Count ?? 0;
}

describe('a complaint flooded with chases', () => {
  it(`takes ${CHASES} chases with 1,000-character Chinese notes and is still replied to, called back and closed`, async () => {
    // Prepare: a dispatched complaint.
    const filed = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: '13912345678', waybillNo: 'EA900000001CN' }),
      headers: { 'idempotency-key': `flood-${crypto.randomUUID()}` },
    });
    expect(filed.status).toBe(201);
    const id: string = filed.body.id;
    const assign = await api.request('POST', `/complaints/${id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
    });
    expect(assign.status).toBe(200);

    // Act: the flood, one chase after another (each one reads and writes the whole item).
    const started = Date.now();
    const statuses: number[] = [];
    let conflicts = 0;
    for (let n = 1; n <= CHASES; n++) {
      const chase = () =>
        api.request('POST', `/complaints/${id}/chases`, {
          token: api.tokens.agent,
          body: { via: 'phone', note: note(n) },
          headers: { 'idempotency-key': `chase-${id}-${n}` },
        });
      let res = await chase();
      // The system's own writes (progress updates, leaders' notice) may race a chase: retry with the key.
      for (let retry = 0; res.status === 409 && res.body?.code === 'version-conflict' && retry < 5; retry++, conflicts++) res = await chase();
      statuses.push(res.status);
      if (res.status !== 200) break;
    }
    const floodMillis = Date.now() - started;
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // The escalation consumer still writes into this complaint's history.
    const breach: EscalationMessage = {
      complaintId: id,
      milestone: 'reply',
      round: 1,
      level: 'breach',
      severity: 'urgent',
      unitId: 'gz-tianhe',
      dueAt: new Date(Date.now() - 3_600_000).toISOString(),
      overdueMillis: 3_600_000,
      decidedAt: new Date().toISOString(),
    };
    await api.stack.queue.send([breach]);
    await api.stack.queue.drain();
    expect(api.stack.queue.deadLetters).toEqual([]);
    const mails = await Promise.all(
      (await readdir(api.stack.outboxDir)).filter((f) => f.endsWith('.eml')).map(async (f) => parseEml(await readFile(join(api.stack.outboxDir, f), 'utf8'))),
    );
    expect(mails.filter((m) => m.headers.get('x-dedupe-key') === `${id}#reply#r1#breach`)).toHaveLength(1);

    const contact = await api.request('POST', `/complaints/${id}/contact`, {
      token: api.tokens.handler,
      body: { method: 'phone', note: '已电话联系投诉人，说明正在核查' },
    });
    expect(contact.status).toBe(200);
    const reply = await api.request('POST', `/complaints/${id}/replies`, {
      token: api.tokens.handler,
      body: replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }),
    });
    expect(reply.status).toBe(200);
    const callback = await api.request('POST', `/complaints/${id}/callbacks`, {
      token: api.tokens.agent,
      body: { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent', comments: '投诉人对处理结果满意' },
    });
    expect(callback.status).toBe(200);
    expect(callback.body.status).toBe('closed');

    // Assess: the item is under the budget by DynamoDB's rules; the whole history reads back gap-free.
    const item = await rawItem(id);
    const bytes = itemSize(item);
    expect(bytes).toBeLessThanOrEqual(HISTORY_BUDGET_BYTES);
    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent });
    expect(read.status).toBe(200);
    const history = read.body.history as { seq: number; type: string; data?: { note?: string } }[];
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    const chases = history.filter((e) => e.type === 'chased');
    expect(chases).toHaveLength(CHASES);
    expect(new Set(chases.map((e) => e.data?.note)).size).toBe(CHASES);
    expect(history.map((e) => e.type)).toEqual(
      expect.arrayContaining(['received', 'dispatched', 'escalated', 'contacted', 'replied', 'callback_recorded', 'closed']),
    );
    const track = await api.request('GET', `/track/${String(filed.body.trackingCode).toLowerCase()}`);
    expect(track.body.milestones.map((m: { type: string }) => m.type)).toEqual(expect.arrayContaining(['received', 'dispatched', 'replied', 'closed']));

    const others: Record<string, number> = {};
    for (const e of history) if (e.type !== 'chased') others[e.type] = (others[e.type] ?? 0) + 1;
    // Every note says “否则将向上级部门反映”: one 投诉升级, not one per chase (decision 043).
    expect(others['complaint_escalated']).toBe(1);
    const pages = await pageCount(id);
    expect(pages).toBeGreaterThan(0);
    console.info(
      `[item-size] chases=${CHASES} events=${history.length} itemBytes(DynamoDB rules)=${bytes} pages=${pages} status=${callback.body.status} flood=${floodMillis} ms conflicts=${conflicts} others=${JSON.stringify(others)}`,
    );
  }, 300_000);
});
