/**
 * Scheduler calls per complaint lifecycle, and the local scheduler's cost per arm/disarm.
 *
 * 1. Calls: complaints go through the real local stack over HTTP on a manual clock — a typical
 *    lifecycle (intake → dispatch → contact → reply → satisfied callback, which closes) and a long
 *    one (chase, dispatch, first-contact warning firing, contact, extension, pause/resume, second
 *    chase → urgent, reply warning and breach firing, reply, dissatisfied callback → round 2,
 *    contact, reply, satisfied callback). A counting wrapper around the local adapter counts every
 *    `arm`/`disarm` of the measured complaints ("after", one timer per complaint, decision 053) and
 *    the EventBridge calls they stand for (an `arm` whose create/update guess was wrong costs two).
 *    "Before" replays the per-point design that decision 053 replaced on the very same transitions:
 *    one create per new check point, one delete per obsolete future point (as `sla-timers.ts` did).
 * 2. Cost: the local scheduler's arm (move) + disarm at 1,000 and at 50,000 pending timers.
 *
 * `npx tsx bench/scheduler.ts`, or `benchScheduler()` / `printScheduler()` from `bench/run.ts`.
 */
import { pathToFileURL } from 'node:url';
import { ManualClock, ScaledClock } from '#adapters/local/clock.ts';
import { LocalScheduler } from '#adapters/local/scheduler.ts';
import type { ArmOptions, TimerSpec } from '#app/ports.ts';
import { DEV_IDENTITIES, signToken } from '#local/auth.ts';
import { startLocalStack, type LocalStack } from '#local/stack.ts';
import type { Complaint } from '#domain/model.ts';
import { DUE_TOLERANCE_MS } from '#domain/sla/mark.ts';
import { intakeBody, percentile } from './sla.ts';

// Lambda runs Node 22; only this machine runs 20 (see local/dynamo.ts).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export interface LifecycleCalls {
  lifecycle: 'typical' | 'long';
  complaints: number;
  /** Per complaint, one timer per complaint: port calls and the EventBridge calls they make. */
  after: { arm: number; disarm: number; eventBridge: number; firings: number };
  /** Per complaint, the per-point design replayed on the same transitions. */
  before: { create: number; delete: number };
}

export interface SchedulerBenchResult {
  lifecycles: LifecycleCalls[];
  cost: { pending: number; armUs: number; disarmUs: number }[];
}

const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** Counts the measured complaints' calls on the stack's scheduler, and replays the old design. */
function instrument(stack: LocalStack) {
  const { timers } = stack;
  const sla = stack.container.sla;
  const counts = new Map<string, { arm: number; disarm: number; eventBridge: number; create: number; delete: number }>();
  const of = (id: string) => {
    let c = counts.get(id);
    if (!c) {
      c = { arm: 0, disarm: 0, eventBridge: 0, create: 0, delete: 0 };
      counts.set(id, c);
    }
    return c;
  };
  const arm = timers.arm.bind(timers);
  timers.arm = async (t: TimerSpec, opts?: ArmOptions) => {
    const c = of(t.payload.complaintId);
    c.arm++;
    // EventBridge: create when absent, update when present; a wrong guess costs one more call.
    const present = timers.pending().some((p) => p.name === t.name);
    c.eventBridge += opts?.exists === present ? 1 : 2;
    return arm(t, opts);
  };
  const disarm = timers.disarm.bind(timers);
  timers.disarm = async (name: string) => {
    const c = of(name.replace(/^sla-/, ''));
    c.disarm++;
    c.eventBridge++;
    return disarm(name);
  };
  // The per-point design (before decision 053): a timer per point, named by milestone, round, point and instant.
  const sync = sla.timers.sync.bind(sla.timers);
  sla.timers.sync = async (before: Complaint | undefined, after: Complaint, opts: { direct: boolean }) => {
    const now = stack.container.clock.now().getTime();
    const names = (c: Complaint | undefined) =>
      new Map((c ? sla.planner.points(c) : []).map((p) => [`${p.milestone}#${p.round}#${p.point}#${p.at.getTime()}`, p.at.getTime()]));
    const want = names(after);
    const had = names(before);
    const c = of(after.id);
    for (const [name, at] of had) if (!want.has(name) && at > now) c.delete++;
    for (const [name, at] of want) if (!had.has(name) && !(opts.direct && at <= now + DUE_TOLERANCE_MS)) c.create++;
    return sync(before, after, opts);
  };
  return counts;
}

