/**
 * Idempotency keys are bound to their request (issue 8, item 4): a key belongs to its caller and to
 * the hash of its request. Same key + same request → the first result; same key + another request
 * or another caller → 422 `idempotency-key-reused`, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHash } from '#domain/ids.ts';
import { IntakeRequest } from '#domain/schemas.ts';
import { DynamoIntakeLedger } from '#store/intake-ledger.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

let n = 0;
const mobile = () => `135${String(20_000_000 + Math.floor(Math.random() * 70_000_000) + n++).padStart(8, '0')}`;
const waybill = () => `EB${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `idem-${crypto.randomUUID()}`;
const post = (path: string, body: unknown, k: string, token?: string) =>
  api.request('POST', path, { body, headers: { 'idempotency-key': k }, ...(token !== undefined && { token }) });
const version = async (id: string) => (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body.version as number;

describe('intake keys', () => {
  it('answers the same key with the same body with the first result', async () => {
    const k = key();
    const body = intakeBody({ phone: mobile(), waybillNo: waybill() });
    const first = await post('/complaints', body, k);
    const before = await countItems(api.stack);
    const again = await post('/complaints', body, k);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await countItems(api.stack)).toBe(before);
  });

  it('refuses the same key with another waybill (422) and writes nothing', async () => {
    const k = key();
    const phone = mobile();
    expect((await post('/complaints', intakeBody({ phone, waybillNo: waybill() }), k)).status).toBe(201);
    const before = await countItems(api.stack);
    const res = await post('/complaints', intakeBody({ phone, waybillNo: waybill() }), k);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency-key-reused');
    expect(await countItems(api.stack)).toBe(before);
  });

  it('refuses the same key with another text and no waybill (422)', async () => {
    const k = key();
    const phone = mobile();
    await post('/complaints', intakeBody({ phone, waybillNo: undefined }), k);
    const res = await post('/complaints', intakeBody({ phone, waybillNo: undefined, content: '另一件事' }), k);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency-key-reused');
  });

  it('refuses a key that another caller used first, even with the same body (422)', async () => {
    const k = key();
    const body = intakeBody({ phone: mobile(), waybillNo: waybill(), channel: 'phone' });
    expect((await post('/staff/complaints', body, k, api.tokens.agent)).status).toBe(201);
    const before = await countItems(api.stack);
    const res = await post('/complaints', body, k);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency-key-reused');
    expect(await countItems(api.stack)).toBe(before);
  });

  it('replays a public repeat with the same receipt and links it once', async () => {
    const phone = mobile();
    const wb = waybill();
    const first = await post('/complaints', intakeBody({ phone, waybillNo: wb }), key());
    const k = key();
    const body = intakeBody({ phone, waybillNo: wb, content: '再次反映，仍未收到' });
    const [a, b] = await Promise.all([post('/complaints', body, k), post('/complaints', body, k)]);
    const c = await post('/complaints', body, k);
    expect(new Set([a.body.trackingCode, b.body.trackingCode, c.body.trackingCode]).size).toBe(1);
    expect(a.body.trackingCode).not.toBe(first.body.trackingCode);
    const complaint = (await api.request('GET', `/complaints/${first.body.id}`, { token: api.tokens.agent })).body;
    expect(complaint.history.filter((e: { type: string }) => e.type === 'repeat_linked')).toHaveLength(1);
  });

  it('answers a retried staff repeat as the first time: 200, outcome repeat, linked once', async () => {
    const phone = mobile();
    const wb = waybill();
    const first = await post('/complaints', intakeBody({ phone, waybillNo: wb }), key());
    const k = key();
    const body = intakeBody({ phone, waybillNo: wb, channel: 'phone', content: '客户来电再次反映' });
    const a = await post('/staff/complaints', body, k, api.tokens.agent);
    const b = await post('/staff/complaints', body, k, api.tokens.agent);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toMatchObject({ id: first.body.id, outcome: 'repeat', repeatCount: 1 });
    expect(b.headers.get('idempotency-replayed')).toBe('true');
  });
});

describe('a crash between the key record and the complaint', () => {
  it('leaves a pending key that a retry with the same request completes', async () => {
    const k = key();
    const body = intakeBody({ phone: mobile(), waybillNo: waybill() });
    // The first attempt wrote its key record and died before the complaint put.
    const { doc, tableName } = api.stack.container;
    await new DynamoIntakeLedger(doc, tableName).claimKey('http', k, { caller: 'public:web', hash: requestHash(IntakeRequest.parse(body)) }, new Date());
    const retry = await post('/complaints', body, k);
    expect(retry.status).toBe(201);
    const filed = await api.request('GET', `/complaints/${retry.body.id}`, { token: api.tokens.agent });
    expect(filed.status).toBe(200);
    expect((await post('/complaints', body, k)).body).toEqual(retry.body);
  });

  it('still refuses another request on a pending key (422)', async () => {
    const k = key();
    const { doc, tableName } = api.stack.container;
    await new DynamoIntakeLedger(doc, tableName).claimKey('http', k, { caller: 'public:web', hash: 'another-request' }, new Date());
    const res = await post('/complaints', intakeBody({ phone: mobile(), waybillNo: waybill() }), k);
    expect(res.status).toBe(422);
  });
});

describe('replays after the case moved on', () => {
  it('answers a retried public repeat with its first receipt even after the case was withdrawn', async () => {
    const phone = mobile();
    const wb = waybill();
    const first = await post('/complaints', intakeBody({ phone, waybillNo: wb }), key());
    const k = key();
    const body = intakeBody({ phone, waybillNo: wb, content: '再次反映' });
    const repeat = await post('/complaints', body, k);
    await post(`/complaints/${first.body.id}/withdrawal`, { voluntary: true, confirmedVia: 'phone', note: '本人确认自愿撤诉' }, key(), api.tokens.agent);
    const before = await countItems(api.stack);
    const again = await post('/complaints', body, k);
    expect(again.body).toEqual(repeat.body);
    expect(await countItems(api.stack)).toBe(before);
  });
});

describe('command keys', () => {
  it('refuses the same key with another body on a command (422): version and items unchanged', async () => {
    const { body: filed } = await post('/complaints', intakeBody({ phone: mobile(), waybillNo: waybill() }), key());
    const k = key();
    expect((await post(`/complaints/${filed.id}/chases`, { via: 'phone' }, k, api.tokens.agent)).status).toBe(200);
    const v = await version(filed.id);
    const items = await countItems(api.stack);
    const res = await post(`/complaints/${filed.id}/chases`, { via: 'phone', note: '客户第二次来电' }, k, api.tokens.agent);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency-key-reused');
    expect(await version(filed.id)).toBe(v);
    expect(await countItems(api.stack)).toBe(items);
  });

  it('refuses a command key that another caller used first (422)', async () => {
    const { body: filed } = await post('/complaints', intakeBody({ phone: mobile(), waybillNo: waybill() }), key());
    const k = key();
    expect((await post(`/complaints/${filed.id}/chases`, { via: 'phone' }, k, api.tokens.agent)).status).toBe(200);
    const v = await version(filed.id);
    const res = await post(`/complaints/${filed.id}/chases`, { via: 'phone' }, k, api.tokens.admin);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency-key-reused');
    expect(await version(filed.id)).toBe(v);
  });

  it('answers the same command key with the same body with the current complaint, applied once', async () => {
    const { body: filed } = await post('/complaints', intakeBody({ phone: mobile(), waybillNo: waybill() }), key());
    const k = key();
    const first = await post(`/complaints/${filed.id}/chases`, { via: 'phone', note: '来电催办' }, k, api.tokens.agent);
    const again = await post(`/complaints/${filed.id}/chases`, { via: 'phone', note: '来电催办' }, k, api.tokens.agent);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(first.body.version);
    expect(again.body.chaseCount).toBe(1);
  });
});
