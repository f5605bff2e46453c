/**
 * Issue 8 item 5: personal data inside free text is masked wherever masked data is shown — the
 * staff view of a viewer who does not see identity, the leaders' e-mail and the tracking page —
 * while the assigned handler and the centre see it in full. Over HTTP on the real local stack.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { parseEml } from '#test/support/mime.ts';

/** What the complainant wrote about themself: every kind the masker knows. */
const PII = { mobile: '13912345678', landline: '020-87654321', idNumber: '440106199001011234', email: 'chen.xiaoming@example.com' };
const MASKED = { mobile: '139****5678', landline: '020-******21', idNumber: '*'.repeat(18), email: 'c***@example.com' };
const RAW = Object.values(PII);

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

const randomMobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const randomWaybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const now = () => new Date().toISOString();

async function settle(): Promise<void> {
  await api.stack.timers.idle();
  await api.stack.queue.drain();
}

/** A complaint whose content, demand, notes and reply all carry personal data, dispatched to th-handler-1. */
async function complaintFullOfPersonalData(
  content = `邮件${randomWaybill()}丢失。我的手机${PII.mobile}，单位座机${PII.landline}，身份证${PII.idNumber}，邮箱${PII.email}。`,
) {
  const filed = await api.request('POST', '/complaints', {
    body: intakeBody({ phone: randomMobile(), waybillNo: randomWaybill(), content, demand: `请回电${PII.landline}或发邮件到${PII.email}` }),
  });
  expect(filed.status).toBe(201);
  const id = filed.body.id as string;
  const step = async (path: string, token: string, body: unknown) => {
    const res = await api.request('POST', `/complaints/${id}/${path}`, { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  await step('assignment', api.tokens.agent, { unitId: 'gz-tianhe', handlerId: 'th-handler-1', note: `投诉人另留手机${PII.mobile}` });
  await settle();
  await step('contact', api.tokens.handler, { method: 'phone', note: `已拨打${PII.landline}，投诉人要求书面答复至${PII.email}` });
  return { id, trackingCode: filed.body.trackingCode as string, step };
}

describe('personal data in free text', () => {
  it('shows the leader, quality and an unassigned handler masked content, demand and notes', async () => {
    const { id } = await complaintFullOfPersonalData();
    for (const token of [api.tokens.leader, api.tokens.quality, api.tokens.otherHandler]) {
      const res = await api.request('GET', `/complaints/${id}`, { token });
      expect(res.status).toBe(200);
      const json = JSON.stringify(res.body);
      for (const raw of RAW) expect(json).not.toContain(raw);
      expect(res.body.content).toContain(MASKED.mobile);
      expect(res.body.content).toContain(MASKED.landline);
      expect(res.body.content).toContain(MASKED.idNumber);
      expect(res.body.demand).toBe(`请回电${MASKED.landline}或发邮件到${MASKED.email}`);
      const notes = res.body.history.map((e: { data?: { note?: string } }) => e.data?.note).filter(Boolean);
      expect(notes).toEqual([`投诉人另留手机${MASKED.mobile}`, `已拨打${MASKED.landline}，投诉人要求书面答复至${MASKED.email}`]);
    }
  });

  it('shows the assigned handler and the centre the content and notes in full', async () => {
    const { id } = await complaintFullOfPersonalData();
    for (const token of [api.tokens.handler, api.tokens.agent, api.tokens.admin]) {
      const res = await api.request('GET', `/complaints/${id}`, { token });
      const json = JSON.stringify(res.body);
      for (const raw of RAW) expect(json).toContain(raw);
      expect(res.body.content).toContain(PII.idNumber);
    }
  });

  it('masks the reply’s texts for viewers who do not see identity, also in the command’s own response', async () => {
    const { id } = await complaintFullOfPersonalData();
    const reply = replyBody({
      situation: `经查邮件因分拣错误延误两天，投诉人身份证${PII.idNumber}已核验。`,
      process: { ...replyBody().process, contactedAt: now(), summary: `通过${PII.mobile}联系投诉人说明情况并致歉。` },
      result: { resolved: true, complainantAccepted: true, summary: `结果已发送至${PII.email}，投诉人表示接受。` },
    });
    const asLeader = await api.request('POST', `/complaints/${id}/replies`, { token: api.tokens.leader, body: reply });
    expect(asLeader.status, JSON.stringify(asLeader.body)).toBe(200);
    for (const raw of RAW) expect(JSON.stringify(asLeader.body)).not.toContain(raw);
    expect(asLeader.body.reply.process.summary).toBe(`通过${MASKED.mobile}联系投诉人说明情况并致歉。`);
    const asHandler = await api.request('GET', `/complaints/${id}`, { token: api.tokens.handler });
    expect(asHandler.body.reply.result.summary).toBe(`结果已发送至${PII.email}，投诉人表示接受。`);
  });

  it('masks an extension request’s reason (延期申请, decision 069) for the leader who decides it, and shows it to the handler in full', async () => {
    const { id } = await complaintFullOfPersonalData();
    const reason = `需到${PII.landline}所在单位调取投递记录`;
    const viewed = await api.request('GET', `/complaints/${id}`, { token: api.tokens.handler });
    const due = Date.parse(viewed.body.deadlines.find((d: { milestone: string }) => d.milestone === 'reply').dueAt);
    await api.request('POST', `/complaints/${id}/extension-requests`, {
      token: api.tokens.handler,
      body: { reason, requestedDueAt: new Date(due + 3_600_000).toISOString() },
    });
    const asLeader = await api.request('GET', `/complaints/${id}`, { token: api.tokens.leader });
    expect(asLeader.body.extensionRequest.reason).toBe(`需到${MASKED.landline}所在单位调取投递记录`);
    for (const raw of RAW) expect(JSON.stringify(asLeader.body)).not.toContain(raw);
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.handler })).body.extensionRequest.reason).toBe(reason);
  });

  it('masks the reply summary and an extension’s reason on the public tracking page', async () => {
    const { trackingCode, step } = await complaintFullOfPersonalData();
    await step('extensions', api.tokens.leader, { milestone: 'reply', reason: `需到${PII.landline}所在单位调取监控录像` });
    await settle();
    const reply = replyBody({
      process: { ...replyBody().process, contactedAt: now() },
      result: { resolved: true, complainantAccepted: true, summary: `已电话${PII.mobile}告知处理结果，投诉人接受。` },
    });
    await step('replies', api.tokens.handler, reply);
    const page = await api.request('GET', `/track/${trackingCode}`);
    expect(page.status).toBe(200);
    for (const raw of RAW) expect(JSON.stringify(page.body)).not.toContain(raw);
    expect(page.body.result.summary).toBe(`已电话${MASKED.mobile}告知处理结果，投诉人接受。`);
    expect(page.body.milestones.find((m: { type: string }) => m.type === 'deadline_extended').note).toBe(`需到${MASKED.landline}所在单位调取监控录像`);
  });

  it('keeps landlines, e-mail addresses and ID numbers of the content out of the leaders’ e-mail (.eml)', async () => {
    const content = `邮件${randomWaybill()}丢失，再不处理我就打12315投诉！单位座机${PII.landline}，邮箱${PII.email}，身份证${PII.idNumber}，手机${PII.mobile}。`;
    const filed = await api.request('POST', '/complaints', { body: intakeBody({ phone: randomMobile(), waybillNo: randomWaybill(), content }) });
    expect(filed.status).toBe(201);
    await settle();
    const files = (await readdir(api.stack.outboxDir)).filter((f) => f.endsWith('.eml'));
    const mails = (await Promise.all(files.map(async (f) => parseEml(await readFile(join(api.stack.outboxDir, f), 'utf8'))))).filter((m) =>
      m.headers.get('x-dedupe-key')?.startsWith(`${filed.body.id}#`),
    );
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    const text = [mail?.subject ?? '', ...(mail?.parts ?? []).map((p) => p.body)].join('\n');
    expect(text).toContain('投诉内容');
    for (const raw of RAW) expect(text).not.toContain(raw);
    expect(text).toContain(MASKED.landline);
    expect(text).toContain(MASKED.email);
  });
});