async function lifecycles(count: number): Promise<LifecycleCalls[]> {
  const clock = new ManualClock(sh('2026-03-02 09:00'));
  const stack = await startLocalStack({ clock, rateLimit: false, sweepEveryMinutes: 0 });
  try {
    const token = (role: string) => signToken(DEV_IDENTITIES.find((i) => i.role === role)!);
    const tokens = { agent: token('agent'), handler: token('handler'), leader: token('leader') };
    let n = 0;
    const call = async (path: string, body: unknown, auth?: string): Promise<Complaint> => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': `bench-lifecycle-${n++}` };
      if (auth) headers['authorization'] = `Bearer ${auth}`;
      const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = (await res.json()) as Complaint & { id: string };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const at = async (local: string) => {
      await stack.timers.advanceTo(sh(local));
      await stack.queue.drain();
    };
    const reply = (contactedAt: string) => ({
      situation: '经查，该邮件于3月1日因分拣错误误发至武汉，已于3月2日转回并安排投递。',
      process: {
        contactedBy: '王芳',
        contactedAt: sh(contactedAt).toISOString(),
        method: 'phone',
        summary: '电话联系投诉人，说明延误原因并致歉，约定投递上门。',
      },
      result: { resolved: true, complainantAccepted: true, summary: '邮件已安排投递员投递上门，投诉人表示接受处理结果。' },
      justified: true,
      liability: 'unit',
    });
    const satisfied = { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' };
    const dispatch = { unitId: 'gz-tianhe', handlerId: 'th-handler-1' };
    const counts = instrument(stack);
    const out: LifecycleCalls[] = [];

    for (const lifecycle of ['typical', 'long'] as const) {
      const ids: string[] = [];
      const fired = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        // Each complaint starts on its own Monday 09:00 (weeks apart), so no timer of one fires into another.
        const day = new Date(sh('2026-03-02 09:00').getTime() + (lifecycle === 'long' ? count + i : i) * 14 * 86_400_000);
        const d = (offsetHours: number) => {
          const t = new Date(day.getTime() + offsetHours * 3_600_000 + 8 * 3_600_000).toISOString();
          return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
        };
        await at(d(0));
        const start = stack.timers.fired.length;
        const { id } = await call('/complaints', intakeBody(30_000_000 + (lifecycle === 'long' ? 10_000 : 0) + i));
        ids.push(id);
        const path = (p: string) => `/complaints/${id}/${p}`;
        if (lifecycle === 'typical') {
          await at(d(0.5));
          await call(path('assignment'), dispatch, tokens.agent);
          await at(d(2));
          await call(path('contact'), { method: 'phone', note: '已电话联系投诉人' }, tokens.handler);
          await at(d(24));
          await call(path('replies'), reply(d(2)), tokens.handler);
          await at(d(26));
          await call(path('callbacks'), satisfied, tokens.agent);
        } else {
          await at(d(0.25));
          await call(path('chases'), { via: 'phone', note: '投诉人来电催办' }, tokens.agent);
          await at(d(1.5));
          await call(path('assignment'), dispatch, tokens.agent);
          await at(d(22)); // first-contact warning fires (80 % of 24 h)
          await call(path('contact'), { method: 'phone', note: '已电话联系投诉人' }, tokens.handler);
          await at(d(23));
          await call(path('extensions'), { reason: '需调取外省处理中心监控录像' }, tokens.leader);
          await at(d(25));
          await call(path('pause'), { reason: '等待投诉人提供物品价值证明' }, tokens.handler);
          await at(d(49));
          await call(path('resume'), { note: '已收到发票照片' }, tokens.handler);
          await at(d(50));
          await call(path('chases'), { via: 'phone', note: '投诉人再次催办' }, tokens.agent); // second chase → urgent
          await at(d(24 * 6)); // reply warning and breach (urgent: 1 working day) fire
          await call(path('replies'), reply(d(22)), tokens.handler);
          await at(d(24 * 6 + 2));
          await call(
            path('callbacks'),
            {
              outcome: 'reached',
              attitude: 'dissatisfied',
              handlingQuality: 'inconsistent',
              dissatisfactionCause: 'poor_handling',
              comments: '投诉人称未收到邮件',
            },
            tokens.agent,
          );
          await at(d(24 * 6 + 3));
          await call(path('contact'), { method: 'phone', note: '重新联系投诉人' }, tokens.handler);
          await at(d(24 * 6 + 5));
          await call(path('replies'), reply(d(24 * 6 + 3)), tokens.handler);
          await at(d(24 * 6 + 6));
          await call(path('callbacks'), satisfied, tokens.agent);
        }
        fired.set(id, stack.timers.fired.slice(start).filter((f) => f.payload.complaintId === id).length);
      }
      const avg = (f: (c: { arm: number; disarm: number; eventBridge: number; create: number; delete: number }) => number) =>
        ids.reduce((s, id) => s + f(counts.get(id) ?? { arm: 0, disarm: 0, eventBridge: 0, create: 0, delete: 0 }), 0) / ids.length;
      out.push({
        lifecycle,
        complaints: ids.length,
        after: {
          arm: avg((c) => c.arm),
          disarm: avg((c) => c.disarm),
          eventBridge: avg((c) => c.eventBridge),
          firings: [...fired.values()].reduce((a, b) => a + b, 0) / ids.length,
        },
        before: { create: avg((c) => c.create), delete: avg((c) => c.delete) },
      });
    }
    return out;
  } finally {
    await stack.close();
  }
}

