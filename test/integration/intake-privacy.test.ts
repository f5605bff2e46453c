/**
 * Public intake reveals nothing and takes over nothing (issue 8, item 1): a stranger who knows a
 * victim's phone and waybill (both printed on the parcel label) learns nothing of the victim's case,
 * cannot make it urgent, and cannot flood the victim's phone. Over HTTP through the real local stack.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import type { Complaint } from '#domain/model.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';
import { ChannelStore } from '#store/channel-store.ts';
import { sh } from '#test/support/sla.ts';

let api: Api | undefined;
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
});

let n = 0;
const mobile = () => `137${String(10_000_000 + Math.floor(Math.random() * 80_000_000) + n++).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `priv-${crypto.randomUUID()}`;

/** A stack on a manual clock that records every escalation message put on the queue. */
async function stack(start = '2026-03-03 10:00') {
  const clock = new ManualClock(sh(start));
  const a = await startApi({ clock });
  const sent: EscalationMessage[] = [];
  const send = a.stack.queue.send.bind(a.stack.queue);
  a.stack.queue.send = async (messages: EscalationMessage[]) => {
    sent.push(...messages);
    return send(messages);
  };
  api = a;
  return { api: a, clock, sent };
}

const publicIntake = (a: Api, body: Record<string, unknown>, headers: Record<string, string> = { 'idempotency-key': key() }) =>
  a.request('POST', '/complaints', { body: intakeBody(body), headers });
const read = async (a: Api, id: string) => (await a.request('GET', `/complaints/${id}`, { token: a.tokens.agent })).body as Complaint;
const smsTo = async (a: Api, phone: string) => (await readSmsOutbox(a.stack.outboxDir)).filter((m) => m.to === `+86${phone}`);

describe('a stranger with the victim’s phone and waybill', () => {
  it('gets a receipt of the same status and shape as a new one, with nothing of the victim’s case', async () => {
    const { api } = await stack();
    const phone = mobile();
    const wb = waybill();
    const victim = await publicIntake(api, { phone, waybillNo: wb });
    const stranger = await publicIntake(api, { phone, waybillNo: wb, name: '李四', content: '我就是想看看这个件的投诉进度。' });
    const fresh = await publicIntake(api, { phone: mobile(), waybillNo: waybill() });

    expect(stranger.status).toBe(victim.status);
    expect(stranger.status).toBe(201);
    expect(Object.keys(stranger.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(Object.keys(stranger.body).sort()).toEqual(Object.keys(victim.body).sort());
    expect(stranger.body.outcome).toBe(victim.body.outcome);
    const said = JSON.stringify(stranger.body);
    expect(said).not.toContain(victim.body.id);
    expect(said).not.toContain(victim.body.trackingCode);
    for (const leak of ['status', 'severity', 'repeatCount', 'deadlines']) expect(stranger.body).not.toHaveProperty(leak);

    // The stranger's own code opens a page that says only that the submission was recorded.
    const page = await api.request('GET', `/track/${stranger.body.trackingCode}`);
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.body)).not.toContain(victim.body.trackingCode);
    expect(page.body.milestones.map((m: { label: string }) => m.label).join()).toContain('短信');
    expect(page.body.deadlines).toEqual([]);
  });

  it('sends the case’s tracking code only by SMS to the phone on file', async () => {
    const { api } = await stack();
    const phone = mobile();
    const wb = waybill();
    const victim = await publicIntake(api, { phone, waybillNo: wb });
    const stranger = await publicIntake(api, { phone, waybillNo: wb, content: '再次反映：邮件仍未收到。' });

    const texts = (await smsTo(api, phone)).map((m) => m.text);
    expect(texts.filter((t) => t.includes(victim.body.trackingCode))).toHaveLength(2); // the receipt, then the repeat notice
    expect(JSON.stringify(stranger.body)).not.toContain(victim.body.trackingCode);
    const all = await readSmsOutbox(api.stack.outboxDir);
    expect(all.filter((m) => m.text.includes(victim.body.trackingCode)).every((m) => m.to === `+86${phone}`)).toBe(true);
  });

  it('cannot make the case urgent nor e-mail the leaders with two calls in one day: severity stays general, chaseCount +1', async () => {
    const { api, clock, sent } = await stack();
    const phone = mobile();
    const wb = waybill();
    const victim = await publicIntake(api, { phone, waybillNo: wb });
    await publicIntake(api, { phone, waybillNo: wb, content: '催一下' });
    await publicIntake(api, { phone, waybillNo: wb, content: '再催一下' });
    clock.set(sh('2026-03-03 11:30'));
    await api.stack.timers.advanceTo(clock.now());
    await api.stack.queue.drain();

    const c = await read(api, victim.body.id);
    expect(c).toMatchObject({ severity: 'general', chaseCount: 1 });
    expect(c.history.filter((e) => e.type === 'repeat_linked')).toHaveLength(2); // both linked in the history
    expect(sent.filter((m) => m.complaintId === c.id && m.level === 'leaders')).toEqual([]);
  });

  it('counts an unverified repeat again on the next Shanghai calendar day', async () => {
    const { api, clock } = await stack('2026-03-03 23:50');
    const phone = mobile();
    const wb = waybill();
    const victim = await publicIntake(api, { phone, waybillNo: wb });
    await publicIntake(api, { phone, waybillNo: wb, content: '催一下' });
    clock.set(sh('2026-03-04 00:05'));
    await publicIntake(api, { phone, waybillNo: wb, content: '第二天再催' });
    expect((await read(api, victim.body.id)).chaseCount).toBe(2);
  });

  it('still counts every chase made by the centre (verified)', async () => {
    const { api } = await stack();
    const phone = mobile();
    const wb = waybill();
    const victim = await publicIntake(api, { phone, waybillNo: wb });
    for (let i = 0; i < 2; i++) {
      const res = await api.request('POST', '/staff/complaints', {
        token: api.tokens.agent,
        body: intakeBody({ phone, waybillNo: wb, channel: 'phone', content: `电话催办第${i + 1}次` }),
        headers: { 'idempotency-key': key() },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: victim.body.id, outcome: 'repeat' }); // staff keep the rich answer
    }
    expect(await read(api, victim.body.id)).toMatchObject({ chaseCount: 2, severity: 'urgent' });
  });
});

