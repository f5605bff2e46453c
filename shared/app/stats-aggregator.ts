/**
 * The statistics aggregator (decision 060): a second consumer of the change feed (DynamoDB Streams in AWS, the
 * local change feed locally). Each committed complaint write owes counter increments (`factsOf`); they are added to
 * the counter cells `STATS#<month>` / `<unitId>#<category>` exactly once, whatever the feed redelivers or replays and
 * wherever the function crashes, without transactions (dynalite has none), by a write-ahead on the complaint's
 * marker:
 *
 * 1. read the marker `STATSC#<id>` / `A` (seq counted, memory, maybe a pending intent) and its month items;
 *    a pending intent left by a crash is finished first (steps 3–4 are idempotent);
 * 2. the marker moves from seq s to s' conditionally (`seq = s`) and records the intent: its token, the deltas per
 *    cell, the drill-down tokens per month;
 * 3. each cell gets the summed deltas of the batch with the tokens of its complaints, in one UpdateItem
 *    conditioned on none of those tokens being there (a cell that already has one — a crash after step 3 — is
 *    retried one complaint at a time, skipping the complaints it has); each month item gets its drill-down tokens
 *    (and loses those of figures that moved to another unit — the complaint's own figures follow its unit);
 * 4. the marker's intent is removed, then the cells' tokens.
 *
 * A redelivery finds the marker already at s' (nothing new) or with its intent (finished, not redone).
 */
import { createHash } from 'node:crypto';
import { cellOf, dedupe, emptyMemory, factsOf, type Fact, type StatsMemory } from '#domain/indicators.ts';
import { lastSeq, type Complaint, type ComplaintEvent } from '#domain/model.ts';
import type { Counts } from '#domain/report-model.ts';
import type { ChangeRecord } from './ports.ts';
import type { StatsIntent, StatsMarker, StatsState, StatsStore } from './ports.ts';

/** Test hook: throw at a step to simulate a crash between the writes of a batch. */
export type StatsFault = (step: 'begin' | 'cells' | 'tokens' | 'finish' | 'release', index: number) => void;

export const statsComplaintIdOf = (record: ChangeRecord): string | undefined =>
  record.keys.PK.startsWith('CMP#') && record.keys.SK === 'A' ? record.keys.PK.slice(4) : undefined;

export const intentToken = (complaintId: string, seq: number): string => createHash('sha256').update(`${complaintId}:${seq}`).digest('base64url').slice(0, 10);

/** The cells of one change, summed: deltas per `<period>|<unit>#<category>`. */
export function sumFacts(facts: readonly Fact[]): Record<string, Counts> {
  const cells: Record<string, Counts> = {};
  for (const f of facts) {
    const key = `${f.period}|${cellOf(f)}`;
    const counts = cells[key] ?? {};
    cells[key] = counts;
    counts[f.counter] = (counts[f.counter] ?? 0) + f.n;
  }
  return cells;
}

export class StatsAggregator {
  constructor(
    private readonly store: StatsStore,
    private readonly fault?: StatsFault,
  ) {}

  /** One batch of change records; throws (the feed delivers again) when a step fails. */
  async handle(records: readonly ChangeRecord[]): Promise<void> {
    const byComplaint = new Map<string, Complaint[]>();
    for (const r of records) {
      const id = statsComplaintIdOf(r);
      if (id === undefined || r.newImage['entity'] !== 'complaint') continue;
      const list = byComplaint.get(id) ?? [];
      list.push(r.newImage as unknown as Complaint);
      byComplaint.set(id, list);
    }
    const intents: { id: string; intent: StatsIntent }[] = [];
    let i = 0;
    for (const [id, images] of byComplaint) {
      const state = await this.store.state(id);
      if (state.marker?.pending) {
        // A crash left this intent: finish it, alone, before counting anything new.
        await this.finishIntents([{ id, intent: state.marker.pending }]);
        for (const [p, tokens] of Object.entries(state.marker.pending.periods)) {
          const set = state.periods.get(p) ?? new Set<string>();
          for (const t of tokens) set.add(t);
          state.periods.set(p, set);
        }
        for (const [p, tokens] of Object.entries(state.marker.pending.removed ?? {})) for (const t of tokens) state.periods.get(p)?.delete(t);
      }
      const planned = await this.plan(id, images, state);
      if (!planned) continue;
      this.fault?.('begin', i++);
      const ok = await this.store.begin(id, state.marker?.seq, planned);
      if (!ok) throw new Error(`statistics marker of ${id} moved meanwhile; the batch is delivered again`);
      intents.push({ id, intent: planned.pending });
    }
    await this.finishIntents(intents);
  }

