/**
 * Statistics facts (SPEC "Quality" → Statistics; ../shared/INDICATORS.md; decision 060). Pure: from a committed
 * image of a complaint and the history events that write appended, the counter increments each change owes, per
 * (statistics month, unit, category). The aggregator (`shared/app/stats-aggregator.ts`) stores them; the report
 * (`reports.ts`) divides them. Every event counts in the statistics month (26th–25th, Shanghai) of its own time:
 * an event after a month closed counts in the month it happens (INDICATORS.md, last paragraph).
 */
import type { Complaint, ComplaintEvent } from './model.ts';
import type { ReceivedType } from './report-model.ts';
import type { Milestone } from './sla/policy.ts';

/** Bumped whenever a definition below changes; a closed month's snapshot records it. */
export const FORMULA_VERSION = 'stats-f2';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The statistics month of an instant: the 26th of a month 00:00 Shanghai opens the next month (2026-11-26 → `2026-12`). */
export function statsMonthOf(at: string | Date): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  const local = new Date(t + SHANGHAI_OFFSET_MS);
  let y = local.getUTCFullYear();
  let m = local.getUTCMonth() + 1;
  if (local.getUTCDate() >= 26) {
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** `complaints`: counts each complaint at most once per month and cell; `events`/`milestones`: every occurrence; `fen`: money. */
export type CounterUnit = 'complaints' | 'events' | 'milestones' | 'fen';

export interface CounterDefinition {
  id: string;
  name: string;
  definition: string;
  unit: CounterUnit;
}

/**
 * The milestones of the SLA policy (`sla/policy.ts`) whose on-time rate is kept per milestone (及时率 per milestone).
 * Written out, not derived from `MILESTONES`: a milestone's position here is part of its counters' storage codes,
 * so the list only grows at the end. The types hold it to the policy: a name the policy does not have fails
 * `satisfies`, and a policy milestone missing here fails `MILESTONE_NAMES` (a rename once went unnoticed).
 */
export const COUNTED_MILESTONES = [
  'leaders_notified',
  'dispatch',
  'first_contact',
  'reply',
  'callback',
  'appeal_risk',
  'rectification',
  'claim_ack',
  'claim_settle',
  'claim_pay',
  'leaders_confirm',
  'sign',
  'next_contact',
  'assist',
] as const satisfies readonly Milestone[];

/** The staff's names of the counted time limits, for the per-milestone 及时率 (the tables are read in Chinese). */
const MILESTONE_NAMES: Record<Milestone, string> = {
  leaders_notified: '通报领导',
  dispatch: '派单',
  first_contact: '首次联系',
  reply: '答复',
  callback: '回访',
  appeal_risk: '七日内答复',
  rectification: '整改',
  claim_ack: '赔偿受理',
  claim_settle: '赔偿处理',
  claim_pay: '赔偿支付',
  leaders_confirm: '领导确认',
  sign: '签收',
  next_contact: '再次联系',
  assist: '协办',
};

const received = (type: ReceivedType, name: string): CounterDefinition => ({
  id: `received.${type}`,
  name: `受理量（${name}）`,
  definition: `${name}: cases taken in as ${name} in the period (a complaint once per month and unit), under its unit as 受理量`,
  unit: 'complaints',
});

/**
 * Every counter, in storage order: a counter's position is its storage code (`c_<base36 position>` on the counter
 * items), so this list is append-only — a new counter goes at the end.
 */
export const COUNTERS: readonly CounterDefinition[] = [
  {
    id: 'received',
    name: '受理量',
    definition:
      'complaints (of every kind) taken in during the period, each under the unit it was last dispatched to (the centre "-" until then), in the month of receipt',
    unit: 'complaints',
  },
  received('complaint', '投诉'),
  received('repeat', '重复投诉'),
  received('reprocess', '重处理'),
  received('escalated', '投诉升级'),
  received('inquiry', '查询'),
  received('feedback', '意见反映'),
  { id: 'closed', name: '办结量', definition: 'complaints closed in the period (after the callback, or with the callback validly waived)', unit: 'complaints' },
  {
    id: 'closed_on_time',
    name: '按时办结量',
    definition: 'complaints closed in the period whose reply of that round met its limit (extension included)',
    unit: 'complaints',
  },
  { id: 'due_to_close', name: '应办结量', definition: 'complaints closed in the period, or whose reply limit passed unmet in the period', unit: 'complaints' },
  { id: 'withdrawn', name: '撤诉量', definition: 'complaints withdrawn (voluntarily, seed 004) in the period', unit: 'complaints' },
  { id: 'suspended', name: '暂结量', definition: 'complaints suspended (暂结) in the period', unit: 'complaints' },
  {
    id: 'dispatched',
    name: '转发量',
    definition: 'dispatches (each dispatch, transfer, 重处理 round or ruling on a return starts a 签收 clock)',
    unit: 'events',
  },
  { id: 'returned', name: '退回量', definition: 'returns (退回) of a mis-dispatched complaint, with a reason', unit: 'events' },
  { id: 'extensions', name: '延期量', definition: 'approved extensions of a time limit', unit: 'events' },
  { id: 'replies', name: '答复量', definition: 'replies recorded (each round)', unit: 'events' },
  { id: 'replies_effective', name: '有效答复量', definition: 'replies accepted at the callback (satisfied or accepted) without re-dispatch', unit: 'events' },
  { id: 'redispatched', name: '重处理量', definition: 're-dispatches after a dissatisfied callback', unit: 'events' },
  {
    id: 'callbacks_done',
    name: '回访量',
    definition: 'complaints closed in the period whose callback reached the complainant or was validly waived',
    unit: 'complaints',
  },
  { id: 'callbacks_reached', name: '回访接通量', definition: 'callbacks that reached the complainant', unit: 'events' },
  { id: 'satisfied', name: '满意量', definition: 'callbacks reached with the complainant satisfied or accepting', unit: 'events' },
  {
    id: 'repeated',
    name: '重复投诉件数',
    definition: 'complaints with at least one repeat (重复投诉) in the period (at intake: under its unit as 受理量)',
    unit: 'complaints',
  },
  {
    id: 'escalated',
    name: '投诉升级量',
    definition: 'complaints that reached an upper level or a regulator (transferred in, or escalated while open; at intake: under its unit as 受理量)',
    unit: 'complaints',
  },
  {
    id: 'justified',
    name: '有理由投诉量',
    definition: 'complaints determined justified (the quality review wins over the centre); a reversal counts −1 in its month',
    unit: 'events',
  },
  { id: 'rect_due', name: '应整改量', definition: 'rectification records (分析整改表) filed, or their 5-day limit passed, in the period', unit: 'milestones' },
  { id: 'rect_on_time', name: '按时整改量', definition: 'rectification records filed within 5 days of the monthly notice', unit: 'milestones' },
  { id: 'warnings', name: '预警量', definition: '80 % warnings of any time limit', unit: 'events' },
  { id: 'breaches', name: '超时量', definition: 'time limits breached', unit: 'events' },
  { id: 'esc.warning', name: '预警通知', definition: 'escalation e-mails to the handler (warning level)', unit: 'events' },
  { id: 'esc.breach', name: '超时通知', definition: 'escalation e-mails to the unit leader and operations director (breach level)', unit: 'events' },
  { id: 'esc.quality', name: '超时+1日通知', definition: 'escalation e-mails to the quality manager (breach + 1 working day)', unit: 'events' },
  { id: 'esc.leaders', name: '重大紧急通知', definition: "leaders' notices of a major or urgent case", unit: 'events' },
  { id: 'comp_offered', name: '赔偿提出件数', definition: 'replies offering compensation', unit: 'events' },
  { id: 'comp_offered_fen', name: '赔偿提出金额（分）', definition: 'amount of compensation offered, in fen', unit: 'fen' },
  { id: 'comp_paid', name: '赔偿支付件数', definition: 'compensation payments recorded', unit: 'events' },
  { id: 'comp_paid_fen', name: '赔偿支付金额（分）', definition: 'amount of compensation paid, in fen', unit: 'fen' },
  { id: 'ms_due', name: '应及时环节数', definition: 'time limits (every milestone) met or breached in the period', unit: 'milestones' },
  { id: 'ms_met', name: '及时环节数', definition: 'time limits met by their due time (extensions included) in the period', unit: 'milestones' },
  ...COUNTED_MILESTONES.flatMap((m): CounterDefinition[] => [
    { id: `due.${m}`, name: `应及时（${m}）`, definition: `${m} time limits met or breached in the period`, unit: 'milestones' },
    { id: `met.${m}`, name: `及时（${m}）`, definition: `${m} time limits met by their due time in the period`, unit: 'milestones' },
  ]),
];

export const COUNTER_IDS: readonly string[] = COUNTERS.map((c) => c.id);
const POSITION = new Map(COUNTER_IDS.map((id, i) => [id, i]));
export const counterDefinition = (id: string): CounterDefinition | undefined => COUNTERS[POSITION.get(id) ?? -1];
/** The short storage code of a counter (`c_` + base-36 position), so a counter item of every counter stays well under 1 KB. */
export const counterCode = (id: string): string => {
  const i = POSITION.get(id);
  if (i === undefined) throw new Error(`unknown counter ${id}`);
  return `c_${i.toString(36)}`;
};
export const counterOfCode = (code: string): string | undefined => COUNTER_IDS[Number.parseInt(code.slice(2), 36)];

export interface IndicatorDefinition {
  id: string;
  name: string;
  definition: string;
  numerator: string;
  denominator: string;
  target?: number;
  source: string;
}

/** Every rate of ../shared/INDICATORS.md and SPEC Statistics: numerator and denominator are counter ids. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    id: 'close_rate',
    name: '办结率',
    definition: 'closed in the period ÷ due to close in the period',
    numerator: 'closed',
    denominator: 'due_to_close',
    source: '12345',
  },
  {
    id: 'sign_on_time',
    name: '按时签收率',
    definition: 'signed for within 20 working minutes ÷ dispatched',
    numerator: 'met.sign',
    denominator: 'dispatched',
    source: 'seed 000, 12345',
  },
  {
    id: 'return_rate',
    name: '退回率',
    definition: 'returned as mis-dispatched ÷ dispatched',
    numerator: 'returned',
    denominator: 'dispatched',
    source: '12345',
  },
  {
    id: 'extension_rate',
    name: '延期率',
    definition: 'approved extensions ÷ replies due',
    numerator: 'extensions',
    denominator: 'due.reply',
    source: 'seed 002, 12345',
  },
  {
    id: 'on_time',
    name: '及时率',
    definition: 'milestones met by their due time (extensions included) ÷ milestones due in the period',
    numerator: 'ms_met',
    denominator: 'ms_due',
    target: 1,
    source: 'seed 000',
  },
  ...COUNTED_MILESTONES.map((m) => ({
    id: `on_time.${m}`,
    name: `及时率（${MILESTONE_NAMES[m]}）`,
    definition: `${m} limits met by their due time ÷ ${m} limits due`,
    numerator: `met.${m}`,
    denominator: `due.${m}`,
    target: 1,
    source: 'seed 000',
  })),
  {
    id: 'on_time_close',
    name: '按时办结率',
    definition: 'closed within the reply limit (extension included) ÷ closed',
    numerator: 'closed_on_time',
    denominator: 'closed',
    source: '12345',
  },
  {
    id: 'reply_effectiveness',
    name: '答复有效率',
    definition: 'replies accepted at callback without re-dispatch ÷ replies',
    numerator: 'replies_effective',
    denominator: 'replies',
    target: 1,
    source: 'seed 000',
  },
  {
    id: 'callback_rate',
    name: '回访率',
    definition: 'callbacks reached or validly waived ÷ closed',
    numerator: 'callbacks_done',
    denominator: 'closed',
    source: 'seed 000, 12345',
  },
  {
    id: 'satisfaction',
    name: '满意率',
    definition: '(satisfied + accepted) ÷ callbacks reached',
    numerator: 'satisfied',
    denominator: 'callbacks_reached',
    source: 'seed 000, 12345',
  },
  {
    id: 'repeat_rate',
    name: '重复投诉率',
    definition: 'complaints with at least one repeat ÷ received',
    numerator: 'repeated',
    denominator: 'received',
    source: 'seed 000',
  },
  {
    id: 'redispatch_rate',
    name: '重处理率',
    definition: 're-dispatched after a dissatisfied callback ÷ replied',
    numerator: 'redispatched',
    denominator: 'replies',
    source: 'seed 000, 12345',
  },
  {
    id: 'justified_rate',
    name: '有理由投诉率',
    definition: 'determined justified ÷ closed',
    numerator: 'justified',
    denominator: 'closed',
    source: 'seed 000',
  },
  {
    id: 'rectification_on_time',
    name: '整改按时率',
    definition: 'rectification records filed within 5 days of the notice ÷ due',
    numerator: 'rect_on_time',
    denominator: 'rect_due',
    source: 'seed 000',
  },
];

/** One increment a change owes. */
export interface Fact {
  period: string;
  unitId: string;
  category: string;
  counter: string;
  n: number;
}

/** What the aggregator remembers per complaint between changes (on its marker item). */
export interface StatsMemory {
  /** Highest history seq counted. */
  seq: number;
  /** Time limits already counted, `<milestone>#<round>`. */
  deadlines: string[];
  /** The justified value counted (the latest determination or review). */
  justified?: boolean;
  /**
   * The complaint's own figures booked before its first dispatch (受理量 by type, repeats, escalations:
   * `complaints` counters, `<period>|<counter>`), and the cell they sit in now: the centre's (`-`) until the first
   * dispatch, then the responsible unit's; they move with every change of unit (decision 060, "Amended").
   */
  home?: { unitId: string; category: string; facts: string[] };
}

export const emptyMemory = (): StatsMemory => ({ seq: 0, deadlines: [] });

/** The cell key of a fact, and the drill-down token of a (counter, cell): `<counter>|<unitId>|<category>`. */
export const cellOf = (f: Pick<Fact, 'unitId' | 'category'>): string => `${f.unitId}#${f.category}`;
export const tokenOf = (f: Pick<Fact, 'counter' | 'unitId' | 'category'>): string => `${f.counter}|${f.unitId}|${f.category}`;
/** The unit of a complaint not yet dispatched (the centre's own queue). */
export const NO_UNIT = '-';

const milestoneName = (m: string): string => (m.startsWith('assist:') ? 'assist' : m);
const fen = (amount: unknown): number => (typeof amount === 'number' && Number.isFinite(amount) ? Math.round(amount * 100) : 0);

/**
 * The facts owed by one committed image: its history events with seq above `memory.seq`, and its time limits
 * resolved (met or breached) not yet counted. Every fact of the image is attributed to the image's unit and
 * category — the state right after the write that appended the events — except the complaint's own figures
 * booked at the centre before its first dispatch (`memory.home`): a change of unit moves them (−1 from the old
 * cell, +1 in the new, in the month they were booked). `distinct` facts (unit `complaints`) are returned as they
 * occur; the caller counts each at most once per (complaint, month, cell) — `dedupe`.
 */
export function factsOf(image: Complaint, events: readonly ComplaintEvent[], memory: StatsMemory): { facts: Fact[]; memory: StatsMemory } {
  const unitId = image.unitId ?? NO_UNIT;
  const category = image.category;
  const facts: Fact[] = [];
  let home = memory.home;
  const add = (at: string, counter: string, n = 1) => {
    if (n === 0) return;
    const period = statsMonthOf(at);
    facts.push({ period, unitId, category, counter, n });
    // Before the first dispatch the complaint's own figures sit with the centre only until a unit takes it.
    if (unitId === NO_UNIT && (home?.unitId ?? NO_UNIT) === NO_UNIT && n > 0 && counterDefinition(counter)?.unit === 'complaints') {
      const key = `${period}|${counter}`;
      const booked = home ?? { unitId, category, facts: [] };
      if (!booked.facts.includes(key)) home = { ...booked, facts: [...booked.facts, key] };
    }
  };
  let justified = memory.justified;
  let seq = memory.seq;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.seq <= seq) continue;
    seq = e.seq;
    const d = e.data ?? {};
    switch (e.type as string) {
      case 'received': {
        add(e.at, 'received');
        const kind = (d['kind'] as string | undefined) ?? image.kind ?? 'complaint';
        const type: ReceivedType =
          kind === 'inquiry'
            ? 'inquiry'
            : kind === 'feedback'
              ? 'feedback'
              : d['repeat'] === true
                ? 'repeat'
                : d['source'] === 'external'
                  ? 'escalated'
                  : 'complaint';
        add(e.at, `received.${type}`);
        if (type === 'repeat') add(e.at, 'repeated');
        if (d['source'] === 'external') add(e.at, 'escalated');
        break;
      }
      case 'repeat_linked':
        if (d['counted'] !== false) {
          add(e.at, 'received.repeat');
          add(e.at, 'repeated');
        }
        break;
      case 'complaint_escalated':
        // Complaints, not occurrences (INDICATORS.md 投诉升级量): one already external was counted when it became so.
        if (d['fromSource'] !== 'external') {
          add(e.at, 'received.escalated');
          add(e.at, 'escalated');
        }
        break;
      case 'redispatched':
        add(e.at, 'received.reprocess');
        add(e.at, 'redispatched');
        break;
      case 'dispatched':
        add(e.at, 'dispatched');
        break;
      case 'returned':
        add(e.at, 'returned');
        break;
      case 'deadline_extended':
        add(e.at, 'extensions');
        break;
      case 'replied': {
        add(e.at, 'replies');
        const comp = d['compensation'] as { offered?: boolean; amount?: number } | undefined;
        if (comp?.offered) {
          add(e.at, 'comp_offered');
          add(e.at, 'comp_offered_fen', fen(comp.amount));
        }
        break;
      }
      case 'callback_recorded':
        add(e.at, 'callbacks_reached');
        if (d['attitude'] === 'satisfied' || d['attitude'] === 'accepted') {
          add(e.at, 'satisfied');
          add(e.at, 'replies_effective');
        }
        break;
      case 'closed': {
        add(e.at, 'closed');
        add(e.at, 'due_to_close');
        if (d['via'] === 'callback' || d['via'] === 'callback_waived') add(e.at, 'callbacks_done');
        const round = typeof d['round'] === 'number' ? d['round'] : image.round;
        const reply = image.deadlines.find((x) => x.milestone === 'reply' && x.round === round);
        if (reply && onTime(reply)) add(e.at, 'closed_on_time');
        break;
      }
      case 'withdrawn':
        add(e.at, 'withdrawn');
        break;
      case 'suspended':
        add(e.at, 'suspended');
        break;
      case 'deadline_warned':
        add(e.at, 'warnings');
        break;
      case 'deadline_breached':
        add(e.at, 'breaches');
        if (d['milestone'] === 'reply') add(e.at, 'due_to_close');
        break;
      case 'escalated':
        if (typeof d['level'] === 'string' && ['warning', 'breach', 'quality', 'leaders'].includes(d['level'])) add(e.at, `esc.${d['level']}`);
        break;
      case 'justified_determined':
      case 'justified_reviewed': {
        if (typeof d['justified'] !== 'boolean') break;
        // The review wins over the centre's determination: a determination after a review changes nothing.
        if (e.type === ('justified_determined' as string) && reviewedBefore(image, e.seq)) break;
        const now = d['justified'];
        if (now !== (justified ?? false)) add(e.at, 'justified', now ? 1 : -1);
        justified = now;
        break;
      }
      case 'rectification_filed': {
        add(e.at, 'rect_due');
        const dueAt = typeof d['dueAt'] === 'string' ? d['dueAt'] : undefined;
        if (d['onTime'] === true || (dueAt !== undefined && Date.parse(e.at) <= Date.parse(dueAt))) add(e.at, 'rect_on_time');
        break;
      }
      case 'compensation_paid':
        add(e.at, 'comp_paid');
        add(e.at, 'comp_paid_fen', fen(d['amount']));
        break;
      default:
        break;
    }
  }
  // Time limits resolved (met or breached): counted once, in the month they were met or first breached.
  const counted = new Set(memory.deadlines);
  for (const dl of image.deadlines) {
    const key = `${dl.milestone}#${dl.round}`;
    if (counted.has(key)) continue;
    const at = dl.breachedAt ?? (dl.state === 'met' ? dl.metAt : undefined);
    if (at === undefined || (dl.state !== 'met' && dl.state !== 'breached')) continue;
    counted.add(key);
    const m = milestoneName(dl.milestone);
    const met = onTime(dl);
    add(at, 'ms_due');
    if (met) add(at, 'ms_met');
    if ((COUNTED_MILESTONES as readonly string[]).includes(m)) {
      add(at, `due.${m}`);
      if (met) add(at, `met.${m}`);
    }
    if (m === 'rectification') {
      add(at, 'rect_due');
      if (met) add(at, 'rect_on_time');
    }
  }
  // The first dispatch, and every later change of unit (a transfer, a re-dispatch after a return), moves the
  // complaint's own figures, each in the month it was booked (the receipt's), to the unit responsible for it now.
  if (home && image.unitId !== undefined && home.unitId !== image.unitId) {
    for (const key of home.facts) {
      const i = key.indexOf('|');
      const period = key.slice(0, i);
      const counter = key.slice(i + 1);
      facts.push({ period, unitId: home.unitId, category: home.category, counter, n: -1 });
      facts.push({ period, unitId: image.unitId, category, counter, n: 1 });
    }
    home = { ...home, unitId: image.unitId, category };
  }
  return { facts, memory: { seq, deadlines: [...counted], ...(justified !== undefined && { justified }), ...(home && { home }) } };
}

