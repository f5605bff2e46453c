import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelService } from '#app/channels.ts';
import { shanghaiMonthDay } from '#domain/shanghai-time.ts';
import type { SmsMessage, SmsSender } from '#app/ports.ts';
import { parseIvrWebhook } from '#domain/channels/ivr-inbound.ts';
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { log } from '#adapters/log.ts';
import { signatureHeaders } from '#http/signature.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { handler as smsHandler } from '#functions/channel-sms/handler.ts';
import { ChannelStore } from '#store/channel-store.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

/** Captures outbound SMS so the test can read what the complainant would receive. */
class CapturingSms implements SmsSender {
  sent: SmsMessage[] = [];
  async send(message: SmsMessage) {
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}

let api: Api;
let channels: ChannelService;
const sms = new CapturingSms();
let n = 0;
const phone = () => `+86135${String(10_000_000 + n++).padStart(8, '0')}`;
const msgId = () => `msg-${crypto.randomUUID()}`;

beforeAll(async () => {
  api = await startApi();
  const c = api.stack.container;
  channels = new ChannelService({ complaints: c.service, store: c.store, channels: new ChannelStore(c.doc, c.tableName), sms, clock: c.clock, logger: log });
});
afterAll(async () => {
  await api.stack.close();
});
beforeEach(() => {
  sms.sent = [];
});

describe('inbound SMS', () => {
  it('files a complaint from Chinese free text with the waybill and category it names', async () => {
    const from = phone();
    const outcome = await channels.receiveSms({ messageId: msgId(), from, text: '我的快递EA123456785CN寄了十天还没到😡，急用！' });
    expect(outcome.kind).toBe('created');
    const complaint = await api.stack.container.store.get(outcome.complaintId ?? '');
    expect(complaint).toMatchObject({ channel: 'sms', category: 'delay', waybillNo: 'EA123456785CN', complainant: { phone: from } });
  });

  it('replays a retried message id without a second complaint or a second reply', async () => {
    const id = msgId();
    const message = { messageId: id, from: phone(), text: '包裹1151234567890破损，里面的杯子碎了' };
    const first = await channels.receiveSms(message);
    const before = await countItems(api.stack);
    const again = await channels.receiveSms(message);
    expect(again).toMatchObject({ kind: 'replayed', complaintId: first.complaintId });
    expect(await countItems(api.stack)).toBe(before);
  });

  it('recovers a waybill split across two parts of a long SMS', async () => {
    const from = phone();
    const first = await channels.receiveSms({
      messageId: msgId(),
      from,
      text: '你好，我寄的国际邮件EA1234',
      part: { reference: '77', partNumber: 1, totalParts: 2 },
    });
    expect(first.kind).toBe('incomplete');
    const second = await channels.receiveSms({
      messageId: msgId(),
      from,
      text: '56785CN一直没有妥投，已经丢了吧？',
      part: { reference: '77', partNumber: 2, totalParts: 2 },
    });
    expect(second.kind).toBe('created');
    expect((await api.stack.container.store.get(second.complaintId ?? ''))?.waybillNo).toBe('EA123456785CN');
  });

  it('treats a text from a phone with an open complaint as a chase of it', async () => {
    const from = phone();
    const created = await channels.receiveSms({ messageId: msgId(), from, text: '邮件1151234567890延误一周了' });
    const chase = await channels.receiveSms({ messageId: msgId(), from, text: '怎么还没人联系我？' });
    expect(chase).toMatchObject({ kind: 'chase', complaintId: created.complaintId });
    expect(sms.sent.at(-1)?.text).toContain(created.trackingCode);
    expect((await api.stack.container.store.get(created.complaintId ?? ''))?.chaseCount).toBe(1);
  });

  it('files a new complaint when the text names a different waybill', async () => {
    const from = phone();
    const first = await channels.receiveSms({ messageId: msgId(), from, text: '邮件1151234567890延误' });
    const second = await channels.receiveSms({ messageId: msgId(), from, text: '另一个邮件9876543210123也丢了' });
    expect(second.kind).toBe('created');
    expect(second.complaintId).not.toBe(first.complaintId);
  });

  it('answers a status query only to the complainant’s own phone', async () => {
    const from = phone();
    const created = await channels.receiveSms({ messageId: msgId(), from, text: '邮件1151234567891丢失' });
    await channels.receiveSms({ messageId: msgId(), from, text: `查询 ${created.trackingCode}` });
    expect(sms.sent.at(-1)).toMatchObject({ to: from, text: expect.stringContaining('已受理') });
    const stranger = phone();
    await channels.receiveSms({ messageId: msgId(), from: stranger, text: `查询 ${created.trackingCode}` });
    expect(sms.sent.at(-1)).toMatchObject({ to: stranger, text: expect.stringContaining('未找到') });
  });

  it('records an unsubscribe (退订) and confirms it', async () => {
    const from = phone();
    const outcome = await channels.receiveSms({ messageId: msgId(), from, text: 'TD' });
    expect(outcome.kind).toBe('unsubscribe');
    expect(sms.sent.at(-1)?.text).toContain('退订');
  });
});

describe('IVR', () => {
  const call = (over: Record<string, unknown> = {}) => {
    const parsed = parseIvrWebhook({
      callId: `call-${crypto.randomUUID()}`,
      callerNumber: '13912345678',
      menuPath: ['1', '3'],
      startedAt: '2026-11-26T02:00:00Z',
      ...over,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.value;
  };

  it('files the call with the category of its menu path and answers with speech for the caller', async () => {
    const outcome = await channels.receiveIvr(call({ callerNumber: phone().slice(3), waybillNo: '1151234567892', transcript: '包裹外包装破了，里面东西少了' }));
    expect(outcome.kind).toBe('created');
    expect(outcome.speech).toContain('查询码');
    const complaint = await api.stack.container.store.get(outcome.complaintId ?? '');
    expect(complaint).toMatchObject({ channel: 'ivr', category: 'damage', waybillNo: '1151234567892' });
  });

  it('promises the caller the planned first contact, by the severity: dispatch due + 2 hours for a major complaint', async () => {
    // An EMS loss goes to the hub, which works every day: the 2 hours are wall clock (an office-hours unit's
    // promise moves to its next working instant: told.test.ts).
    const outcome = await channels.receiveIvr(
      call({ callerNumber: phone().slice(3), menuPath: ['1', '1'], waybillNo: 'EA123456785CN', transcript: '邮件丢了，再不处理我就打12315投诉' }),
    );
    const complaint = await api.stack.container.store.get(outcome.complaintId ?? '');
    expect(complaint?.severity).toMatch(/major|urgent/);
    expect(complaint?.suggestedUnitId).toBe('gz-hub');
    const dispatchDue = Date.parse(complaint?.deadlines.find((d) => d.milestone === 'dispatch')?.dueAt ?? '');
    expect(outcome.speech).toContain(`我们将于${shanghaiMonthDay(new Date(dispatchDue + 2 * 3_600_000))}前与您联系`);
  });

  it('is idempotent by call id', async () => {
    const c = call({ callerNumber: phone().slice(3) });
    const first = await channels.receiveIvr(c);
    const again = await channels.receiveIvr(c);
    expect(again).toMatchObject({ kind: 'replayed', complaintId: first.complaintId });
  });

  it('files a withheld caller as anonymous unless a callback number was keyed in', async () => {
    const anonymous = await channels.receiveIvr(call({ callerNumber: 'anonymous' }));
    expect((await api.stack.container.store.get(anonymous.complaintId ?? ''))?.complainant.anonymous).toBe(true);
    const callback = phone();
    const withNumber = await channels.receiveIvr(call({ callerNumber: 'anonymous', callbackNumber: callback }));
    expect((await api.stack.container.store.get(withNumber.complaintId ?? ''))?.complainant).toMatchObject({ anonymous: false, phone: callback });
  });
});

describe('channel webhooks over HTTP (signed)', () => {
  const signed = async (path: string, body: unknown, opts: { secret?: string; at?: Date; raw?: string } = {}) => {
    const raw = opts.raw ?? JSON.stringify(body);
    const headers = signatureHeaders(opts.secret ?? LOCAL_CHANNEL_SECRET, opts.at ?? new Date(), raw);
    return api.request('POST', path, { rawBody: raw, headers: { 'content-type': 'application/json', ...headers } });
  };
  const smsBody = (over: Record<string, unknown> = {}) => ({
    messageId: msgId(),
    from: phone(),
    to: '95580',
    text: '快递1151234567893三天没更新物流，是不是丢了',
    receivedAt: new Date().toISOString(),
    ...over,
  });

  it('files a complaint from a signed SMS webhook and texts the receipt with the tracking code', async () => {
    const body = smsBody();
    const res = await signed('/channels/sms', body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'created', trackingCode: expect.stringMatching(/^[0-9A-Z]{12}$/) });
    const texts = await readSmsOutbox(api.stack.outboxDir);
    expect(texts.find((t) => t.to === body.from)?.text).toContain(res.body.trackingCode);
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret-at-all-0000' }],
    ['a timestamp six minutes old', { at: new Date(Date.now() - 6 * 60_000) }],
  ])('refuses %s with 401 and writes nothing', async (_name, opts) => {
    const before = await countItems(api.stack);
    const res = await signed('/channels/sms', smsBody(), opts);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expect(await countItems(api.stack)).toBe(before);
  });

  it('refuses a tampered body (signature over another body)', async () => {
    const raw = JSON.stringify(smsBody());
    const headers = signatureHeaders(LOCAL_CHANNEL_SECRET, new Date(), raw);
    const res = await api.request('POST', '/channels/sms', {
      rawBody: raw.replace('三天', '十天'),
      headers: { 'content-type': 'application/json', ...headers },
    });
    expect(res.status).toBe(401);
  });

  it('answers a signed but malformed SMS webhook with 400 naming the field', async () => {
    const res = await signed('/channels/sms', smsBody({ from: 'not-a-phone' }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).join()).toContain('from');
  });

  it('files an IVR call and answers with what to read out', async () => {
    const res = await signed('/channels/ivr', {
      callId: `call-${crypto.randomUUID()}`,
      callerNumber: phone(),
      menuPath: ['2', '1'],
      transcript: '投递员态度很差',
      startedAt: new Date().toISOString(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'created', speech: expect.stringContaining('查询码') });
    expect((await api.stack.container.store.get(res.body.complaintId))?.category).toBe('attitude');
  });

  it('accepts AWS End User Messaging two-way SMS delivered by SNS straight to the function', async () => {
    const from = phone();
    const inbound = {
      originationNumber: from,
      destinationNumber: '+8610690000',
      messageKeyword: 'KEYWORD',
      messageBody: '邮件EA123456785CN破损了',
      inboundMessageId: `in-${crypto.randomUUID()}`,
    };
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            MessageId: crypto.randomUUID(),
            TopicArn: 'arn:aws:sns:cn-north-1:123456789012:inbound-sms',
            Timestamp: new Date().toISOString(),
            Message: JSON.stringify(inbound),
          },
        },
      ],
    };
    await smsHandler(event as never, {} as never);
    const open = await api.stack.container.store.findByPhone(from);
    expect(open).toHaveLength(1);
    expect((await api.stack.container.store.get(open[0]?.id ?? ''))?.category).toBe('damage');
  });
});
