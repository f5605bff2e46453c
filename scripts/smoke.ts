/**
 * Smoke test of a running API — deployed (the `ApiUrl` or `WebUrl` output) or local (`npm start`):
 * one complaint through the whole loop, intake → assignment → contact → reply → callback (satisfied)
 * → closed, then its history and the public tracking view.
 *
 *   npx tsx scripts/smoke.ts <apiUrl> <agentToken> <handlerToken>
 *
 * The agent token needs the `agent` role (Cognito group `agent`); the handler token the `handler` role
 * with `custom:unitId` and a staff id (`custom:staffId`) that `shared/config/units.json` lists for that
 * unit: the complaint is dispatched to the handler's own unit and to the handler themself. Tokens are
 * read the way the API reads them (`#http/auth.ts`); their signatures are checked by the API, not here.
 * Set SMOKE_PHONE to a mobile number you own to receive (and so test) the receipt SMS; otherwise the
 * complaint is filed anonymously and nobody is texted.
 */
import { randomUUID } from 'node:crypto';
import { actorFromClaims } from '#http/auth.ts';

const [baseArg, agentToken, handlerToken] = process.argv.slice(2);
if (!baseArg || !agentToken || !handlerToken) {
  process.stderr.write('usage: npx tsx scripts/smoke.ts <apiUrl> <agentToken> <handlerToken>\n');
  process.exit(2);
}
const base = baseArg.replace(/\/+$/, '');

function fail(message: string): never {
  process.stderr.write(`\nsmoke test FAILED: ${message}\n`);
  process.exit(1);
}
process.on('unhandledRejection', (error) => fail(error instanceof Error ? error.message : String(error)));

/** The claims of a JWT, unverified (only to learn who the caller will be). */
function claimsOf(token: string): Record<string, string | string[]> {
  const payload = token.split('.')[1];
  try {
    return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, string | string[]>;
  } catch {
    return fail('a token is not a JWT (header.payload.signature)');
  }
}

function actorOf(token: string, which: string) {
  try {
    return actorFromClaims(claimsOf(token));
  } catch (error) {
    return fail(`the ${which} token: ${error instanceof Error ? error.message : String(error)}`);
  }
}
const agent = actorOf(agentToken, 'agent');
const handler = actorOf(handlerToken, 'handler');
if (agent.role !== 'agent' && agent.role !== 'admin') fail(`the first token must be an agent's; it carries the role ${agent.role}`);
if (handler.role !== 'handler' || !handler.unitId) fail(`the second token must be a handler's with a unit; it carries the role ${handler.role}`);

const run = randomUUID().slice(0, 8);
let step = 0;

async function call(method: 'GET' | 'POST', path: string, opts: { body?: unknown; token?: string; expect?: number[] } = {}): Promise<Record<string, unknown>> {
  step += 1;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(opts.body !== undefined && { 'content-type': 'application/json', 'idempotency-key': `smoke-${run}-${step}` }),
      ...(opts.token !== undefined && { authorization: `Bearer ${opts.token}` }),
    },
    ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
  }).catch((error: unknown) =>
    fail(`${method} ${base}${path}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`),
  );
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    fail(`${method} ${path} → ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!(opts.expect ?? [200, 201]).includes(res.status)) fail(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  process.stdout.write(`  ${method.padEnd(4)} ${path.padEnd(48)} → ${res.status} ${String(json['status'] ?? '')}\n`);
  return json;
}

process.stdout.write(`投诉闭环 smoke test against ${base}\n  agent ${agent.id}, handler ${handler.id} (${handler.unitId})\n\n`);

// A deployed stack texts a receipt to the complainant's phone: never invent one. With SMOKE_PHONE (a
// number you own) the receipt SMS is part of the test; without it the complaint is anonymous.
const phone = process.env['SMOKE_PHONE'];
const receipt = await call('POST', '/complaints', {
  body: {
    channel: 'web',
    name: '冒烟测试',
    ...(phone ? { phone } : { anonymous: true }),
    waybillNo: `SMOKE${run.toUpperCase().replace(/[^A-Z0-9]/g, '0')}CN`,
    category: 'delay',
    content: `部署冒烟测试（${run}）：邮件寄出五天仍显示运输中，请核查。`,
    demand: '查明邮件位置并尽快投递',
    region: '广东省广州市天河区',
  },
});
const id = String(receipt['id']);
const trackingCode = String(receipt['trackingCode']);
process.stdout.write(`  → complaint ${id}, tracking code ${trackingCode}, severity ${String(receipt['severity'])}\n`);

await call('POST', `/complaints/${id}/assignment`, {
  token: agentToken,
  body: { unitId: handler.unitId, handlerId: handler.id, note: '冒烟测试：转发至处理单位' },
});
await call('POST', `/complaints/${id}/contact`, { token: handlerToken, body: { method: 'phone', note: '电话联系投诉人，说明正在核查邮件轨迹' } });
await call('POST', `/complaints/${id}/replies`, {
  token: handlerToken,
  body: {
    situation: '经查，该邮件在处理中心因面单信息不全滞留一天，已补录信息并发往投递段。',
    process: { contactedBy: handler.id, contactedAt: new Date().toISOString(), method: 'phone', summary: '电话联系投诉人说明原因并致歉，安排专人次日投递。' },
    result: { resolved: true, complainantAccepted: true, summary: '邮件已妥投本人，投诉人表示接受处理结果。' },
    justified: true,
    liability: 'unit',
  },
});
const closed = await call('POST', `/complaints/${id}/callbacks`, {
  token: agentToken,
  body: { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent', comments: '投诉人对处理结果满意' },
});
if (closed['status'] !== 'closed') fail(`expected the complaint to be closed after a satisfied callback; it is ${String(closed['status'])}`);

const complaint = await call('GET', `/complaints/${id}`, { token: agentToken });
const history = complaint['history'] as { seq: number; at: string; type: string; actor: { id: string; role: string } }[];
process.stdout.write(`\nComplaint ${id}: ${String(complaint['status'])}, ${history.length} events\n`);
for (const e of history) process.stdout.write(`  #${String(e.seq).padStart(2)} ${e.at}  ${e.type.padEnd(20)} ${e.actor.role}:${e.actor.id}\n`);

const track = await call('GET', `/track/${trackingCode}`);
process.stdout.write(`\nPublic tracking view: ${String(track['statusLabel'] ?? track['status'])}\n\nsmoke test passed\n`);
