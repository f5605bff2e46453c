/**
 * A month of demo complaints through their real lifecycles over HTTP on a local stack with a fake clock: filed by
 * the centre in every category, dispatched to 天河 or 越秀, and then — by a fixed seed — left open, replied and
 * closed after a satisfied callback, re-dispatched after a dissatisfied one (重处理), withdrawn, or repeated by the
 * same complainant (重复投诉). Used by the export tests and `scripts/sample-report.ts` (docs/reports/).
 */
import type { ManualClock } from '#adapters/local/clock.ts';
import { CATEGORIES } from '#domain/model.ts';
import { signToken } from '#local/auth.ts';
import type { Api } from './local.ts';
import { rng } from './lifecycles.ts';

const UNITS = [
  { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
  { unitId: 'gz-yuexiu', handlerId: 'yx-handler-1' },
] as const;

const CONTENT = [
  '寄往北京的邮件已经超过承诺时限仍未妥投，物流信息停在广州处理中心，多次查询无人答复。',
  '包裹送到时外包装破损，里面的瓷器碎了两件，投递员没有让我当面验视就离开了。',
  '快递员未经同意把邮件放在小区门口的快递柜，还收取了额外费用，要求说明情况。',
  '网点营业员态度恶劣，办理业务时不耐烦，还出言不逊，希望严肃处理。',
];

export interface DemoMonth {
  /** Complaint ids filed (repeats excluded: they join the case they repeat). */
  ids: string[];
  /** How many took each path. */
  paths: Record<'open' | 'closed' | 'reprocess' | 'withdrawn' | 'repeat', number>;
}

const ok = (res: { status: number; body: unknown }, what: string) => {
  if (res.status >= 300) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
};

/**
 * Files `count` complaints between `from` and `from + days`, moving the clock forward (its timers fire on the
 * way), each through one lifecycle picked by `seed`.
 */
export async function runDemoMonth(api: Api, clock: ManualClock, opts: { count: number; seed: number; days?: number }): Promise<DemoMonth> {
  const random = rng(opts.seed);
  const step = ((opts.days ?? 26) * 86_400_000) / opts.count;
  const handlerToken = (u: (typeof UNITS)[number]) => signToken({ sub: u.handlerId, role: 'handler', unitId: u.unitId });
  const paths: DemoMonth['paths'] = { open: 0, closed: 0, reprocess: 0, withdrawn: 0, repeat: 0 };
  const ids: string[] = [];
  const advance = async (ms: number) => {
    await api.stack.timers.advanceTo(new Date(clock.now().getTime() + ms));
    await api.stack.drain();
  };
  for (let i = 0; i < opts.count; i++) {
    const unit = UNITS[i % UNITS.length] as (typeof UNITS)[number];
    const category = CATEGORIES[i % CATEGORIES.length] as string;
    const phone = `139${String(20_000_000 + i * 7919).padStart(8, '0')}`;
    const waybillNo = `11${String(50_000_000_000 + i * 104_729).padStart(11, '0')}`;
    const body = {
      channel: i % 3 === 0 ? 'phone' : 'web',
      name: ['李女士', '王先生', '陈女士', '张先生'][i % 4],
      phone,
      waybillNo,
      category,
      content: CONTENT[i % CONTENT.length],
      demand: '尽快处理并给出答复',
      region: '广东省广州市',
    };
    const filed = ok(await api.request('POST', '/staff/complaints', { token: api.tokens.agent, body }), 'intake');
    const id = String(filed['id']);
    ids.push(id);
    ok(
      await api.request('POST', `/complaints/${id}/assignment`, { token: api.tokens.agent, body: { unitId: unit.unitId, handlerId: unit.handlerId } }),
      'assignment',
    );
    const roll = random();
    const path = roll < 0.2 ? 'open' : roll < 0.65 ? 'closed' : roll < 0.8 ? 'reprocess' : roll < 0.9 ? 'withdrawn' : 'repeat';
    paths[path]++;
    await advance(Math.floor(step * 0.3));
    if (path === 'repeat') {
      // The same complainant about the same item while it is open: linked as a 重复投诉.
      ok(await api.request('POST', '/staff/complaints', { token: api.tokens.agent, body: { ...body, content: `第二次投诉：${body.content}` } }), 'repeat');
    } else if (path === 'withdrawn') {
      ok(
        await api.request('POST', `/complaints/${id}/withdrawal`, {
          token: api.tokens.agent,
          body: { voluntary: true, confirmedVia: 'phone', note: '投诉人来电表示问题已自行解决，自愿撤诉。' },
        }),
        'withdrawal',
      );
    } else if (path !== 'open') {
      const token = handlerToken(unit);
      ok(await api.request('POST', `/complaints/${id}/contact`, { token, body: { method: 'phone', note: '电话联系投诉人致歉，说明正在核查。' } }), 'contact');
      await advance(Math.floor(step * 0.2));
      const reply = {
        situation: '经查，该邮件因分拣环节操作失误延误，责任在我单位，已对相关人员进行批评教育。',
        process: { contactedBy: '王芳', contactedAt: clock.now().toISOString(), method: 'phone', summary: '电话联系投诉人说明原因并致歉，约定当日投递上门。' },
        result: { resolved: true, complainantAccepted: true, summary: '邮件已于当日投递上门，投诉人表示接受处理结果。' },
        justified: random() < 0.6,
        liability: 'unit',
      };
      ok(await api.request('POST', `/complaints/${id}/replies`, { token, body: reply }), 'reply');
      await advance(Math.floor(step * 0.2));
      const callback =
        path === 'closed'
          ? { outcome: 'reached', attitude: random() < 0.8 ? 'satisfied' : 'accepted', handlingQuality: 'consistent' }
          : {
              outcome: 'reached',
              attitude: 'dissatisfied',
              handlingQuality: 'inconsistent',
              dissatisfactionCause: 'poor_handling',
              comments: '投诉人表示问题没有解决',
            };
      ok(await api.request('POST', `/complaints/${id}/callbacks`, { token: api.tokens.agent, body: callback }), 'callback');
    }
    await advance(Math.floor(step * 0.3));
  }
  return { ids, paths };
}
