/**
 * `npm run demo`: one complaint through the whole loop over HTTP, with Chinese content, then its
 * history. Against `DEMO_URL` (e.g. a running `npm start`) or, by default, an in-memory local stack.
 */
import { DEV_IDENTITIES, signToken } from '#local/auth.ts';
import { startLocalStack } from '#local/stack.ts';

const external = process.env['DEMO_URL'];
const stack = external ? undefined : await startLocalStack();
const base = external ?? stack?.url ?? '';
const token = (role: string) => {
  const id = DEV_IDENTITIES.find((i) => i.role === role);
  if (!id) throw new Error(`no dev identity for ${role}`);
  return signToken({ sub: id.sub, role: id.role, ...('unitId' in id && { unitId: id.unitId }) });
};

async function call(method: string, path: string, body?: unknown, role?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json', 'idempotency-key': `demo-${crypto.randomUUID()}` }),
      ...(role && { authorization: `Bearer ${token(role)}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  process.stdout.write(`  ${method.padEnd(4)} ${path.padEnd(46)} → ${res.status} ${String(json['status'] ?? '')}\n`);
  return json;
}

const phone = `138${String(Date.now()).slice(-8)}`;
process.stdout.write(`投诉闭环演示 against ${base}\n\n`);
const receipt = await call('POST', '/complaints', {
  channel: 'web',
  name: '李女士',
  phone,
  waybillNo: '1151234567890',
  category: 'delay',
  content: '11月18日从上海寄到广州天河的包裹，显示“运输中”已经8天，里面是孩子的药，非常着急。',
  demand: '尽快查明下落并送达',
  region: '广东省广州市天河区',
});
const id = String(receipt['id']);
process.stdout.write(`  → 投诉编号 ${id}，查询码 ${String(receipt['trackingCode'])}，等级 ${String(receipt['severity'])}\n`);

await call('POST', `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1', note: '收件地址属天河揽投部' }, 'agent');
await call('POST', `/complaints/${id}/contact`, { method: 'phone', note: '电话联系李女士，致歉并说明正在核查邮件轨迹' }, 'handler');
await call(
  'POST',
  `/complaints/${id}/replies`,
  {
    situation: '经查，该包裹11月19日到达广州邮件处理中心后因面单破损滞留，未及时补录信息。',
    process: {
      contactedBy: '王芳',
      contactedAt: new Date().toISOString(),
      method: 'phone',
      summary: '电话联系李女士说明原因并致歉；当日补录面单，安排专人投递上门。',
    },
    result: { resolved: true, complainantAccepted: true, summary: '包裹已于当日下午妥投本人，李女士表示接受，邮费已按规定退还。' },
    justified: true,
    liability: 'unit',
    compensation: { offered: true, amount: 18, note: '退还邮费' },
  },
  'handler',
);
await call(
  'POST',
  `/complaints/${id}/callbacks`,
  { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent', comments: '李女士对处理结果满意' },
  'agent',
);

const complaint = await call('GET', `/complaints/${id}`, undefined, 'agent');
const history = complaint['history'] as { seq: number; at: string; type: string; actor: { id: string; role: string } }[];
process.stdout.write(`\n投诉 ${id} 状态：${String(complaint['status'])}，共 ${history.length} 条记录\n`);
for (const e of history) {
  process.stdout.write(`  #${String(e.seq).padStart(2)} ${e.at}  ${e.type.padEnd(18)} ${e.actor.role}:${e.actor.id}\n`);
}
const track = await call('GET', `/track/${String(receipt['trackingCode'])}`);
process.stdout.write(`\n投诉人查询页：${String(track['statusLabel'])} — ${JSON.stringify(track['result'])}\n`);
await stack?.close();
