/**
 * No channel message is ever lost: hostile senders and texts through the signed webhooks over HTTP, a
 * message another delivery is processing, a failure after the claim, and a claim left by a crash.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelService } from '#app/channels.ts';
import type { ComplaintService } from '#app/complaints.ts';
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { log } from '#adapters/log.ts';
import { signatureHeaders } from '#http/signature.ts';
import { ChannelStore } from '#store/channel-store.ts';
import { messageKey } from '#store/keys.ts';
import { startApi, type Api } from '#test/support/local.ts';

let api: Api;
let n = 0;
/** A fresh mainland mobile per test, so that no test's complaint is another's "open complaint". */
const mobile = () => `+86137${String(20_000_000 + n++).padStart(8, '0')}`;
const msgId = () => `msg-${crypto.randomUUID()}`;

beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

const signed = async (path: string, raw: string) => {
  const headers = signatureHeaders(LOCAL_CHANNEL_SECRET, new Date(), raw);
  return api.request('POST', path, { rawBody: raw, headers: { 'content-type': 'application/json', ...headers } });
};
const sms = (over: Record<string, unknown>) =>
  JSON.stringify({ messageId: msgId(), from: mobile(), to: '95580', text: '邮件1151234567893三天没更新物流', receivedAt: new Date().toISOString(), ...over });
const ivr = (over: Record<string, unknown>) =>
  JSON.stringify({ callId: `call-${crypto.randomUUID()}`, callerNumber: mobile(), menuPath: ['1', '2'], startedAt: new Date().toISOString(), ...over });

/** The claim record of a message, as the store keeps it (undefined when none is left). */
async function claimOf(channel: string, id: string): Promise<Record<string, unknown> | undefined> {
  const { doc, tableName } = api.stack.container;
  return (await doc.send(new GetCommand({ TableName: tableName, Key: messageKey(channel, id), ConsistentRead: true }))).Item;
}

/** Where a hostile message may end: an outcome, or a 4xx problem naming a field. Never a 5xx. */
const FILED = ['created', 'repeat', 'chase', 'ignored'];

describe('hostile senders and texts through the signed webhooks', () => {
  it.each([
    ['an SMS from a Hong Kong mobile', 'sms', { from: '+85291234567' }, '+85291234567'],
    ['an SMS from a +86 Guangzhou landline', 'sms', { from: '+862012345678' }, '+862012345678'],
    ['an SMS from a landline written 020-12345678', 'sms', { from: '020-12345678' }, '+862012345678'],
    ['an IVR call from the landline 020-12345678', 'ivr', { callerNumber: '020-12345678' }, '+862012345678'],
    ['an IVR call from (0755)1234567 in full-width digits', 'ivr', { callerNumber: '（０７５５）１２３４５６７' }, '+867551234567'],
    ['an IVR call from a US number', 'ivr', { callerNumber: '+1 212 555 0100' }, '+12125550100'],
  ])('files %s with the canonical number', async (_name, channel, over, canonical) => {
    // Prepare: a waybill per case, so that reruns of the same landline make a new case or a repeat, not a failure
    const waybillNo = `11${String(Date.now()).slice(-9)}${String(n++).padStart(2, '0')}`;
    const raw = channel === 'sms' ? sms({ text: `邮件${waybillNo}丢了`, ...over }) : ivr({ waybillNo, ...over });
    // Act
    const res = await signed(`/channels/${channel}`, raw);
    // Assess
    expect(res.status).toBe(200);
    expect(['created', 'repeat']).toContain(res.body.kind);
    expect((await api.stack.container.store.get(res.body.complaintId))?.complainant.phone).toBe(canonical);
  });

  it('does not promise an IVR caller on a landline a text message', async () => {
    // Act
    const res = await signed('/channels/ivr', ivr({ callerNumber: '010-87654321' }));
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.speech).not.toContain('短信');
  });

  it.each([
    ['a lone high surrogate', '邮件1151234567894丢了\uD83D'],
    ['a lone low surrogate', '\uDE00包裹破损了'],
    ['control characters', '包裹\u0007\u001B[31m破损\u0008了'],
    ['NUL bytes', '包裹\u0000丢了\u0000'],
    ['C1 controls', '包裹\u0085\u009B延误'],
    ['an RTL override', '\u202E了丢裹包\u202C 邮件1151234567895'],
    ['only emoji', '😡😡😡👍🏻'],
    ['only control characters', '\u0000\u0001\u202E'],
    ['only a lone surrogate', '\uD800'],
  ])('answers an SMS with %s with an outcome or a 4xx, and leaves no claim processing', async (_name, text) => {
    // Prepare
    const id = msgId();
    // Act
    const res = await signed('/channels/sms', sms({ messageId: id, text }));
    // Assess
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) expect(FILED).toContain(res.body.kind);
    else expect(res.body.errors?.length).toBeGreaterThan(0);
    expect((await claimOf('sms', id))?.['status']).not.toBe('processing');
    if (res.body.complaintId) {
      const content = (await api.stack.container.store.get(res.body.complaintId))?.content ?? '';
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserts control characters are gone
      expect(content).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
      expect(content).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it('asks an emoji-only SMS for words instead of filing it', async () => {
    // Act
    const res = await signed('/channels/sms', sms({ text: '😭😭😭' }));
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'ignored', reply: expect.stringContaining('文字') });
  });

  it('files an IVR call whose transcript has NUL, a lone surrogate and an RTL override', async () => {
    // Act
    const res = await signed('/channels/ivr', ivr({ transcript: '投递员\u0000态度\uD83D很差\u202E' }));
    // Assess
    expect(res.status).toBe(200);
    expect((await api.stack.container.store.get(res.body.complaintId))?.content).toContain('投递员态度\uFFFD很差');
  });

  it.each([
    ['a bare 8-digit landline without area code', { from: '87654321' }, 'from', 'area code'],
    ['a bank short code as sender', { from: '95543' }, 'from', 'service number'],
    ['a message id with a control character', { messageId: 'id-\u0007-1' }, 'messageId', 'ASCII'],
  ])('refuses an SMS with %s with 400 naming the field', async (_name, over, field, reason) => {
    // Act
    const res = await signed('/channels/sms', sms(over));
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: `$.${field}`, message: expect.stringContaining(reason) });
  });

  it('refuses an IVR call from a bare 7-digit number with 400 naming callerNumber', async () => {
    // Act
    const res = await signed('/channels/ivr', ivr({ callerNumber: '1234567' }));
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: '$.callerNumber', message: expect.stringContaining('area code') });
  });

  it('refuses a 2 MB SMS at the edge with 413 and writes no claim', async () => {
    // Prepare
    const id = msgId();
    // Act
    const res = await signed('/channels/sms', sms({ messageId: id, text: '丢'.repeat(700_000) }));
    // Assess
    expect(res.status).toBe(413);
    expect(await claimOf('sms', id)).toBeUndefined();
  });
});