/** Microseconds per arm (moving an existing timer) and per disarm+re-arm with `pending` timers waiting. */
function cost(pending: number, ops = 20_000): SchedulerBenchResult['cost'][number] {
  // A running clock (as under `npm start` and the intake bench): every change may move the real-time
  // timeout, which is where the old array scanned every pending timer. Nothing comes due here.
  const clock = new ScaledClock(1, new Date('2026-03-02T01:00:00.000Z'));
  const wheel = new LocalScheduler({ clock, fire: async () => undefined });
  const base = clock.now().getTime();
  const timer = (i: number, at: number): TimerSpec => ({
    name: `sla-${i}`,
    at: new Date(at),
    payload: { complaintId: `sla-${i}`, at: new Date(at).toISOString() },
  });
  for (let i = 0; i < pending; i++) void wheel.arm(timer(i, base + 86_400_000 + ((i * 7_919) % pending) * 1_000));
  const runs = (f: (i: number) => void) => {
    const samples: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      for (let i = 0; i < ops; i++) f(r * ops + i);
      samples.push(((performance.now() - t) * 1000) / ops);
    }
    return percentile(
      samples.sort((a, b) => a - b),
      50,
    );
  };
  const armUs = runs((i) => void wheel.arm(timer(i % pending, base + 90_000_000 + (i % 997) * 1_000)));
  const disarmUs = runs((i) => {
    void wheel.disarm(`sla-${i % pending}`);
    void wheel.arm(timer(i % pending, base + 95_000_000 + (i % 991) * 1_000));
  });
  wheel.close();
  return { pending, armUs, disarmUs };
}

export async function benchScheduler(opts: { complaints?: number } = {}): Promise<SchedulerBenchResult> {
  const result = await lifecycles(opts.complaints ?? 10);
  cost(1_000); // warm-up
  return { lifecycles: result, cost: [cost(1_000), cost(50_000)] };
}

export function printScheduler(r: SchedulerBenchResult): void {
  const lines = ['Scheduler calls per complaint (local stack over HTTP, manual clock; counted around the local adapter)'];
  for (const l of r.lifecycles) {
    const before = l.before.create + l.before.delete;
    const after = l.after.arm + l.after.disarm;
    lines.push(
      `  scheduler calls ${l.lifecycle} lifecycle   before ${before.toFixed(1)} (create ${l.before.create.toFixed(1)}, delete ${l.before.delete.toFixed(1)})   after ${after.toFixed(1)} (arm ${l.after.arm.toFixed(1)}, disarm ${l.after.disarm.toFixed(1)}; EventBridge calls ${l.after.eventBridge.toFixed(1)}; firings ${l.after.firings.toFixed(1)})   over ${l.complaints} complaints${l.lifecycle === 'typical' ? '   (goal ≤ 6)' : ''}`,
    );
  }
  lines.push('  (before: the per-point design replayed on the same transitions; after: one timer per complaint, decision 053)');
  lines.push('local scheduler (binary heap, lazy deletion): cost per call with N timers pending');
  for (const c of r.cost)
    lines.push(`  local scheduler ${String(c.pending).padStart(6)} pending   arm ${c.armUs.toFixed(2)} µs   disarm+arm ${c.disarmUs.toFixed(2)} µs`);
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env['LOG_LEVEL'] ??= 'error';
  printScheduler(await benchScheduler());
}