/** Met by its due time (the due time includes an approved extension); a limit once breached is never on time. */
export function onTime(d: Complaint['deadlines'][number]): boolean {
  return d.state === 'met' && d.breachedAt === undefined && d.metAt !== undefined && Date.parse(d.metAt) <= Date.parse(d.dueAt);
}

function reviewedBefore(image: Complaint, seq: number): boolean {
  return image.history.some((e) => (e.type as string) === 'justified_reviewed' && e.seq < seq);
}

/**
 * Keeps a `complaints` counter once per (complaint, month, cell): `seen` holds the drill-down tokens already
 * counted for this complaint (per month), and is extended with every token of `facts`; a negative `complaints`
 * fact (a move to another unit) applies only when its token is there, and removes it.
 */
export function dedupe(facts: readonly Fact[], seen: Map<string, Set<string>>): Fact[] {
  const out: Fact[] = [];
  for (const f of facts) {
    let tokens = seen.get(f.period);
    if (!tokens) {
      tokens = new Set();
      seen.set(f.period, tokens);
    }
    const token = tokenOf(f);
    const distinct = counterDefinition(f.counter)?.unit === 'complaints';
    if (distinct && f.n < 0) {
      // A move out of a cell: only what the cell counts for this complaint, and its drill-down token goes too.
      if (!tokens.delete(token)) continue;
      out.push(f);
      continue;
    }
    if (distinct && tokens.has(token)) continue;
    if (f.n > 0) tokens.add(token);
    out.push(f);
  }
  return out;
}