describe('a message in progress, a failure after the claim, a crashed delivery', () => {
  const store = () => new ChannelStore(api.stack.container.doc, api.stack.container.tableName);

  it('answers 503 with Retry-After (the rest of the lease) while another delivery holds the message', async () => {
    // Prepare: a live delivery claimed the message 20 s ago (lease 60 s)
    const id = msgId();
    await store().claim('sms', id, new Date(Date.now() - 20_000));
    // Act
    const res = await signed('/channels/sms', sms({ messageId: id }));
    // Assess
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('message-in-progress');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(38);
    expect(retryAfter).toBeLessThanOrEqual(41);
  });

  it('takes over a claim left by a crash once its lease has passed, and files the message once', async () => {
    // Prepare: a delivery claimed the message 61 s ago and died without releasing it
    const id = msgId();
    const from = mobile();
    await store().claim('sms', id, new Date(Date.now() - 61_000));
    const raw = sms({ messageId: id, from });
    // Act
    const res = await signed('/channels/sms', raw);
    const again = await signed('/channels/sms', raw);
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('created');
    expect(again.body).toMatchObject({ kind: 'replayed', complaintId: res.body.complaintId });
    expect(await api.stack.container.store.findByPhone(from)).toHaveLength(1);
  });

  it('answers the retry with the complaint a crashed delivery filed before recording it, without chasing it', async () => {
    // Prepare: the first delivery filed the complaint, then died before marking the message done
    const id = msgId();
    const from = mobile();
    const raw = sms({ messageId: id, from, text: '投递员态度很差，还骂人' });
    const first = await signed('/channels/sms', raw);
    const { doc, tableName } = api.stack.container;
    const stale = new Date(Date.now() - 61_000).toISOString();
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...messageKey('sms', id), entity: 'message', status: 'processing', claimedAt: stale, claimToken: 'dead' },
      }),
    );
    // Act
    const retry = await signed('/channels/sms', raw);
    // Assess
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ kind: 'created', complaintId: first.body.complaintId });
    expect((await api.stack.container.store.get(first.body.complaintId))?.chaseCount ?? 0).toBe(0);
    expect(await api.stack.container.store.findByPhone(from)).toHaveLength(1);
  });

  it('gives the claim back after a failure, so the retry files the complaint at once', async () => {
    // Prepare: intake fails once, as a throttled table would
    const c = api.stack.container;
    let failures = 1;
    const flaky = new Proxy(c.service, {
      get(target, prop, receiver) {
        if (prop === 'submit' && failures-- > 0) return async () => Promise.reject(new Error('ProvisionedThroughputExceededException'));
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ComplaintService;
    const channels = new ChannelService({ complaints: flaky, store: c.store, channels: store(), sms: c.sms, clock: c.clock, logger: log });
    const message = { messageId: msgId(), from: mobile(), text: '邮件1151234567896丢了' };
    // Act
    const failed = await channels.receiveSms(message).then(
      () => undefined,
      (error: unknown) => error,
    );
    const claimAfterFailure = await claimOf('sms', message.messageId);
    const retried = await channels.receiveSms(message);
    // Assess
    expect(failed).toMatchObject({ name: 'Unavailable', code: 'channel-unavailable', retryAfterSeconds: 1 });
    expect(claimAfterFailure).toBeUndefined();
    expect(retried.kind).toBe('created');
    expect(await c.store.findByPhone(message.from)).toHaveLength(1);
  });
});
