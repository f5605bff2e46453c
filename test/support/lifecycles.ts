/**
 * Seeded random complaint lifecycles for the statistics tests and the bench (fast-check is not installed): each
 * complaint goes through the real lifecycle (`intake`, `decide`) and the real SLA planner and marks, so every image
 * is one a committed write could have produced; `images` are its versions in order, one per write.
 */
import { cellOf, dedupe, emptyMemory, factsOf, type Fact } from '#domain/indicators.ts';
import { decide, intake, type Command } from '#domain/lifecycle.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { markDuePoints } from '#domain/sla/mark.ts';
import { CATEGORIES } from '#domain/model.ts';
import { actors, intakeInput, replyBody } from './fixtures.ts';
import { slaContext } from './sla.ts';

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNITS = [
  { unitId: 'gz-tianhe', handlerId: 'th-handler-1', handler: actors.handler },
  { unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', handler: actors.foreignHandler },
  { unitId: 'gz-hub', handlerId: 'hub-handler-1', handler: { id: 'hub-handler-1', role: 'handler', unitId: 'gz-hub' } as Actor },
];

const { planner, ctx } = slaContext();

export interface Lifecycle {
  id: string;
  images: Complaint[];
}

/**
 * One random lifecycle starting at `start` (ms), the complaint numbered `n`. Steps happen minutes to a day apart,
 * so a lifecycle that starts near the 25th crosses into the next statistics month.
 */
export function randomLifecycle(random: () => number, n: number, start: number): Lifecycle {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const id = `C${String(n).padStart(16, '0')}`;
  const kind = random() < 0.8 ? 'complaint' : pick(['inquiry', 'feedback'] as const);
  const external = random() < 0.1;
  let t = start;
  let c = intake(
    intakeInput({
      kind,
      category: pick(CATEGORIES),
      ...(external && { source: 'external', channel: 'transfer', externalRef: `12305-${n}` }),
      phone: `138${String(n).padStart(8, '0')}`,
    }),
    external ? actors.agent : actors.public,
    new Date(t),
    ctx,
    { id, trackingCode: `T${String(n).padStart(11, '0')}` },
  ).complaint;
  const images = [c];
  let unit = pick(UNITS);
  for (let step = 0; step < 14; step++) {
    t += Math.floor(random() * (random() < 0.3 ? 30 * 3_600_000 : 3 * 3_600_000)) + 60_000;
    const now = new Date(t);
    // The SLA check would have marked whatever fell due meanwhile.
    const marked = markDuePoints(c, now, planner);
    if (marked) {
      c = marked.transition.complaint;
      images.push(c);
    }
    const command = nextCommand(c, random, pick, () => (unit = pick(UNITS)), unit, now);
    if (!command) break;
    try {
      c = decide(c, command.command, command.actor, now, ctx).complaint;
      images.push(c);
    } catch {
      // A command the rules refuse (a return after contact …) writes nothing: no image.
    }
    if (c.status === 'closed' || c.status === 'withdrawn') {
      if (random() < 0.8) break;
    }
  }
  return { id, images };
}

type Pick = <T>(xs: readonly T[]) => T;

function nextCommand(
  c: Complaint,
  random: () => number,
  pick: Pick,
  reassign: () => (typeof UNITS)[number],
  unit: (typeof UNITS)[number],
  now: Date,
): { command: Command; actor: Actor } | undefined {
  const r = random();
  const agent = actors.agent;
  switch (c.status) {
    case 'received': {
      if (r < 0.05) return { command: { type: 'withdraw', voluntary: true, confirmedVia: 'phone', note: '投诉人来电确认自愿撤诉' } as Command, actor: agent };
      const u = reassign();
      return { command: { type: 'assign', unitId: u.unitId, handlerId: u.handlerId }, actor: agent };
    }
    case 'dispatched':
    case 'contacted': {
      const handler = UNITS.find((u) => u.unitId === c.unitId)?.handler ?? unit.handler;
      if (c.status === 'dispatched' && !c.signedAt && r < 0.4) return { command: { type: 'sign' }, actor: handler };
      if (c.status === 'dispatched' && r < 0.45)
        return { command: { type: 'return', reason: '该邮件不属于本单位投递范围，请改派' } as Command, actor: handler };
      if (r < 0.5) return { command: { type: 'chase', via: 'phone', note: '投诉人来电催促' } as Command, actor: agent };
      if (r < 0.55)
        return {
          command: { type: 'extend', milestone: 'reply', reason: '需协调外省处理中心核查，申请延期' } as Command,
          actor: { id: 'th-leader', role: 'leader', unitId: c.unitId } as Actor,
        };
      if (r < 0.58) return { command: { type: 'suspend', reason: 'litigation', note: '投诉人已起诉' } as Command, actor: agent };
      if (c.status === 'dispatched' && r < 0.75)
        return { command: { type: 'contact', method: 'phone', note: '电话联系投诉人，说明正在核查' } as Command, actor: handler };
      const compensation = random() < 0.3 ? { compensation: { offered: true, amount: Math.round(random() * 20000) / 100 } } : {};
      return {
        command: {
          type: 'reply',
          ...replyBody({ process: { ...replyBody().process, contactedAt: new Date(now.getTime() - 60_000).toISOString() }, ...compensation }),
        } as Command,
        actor: handler,
      };
    }
    case 'replied': {
      if (r < 0.1)
        return {
          command: { type: 'callback', outcome: 'waived', reason: 'demand_beyond_scope', note: '诉求超出规定范围，已书面说明' } as Command,
          actor: agent,
        };
      if (r < 0.25)
        return {
          command: {
            type: 'callback',
            outcome: 'reached',
            attitude: 'dissatisfied',
            handlingQuality: 'consistent',
            dissatisfactionCause: 'poor_handling',
          } as Command,
          actor: agent,
        };
      if (r < 0.3) return { command: { type: 'callback', outcome: 'unreachable' } as Command, actor: agent };
      return {
        command: { type: 'callback', outcome: 'reached', attitude: pick(['satisfied', 'accepted'] as const), handlingQuality: 'consistent' } as Command,
        actor: agent,
      };
    }
    case 'returned': {
      const u = reassign();
      return {
        command: { type: 'return_decision', decision: 'redispatch', unitId: u.unitId, handlerId: u.handlerId, reason: '改派至正确单位' } as Command,
        actor: agent,
      };
    }
    case 'closed':
    case 'suspended':
      if (r < 0.3) return { command: { type: 'reopen', reason: '投诉人再次来电，问题未解决' } as Command, actor: agent };
      return undefined;
    default:
      return undefined;
  }
}

/**
 * The brute-force recount of the statistics: every complaint's images folded from nothing (no store, no marker),
 * each `complaints` figure once per month and cell. Cells `<month>|<unitId>#<category>` → counts, and per complaint
 * its drill-down tokens per month.
 */
export function recount(lifecycles: readonly Lifecycle[]): { cells: Map<string, Record<string, number>>; tokens: Map<string, Map<string, Set<string>>> } {
  const cells = new Map<string, Record<string, number>>();
  const tokens = new Map<string, Map<string, Set<string>>>();
  for (const l of lifecycles) {
    let memory = emptyMemory();
    const facts: Fact[] = [];
    for (const image of l.images) {
      const out = factsOf(image, image.history, memory);
      facts.push(...out.facts);
      memory = out.memory;
    }
    const seen = new Map<string, Set<string>>();
    for (const f of dedupe(facts, seen)) {
      const key = `${f.period}|${cellOf(f)}`;
      const counts = cells.get(key) ?? {};
      counts[f.counter] = (counts[f.counter] ?? 0) + f.n;
      cells.set(key, counts);
    }
    tokens.set(l.id, seen);
  }
  return { cells, tokens };
}