describe('an SMS naming someone else’s phone as the callback number', () => {
  it('is linked as an unverified repeat and answers the sender without the case’s tracking code', async () => {
    const { api } = await stack();
    const victim = mobile();
    const attacker = `+86${mobile()}`;
    const filed = await publicIntake(api, { phone: victim, waybillNo: 'EA123456785CN' });
    const outcome = await api.stack.container.channels.receiveSms({
      messageId: `m-${crypto.randomUUID()}`,
      from: attacker,
      text: `我的快递EA123456785CN丢了，请回电${victim}`,
    });
    expect(outcome.kind).toBe('repeat');
    const toAttacker = (await readSmsOutbox(api.stack.outboxDir)).filter((m) => m.to === attacker);
    expect(toAttacker).toHaveLength(1);
    expect(toAttacker[0]?.text).not.toContain(filed.body.trackingCode);
    const c = await read(api, filed.body.id);
    expect(c.history.find((e) => e.type === 'repeat_linked')?.data).toMatchObject({ verified: false });
  });
});

describe('what only staff and signed integrators may file', () => {
  for (const [field, value] of [
    ['source', 'external'],
    ['channel', 'transfer'],
  ] as const) {
    it(`refuses ${field}: ${value} from the public form, naming the field, and writes nothing`, async () => {
      const { api } = await stack();
      const before = await countItems(api.stack);
      const res = await publicIntake(api, { phone: mobile(), waybillNo: waybill(), [field]: value, externalRef: '12305-2026-000123' });
      expect(res.status).toBe(403);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      expect(await countItems(api.stack)).toBe(before);
    });
  }

  it('lets the centre file a 12305 transfer', async () => {
    const { api } = await stack();
    const res = await api.request('POST', '/staff/complaints', {
      token: api.tokens.agent,
      body: intakeBody({ phone: mobile(), waybillNo: waybill(), channel: 'transfer', source: 'external', externalRef: '12305-2026-000124' }),
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(201);
  });
});

describe('the SMS guard', () => {
  it('does not send a 4th receipt SMS to one phone in one Shanghai day', async () => {
    const { api } = await stack();
    const phone = mobile();
    for (let i = 0; i < 4; i++) expect((await publicIntake(api, { phone, waybillNo: waybill() })).status).toBe(201);
    expect(await smsTo(api, phone)).toHaveLength(3);
  });

  it('gives out exactly 3 receipt slots to 6 concurrent receipts for one phone, and the same slot to a retry (one conditional ADD each)', async () => {
    const { api } = await stack();
    const channels = new ChannelStore(api.stack.container.doc, api.stack.container.tableName);
    const phone = `+86${mobile()}`;
    const taken = await Promise.all(Array.from({ length: 6 }, (_, i) => channels.takeReceiptSlot(phone, '2026-03-03', `receipt#C${i}`, 3)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    const holder = taken.findIndex(Boolean);
    expect(await channels.takeReceiptSlot(phone, '2026-03-03', `receipt#C${holder}`, 3)).toBe(true);
    expect(await channels.takeReceiptSlot(phone, '2026-03-04', 'receipt#C9', 3)).toBe(true);
  });

  it('sends no SMS of any kind to a phone after TD, except the one confirmation', async () => {
    const { api } = await stack();
    const phone = mobile();
    const wb = waybill();
    await api.stack.container.channels.receiveSms({ messageId: `m-${crypto.randomUUID()}`, from: `+86${phone}`, text: 'TD' });
    const filed = await publicIntake(api, { phone, waybillNo: wb });
    await publicIntake(api, { phone, waybillNo: wb, content: '再次反映' });
    await api.stack.container.channels.receiveSms({ messageId: `m-${crypto.randomUUID()}`, from: `+86${phone}`, text: `查询 ${filed.body.trackingCode}` });
    await api.request('POST', `/complaints/${filed.body.id}/chases`, {
      token: api.tokens.agent,
      body: { via: 'phone' },
      headers: { 'idempotency-key': key() },
    });
    await api.stack.queue.drain();
    const texts = (await smsTo(api, phone)).map((m) => m.text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('退订');
  });

  it('sends no SMS to a landline', async () => {
    const { api } = await stack();
    const res = await publicIntake(api, { phone: '020-87654321', waybillNo: waybill() });
    expect(res.status).toBe(201);
    expect((await readSmsOutbox(api.stack.outboxDir)).filter((m) => m.to.includes('2087654321'))).toEqual([]);
    expect(res.body).not.toHaveProperty('smsTo');
  });
});