  /** What the images owe beyond the marker, or undefined when nothing is new. */
  private async plan(id: string, images: Complaint[], state: StatsState): Promise<(StatsMarker & { pending: StatsIntent }) | undefined> {
    let memory: StatsMemory = state.marker?.memory ?? emptyMemory();
    const facts: Fact[] = [];
    const sorted = [...images].sort((a, b) => lastSeq(a) - lastSeq(b));
    let full: Complaint | undefined;
    for (const image of sorted) {
      if (lastSeq(image) <= memory.seq && !hasUncountedDeadline(image, memory)) continue;
      let events: ComplaintEvent[] = image.history;
      const sealedThrough = image.historySealed?.through ?? 0;
      if (sealedThrough > memory.seq) {
        full ??= await this.store.fullComplaint(id);
        events = (full?.history ?? image.history).filter((e) => e.seq <= lastSeq(image));
      }
      const out = factsOf(image, events, memory);
      facts.push(...out.facts);
      memory = out.memory;
    }
    const seen = new Map([...state.periods].map(([p, s]) => [p, new Set(s)]));
    const kept = dedupe(facts, seen);
    const changedDeadlines = memory.deadlines.length !== (state.marker?.memory.deadlines.length ?? 0);
    const changedJustified = memory.justified !== state.marker?.memory.justified;
    const was = state.marker?.memory.home;
    const changedHome = memory.home?.unitId !== was?.unitId || memory.home?.facts.length !== was?.facts.length;
    // A write that owes no count (签收, contact, a chase …) leaves the marker alone: recounting its events later
    // gives nothing again (facts depend only on the events and the memory, which they do not change).
    // Unless the history was paged past the marker: then the next write would read every page again to recount
    // (a case with 2,000 chases read its whole history on each one), so the marker moves once per sealed page.
    const pagedPast = sorted.some((image) => (image.historySealed?.through ?? 0) > (state.marker?.seq ?? 0));
    if (kept.length === 0 && !changedDeadlines && !changedJustified && !changedHome && !pagedPast) return undefined;
    const periods: Record<string, string[]> = {};
    for (const [p, tokens] of seen) {
      const before = state.periods.get(p) ?? new Set<string>();
      const added = [...tokens].filter((t) => !before.has(t));
      if (added.length > 0) periods[p] = added;
    }
    const removed: Record<string, string[]> = {};
    for (const [p, before] of state.periods) {
      const now = seen.get(p) ?? new Set<string>();
      const gone = [...before].filter((t) => !now.has(t));
      if (gone.length > 0) removed[p] = gone;
    }
    const token = intentToken(id, memory.seq * 1000 + memory.deadlines.length);
    return { seq: memory.seq, memory, pending: { token, cells: sumFacts(kept), periods, ...(Object.keys(removed).length > 0 && { removed }) } };
  }

  /** Steps 3 and 4 for several intents: one UpdateItem per cell in the normal case. */
  private async finishIntents(intents: readonly { id: string; intent: StatsIntent }[]): Promise<void> {
    if (intents.length === 0) return;
    const cells = new Map<string, { counts: Counts; tokens: string[]; parts: { token: string; counts: Counts }[] }>();
    for (const { intent } of intents) {
      for (const [key, counts] of Object.entries(intent.cells)) {
        const cell = cells.get(key) ?? { counts: {}, tokens: [], parts: [] };
        for (const [k, v] of Object.entries(counts)) cell.counts[k] = (cell.counts[k] ?? 0) + v;
        cell.tokens.push(intent.token);
        cell.parts.push({ token: intent.token, counts });
        cells.set(key, cell);
      }
    }
    let i = 0;
    for (const [key, cell] of cells) {
      const [period, cellKey] = splitCell(key);
      this.fault?.('cells', i++);
      for (const chunk of chunks(cell.parts, 20)) {
        const counts: Counts = {};
        for (const part of chunk) for (const [k, v] of Object.entries(part.counts)) counts[k] = (counts[k] ?? 0) + v;
        const applied = await this.store.applyCell({ period, cell: cellKey, counts, tokens: chunk.map((p) => p.token) });
        if (applied) continue;
        // Some complaint of the chunk was applied before a crash: one at a time, each skipped when present.
        for (const part of chunk) await this.store.applyCell({ period, cell: cellKey, counts: part.counts, tokens: [part.token] });
      }
    }
    i = 0;
    for (const { id, intent } of intents) {
      for (const [period, tokens] of Object.entries(intent.periods)) {
        this.fault?.('tokens', i++);
        await this.store.addTokens(id, period, tokens);
      }
      for (const [period, tokens] of Object.entries(intent.removed ?? {})) await this.store.removeTokens(id, period, tokens);
    }
    i = 0;
    for (const { id, intent } of intents) {
      this.fault?.('finish', i++);
      await this.store.finish(id, intent.token);
    }
    i = 0;
    for (const [key, cell] of cells) {
      const [period, cellKey] = splitCell(key);
      this.fault?.('release', i++);
      for (const chunk of chunks(cell.tokens, 20)) await this.store.releaseCell(period, cellKey, chunk);
    }
  }
}

function hasUncountedDeadline(image: Complaint, memory: StatsMemory): boolean {
  const counted = new Set(memory.deadlines);
  return image.deadlines.some((d) => (d.state === 'met' || d.state === 'breached') && !counted.has(`${d.milestone}#${d.round}`));
}

function splitCell(key: string): [string, string] {
  const i = key.indexOf('|');
  return [key.slice(0, i), key.slice(i + 1)];
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
