import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

let api: Api;
let complaintId: string;
let itemsBefore: number;
let versionBefore: number;

beforeAll(async () => {
  api = await startApi();
  const res = await api.request('POST', '/complaints', { body: intakeBody(), headers: { 'idempotency-key': 'malformed-setup-1' } });
  complaintId = res.body.id;
  await api.request('POST', `/complaints/${complaintId}/assignment`, { token: api.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
  itemsBefore = await countItems(api.stack);
  versionBefore = (await api.request('GET', `/complaints/${complaintId}`, { token: api.tokens.agent })).body.version;
});
afterAll(async () => {
  await api.stack.close();
});

interface Case {
  name: string;
  method?: string;
  path?: string;
  token?: 'agent' | 'handler';
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  status: number;
  field?: string;
}

const intake = (overrides: Record<string, unknown>) => ({ ...intakeBody(), ...overrides });
const without = (field: string) => {
  const b: Record<string, unknown> = intakeBody();
  delete b[field];
  return b;
};

const CASES: Case[] = [
  { name: 'broken JSON', raw: '{"category": "delay",', status: 400, field: '' },
  { name: 'a JSON array', raw: '[1,2,3]', status: 400, field: '' },
  { name: 'a JSON string', raw: '"我要投诉"', status: 400, field: '' },
  { name: 'JSON null', raw: 'null', status: 400, field: '' },
  { name: 'an empty body', raw: '', status: 400, field: 'category' },
  { name: 'missing category', body: without('category'), status: 400, field: 'category' },
  { name: 'missing content', body: without('content'), status: 400, field: 'content' },
  { name: 'content over 4,000 characters', body: intake({ content: '慢'.repeat(4001) }), status: 400, field: 'content' },
  { name: 'empty content', body: intake({ content: '' }), status: 400, field: 'content' },
  { name: 'whitespace-only content', body: intake({ content: '   \n  ' }), status: 400, field: 'content' },
  { name: 'unknown channel', body: intake({ channel: 'fax' }), status: 400, field: 'channel' },
  { name: 'unknown category', body: intake({ category: 'lost' }), status: 400, field: 'category' },
  { name: 'short phone', body: intake({ phone: '12345' }), status: 400, field: 'phone' },
  { name: 'phone as a number', body: intake({ phone: 13800138000 }), status: 400, field: 'phone' },
  { name: 'no phone and not anonymous', body: without('phone'), status: 400, field: 'phone' },
  { name: 'bad e-mail', body: intake({ email: 'not-an-email' }), status: 400, field: 'email' },
  { name: 'too short waybill', body: intake({ waybillNo: 'ab' }), status: 400, field: 'waybillNo' },
  { name: 'SQL injection in the waybill', body: intake({ waybillNo: "'; DROP TABLE complaints;--" }), status: 400, field: 'waybillNo' },
  { name: 'operator object instead of a category', body: intake({ category: { $ne: null } }), status: 400, field: 'category' },
  { name: 'expression injection in the category', body: intake({ category: 'delay OR attribute_exists(PK)' }), status: 400, field: 'category' },
  { name: 'name over 50 characters', body: intake({ name: '张'.repeat(51) }), status: 400, field: 'name' },
  { name: 'unknown field', body: intake({ isAdmin: true }), status: 400, field: 'isAdmin' },
  { name: 'prototype pollution key', raw: JSON.stringify(intakeBody()).replace(/^\{/, '{"__proto__":{"role":"admin"},'), status: 400, field: '__proto__' },
  { name: 'negative declared value', body: intake({ declaredValue: -1 }), status: 400, field: 'declaredValue' },
  { name: 'declared value as a string', body: intake({ declaredValue: '100' }), status: 400, field: 'declaredValue' },
  { name: 'absurd declared value', body: intake({ declaredValue: 1e12 }), status: 400, field: 'declaredValue' },
  { name: 'anonymous as a string', body: intake({ anonymous: 'yes' }), status: 400, field: 'anonymous' },
  { name: 'external source without case number', body: intake({ source: 'external' }), status: 400, field: 'externalRef' },
  { name: 'a lone surrogate (bad unicode)', raw: JSON.stringify(intakeBody()).replace('"content":"', '"content":"\\ud800'), status: 400, field: 'content' },
  { name: 'invalid UTF-8 bytes', raw: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, field: '' },
  { name: 'a control character in the name', body: intake({ name: '张\u0007三' }), status: 400, field: 'name' },
  { name: 'text/plain body', raw: 'category=delay', headers: { 'content-type': 'text/plain' }, status: 415, field: 'header.Content-Type' },
  { name: 'a body over 64 KB', raw: JSON.stringify(intake({ content: 'x'.repeat(70_000) })), status: 413, field: '' },
  { name: 'staff-only field from the public', body: intake({ severity: 'minor', severityReason: '我自己定' }), status: 403 },
  { name: 'a too short Idempotency-Key', body: intakeBody(), headers: { 'idempotency-key': 'abc' }, status: 400, field: 'header.Idempotency-Key' },
  { name: 'region over 64 characters', body: intake({ region: '区'.repeat(65) }), status: 400, field: 'region' },
  { name: 'demand over 1,000 characters', body: intake({ demand: '赔'.repeat(1001) }), status: 400, field: 'demand' },
];

const ID = () => complaintId;
const STAFF_CASES: (Omit<Case, 'path'> & { path: () => string })[] = [
  {
    name: 'assignment without handler',
    method: 'POST',
    path: () => `/complaints/${ID()}/assignment`,
    token: 'agent',
    body: { unitId: 'gz-tianhe' },
    status: 400,
    field: 'handlerId',
  },
  {
    name: 'assignment with unknown field',
    method: 'POST',
    path: () => `/complaints/${ID()}/assignment`,
    token: 'agent',
    body: { unitId: 'gz-tianhe', handlerId: 'th-handler-2', force: true },
    status: 400,
    field: 'force',
  },
  {
    name: 'reply without contact time',
    method: 'POST',
    path: () => `/complaints/${ID()}/replies`,
    token: 'handler',
    body: {
      situation: '经查邮件误分拣至武汉',
      process: { contactedBy: '王芳', method: 'phone', summary: '电话联系说明原因' },
      result: { resolved: true, complainantAccepted: true, summary: '已重新安排投递并妥投' },
      justified: true,
    },
    status: 400,
    field: 'process.contactedAt',
  },
  {
    name: 'reply with a date that is not ISO',
    method: 'POST',
    path: () => `/complaints/${ID()}/replies`,
    token: 'handler',
    body: {
      situation: '经查邮件误分拣至武汉',
      process: { contactedBy: '王芳', contactedAt: '昨天下午', method: 'phone', summary: '电话联系说明原因' },
      result: { resolved: true, complainantAccepted: true, summary: '已重新安排投递并妥投' },
      justified: true,
    },
    status: 400,
    field: 'process.contactedAt',
  },
  {
    name: 'callback with unknown outcome',
    method: 'POST',
    path: () => `/complaints/${ID()}/callbacks`,
    token: 'agent',
    body: { outcome: 'happy' },
    status: 400,
    field: 'outcome',
  },
  {
    name: 'severity “critical”',
    method: 'POST',
    path: () => `/complaints/${ID()}/severity`,
    token: 'agent',
    body: { severity: 'critical', reason: '很急' },
    status: 400,
    field: 'severity',
  },
  {
    name: 'withdrawal with voluntary as a string',
    method: 'POST',
    path: () => `/complaints/${ID()}/withdrawal`,
    token: 'agent',
    body: { voluntary: 'true', confirmedVia: 'phone', note: '确认' },
    status: 400,
    field: 'voluntary',
  },
  {
    name: 'vague reply',
    method: 'POST',
    path: () => `/complaints/${ID()}/replies`,
    token: 'handler',
    body: {
      situation: '已经妥投',
      process: { contactedBy: '王芳', contactedAt: '2026-01-01T00:00:00Z', method: 'phone', summary: '已处理' },
      result: { resolved: true, complainantAccepted: true, summary: '我局正常发出' },
      justified: false,
    },
    status: 422,
    field: 'situation',
  },
  {
    name: 'reply that says delivered without the delivery facts',
    method: 'POST',
    path: () => `/complaints/${ID()}/replies`,
    token: 'handler',
    body: {
      situation: '经查该邮件11月21日因分拣错误误发至武汉，11月25日转回',
      process: { contactedBy: '王芳', contactedAt: '2026-01-01T00:00:00Z', method: 'phone', summary: '11月26日电话联系投诉人说明原因并致歉' },
      result: { resolved: true, complainantAccepted: true, summary: '邮件已于11月26日15时妥投，投诉人表示接受' },
      justified: true,
    },
    status: 422,
    field: 'delivery',
  },
  {
    name: 'unresolved reply without the next contact time',
    method: 'POST',
    path: () => `/complaints/${ID()}/replies`,
    token: 'handler',
    body: {
      situation: '经查该邮件11月21日因分拣错误误发至武汉，正在转回',
      process: { contactedBy: '王芳', contactedAt: '2026-01-01T00:00:00Z', method: 'phone', summary: '11月26日电话联系投诉人说明原因并致歉' },
      result: { resolved: false, complainantAccepted: true, summary: '已发查询单催转回，预计两天内到达' },
      justified: true,
    },
    status: 422,
    field: 'result.nextContactAt',
  },
  {
    name: 'malformed complaint id',
    method: 'POST',
    path: () => '/complaints/../../etc/assignment',
    token: 'agent',
    body: { unitId: 'gz-tianhe', handlerId: 'th-handler-2' },
    status: 404,
  },
  { name: 'unknown complaint id', method: 'POST', path: () => '/complaints/C0000000000000000/chases', token: 'agent', body: { via: 'phone' }, status: 404 },
  { name: 'list limit of 1,000', method: 'GET', path: () => '/complaints?limit=1000', token: 'agent', status: 400, field: 'query.limit' },
  {
    name: 'forged list cursor',
    method: 'GET',
    path: () => `/complaints?status=received&cursor=${Buffer.from('{"PK":"x"}').toString('base64url')}`,
    token: 'agent',
    status: 400,
    field: 'cursor',
  },
  { name: 'unknown list filter', method: 'GET', path: () => '/complaints?owner=me', token: 'agent', status: 400, field: 'query.owner' },
  { name: 'malformed tracking code', method: 'GET', path: () => '/track/%27%20OR%201%3D1', status: 404 },
];

describe('malformed requests get a 4xx problem naming the field, and nothing is written', () => {
  it.each(CASES)('POST /complaints with $name → $status', async (c) => {
    const res = await api.request(c.method ?? 'POST', c.path ?? '/complaints', {
      ...(c.raw !== undefined
        ? { rawBody: c.raw, headers: { 'content-type': 'application/json', ...c.headers } }
        : { body: c.body, ...(c.headers && { headers: c.headers }) }),
    });
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: c.status, type: expect.stringContaining('/problems/') });
    if (c.field !== undefined) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(c.field);
  });

  it.each(STAFF_CASES)('$name → $status', async (c) => {
    const res = await api.request(c.method ?? 'POST', c.path(), {
      ...(c.token && { token: api.tokens[c.token] }),
      ...(c.body !== undefined && { body: c.body }),
    });
    expect(res.status).toBe(c.status);
    expect(res.body.status).toBe(c.status);
    if (c.field !== undefined) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(c.field);
  });

  it('counts at least 30 malformed cases', () => {
    expect(CASES.length + STAFF_CASES.length).toBeGreaterThanOrEqual(30);
  });

  it('wrote nothing: same item count, same complaint version', async () => {
    expect(await countItems(api.stack)).toBe(itemsBefore);
    const read = await api.request('GET', `/complaints/${complaintId}`, { token: api.tokens.agent });
    expect(read.body.version).toBe(versionBefore);
  });

  it('stores an injection string in free text as plain text and returns it unchanged', async () => {
    const content = `<script>alert(1)</script> '; DROP TABLE x;-- {{7*7}} \${process.env}`;
    const res = await api.request('POST', '/complaints', { body: intakeBody({ content, phone: '13700137000' }) });
    expect(res.status).toBe(201);
    const read = await api.request('GET', `/complaints/${res.body.id}`, { token: api.tokens.agent });
    expect(read.body.content).toBe(content);
  });
});
