/**
 * History pages: how one complaint item stays bounded however many events it collects
 * (docs/decisions/033-history-pages.md). Pure: no I/O, the store writes what this plans.
 *
 * The complaint item keeps its state, the intake events (seq 1–2) and the newest events. When a
 * transition would push the item past `HISTORY_BUDGET_BYTES` (by DynamoDB's rules), the oldest
 * committed events go to a page item `CMP#<id>` / `H#<nnnnnn>`. A page is cut only where its content
 * is fixed by events already committed: it starts after the last sealed seq and takes the longest
 * run that fits `PAGE_EVENT_BYTES`, and only once a further event exists. So every writer that
 * cuts page n — a retry, a racing transition that later loses its version check — writes the very
 * same item, and an orphan page left by a failed write is what the next seal writes anyway.
 */
import type { Complaint, ComplaintEvent, HistorySealed } from '#domain/model.ts';
import { valueSize } from './item-size.ts';
import { historyPageKey } from './keys.ts';

/**
 * Above this (by DynamoDB's rules) a save seals pages. Far below the 400 KB limit on purpose: every
 * UpdateItem is billed for the whole item (1 WCU per KB) and every GetItem reads it, so a 300 KB
 * item would cost 300 WCU per chase; the state itself (content, reply, deadlines) keeps its room.
 */
export const HISTORY_BUDGET_BYTES = 100 * 1024;
/** The events of one page: a 1 MB Query returns some 30 pages at once. */
export const PAGE_EVENT_BYTES = 32 * 1024;
/**
 * The item always keeps at least this many events after the intake ones: the newest events
 * recognise a retried idempotency key without reading pages (`alreadyApplied`).
 */
export const MIN_TAIL_EVENTS = 10;
/** `received` and `classified`: kept on the item (the intake key is on the first, see intake replay). */
export const INTAKE_EVENTS = 2;

/** One page item: events `from`…`through`, immutable once cut. */
export interface HistoryPage {
  PK: string;
  SK: string;
  entity: 'history_page';
  id: string;
  page: number;
  from: number;
  through: number;
  events: ComplaintEvent[];
}

export interface SealPlan {
  /** The complaint as it is to be stored: `history` without the sealed events, `historySealed` updated. */
  complaint: Complaint;
  /** Pages to write before the complaint's conditional update (none when the item fits). */
  pages: HistoryPage[];
}

/**
 * Plans the pages that keep `next` under the budget. `newEvents` is how many events at the end of
 * `next.history` this transition adds: those are not committed yet and never go on a page.
 */
export function planSeal(next: Complaint, newEvents: number, sizeOf: (c: Complaint) => number): SealPlan {
  let complaint = next;
  const pages: HistoryPage[] = [];
  const sealedThrough = () => complaint.historySealed?.through ?? INTAKE_EVENTS;
  while (sizeOf(complaint) > HISTORY_BUDGET_BYTES) {
    const intake = complaint.history.filter((e) => e.seq <= INTAKE_EVENTS);
    const rest = complaint.history.filter((e) => e.seq > sealedThrough());
    const committed = rest.slice(0, rest.length - newEvents);
    const cut = pageCut(committed);
    if (cut === undefined) break;
    const sealed = committed.slice(0, cut);
    const page = (complaint.historySealed?.pages ?? 0) + 1;
    pages.push({
      ...historyPageKey(complaint.id, page),
      entity: 'history_page',
      id: complaint.id,
      page,
      from: sealed[0]?.seq ?? 0,
      through: sealed[sealed.length - 1]?.seq ?? 0,
      events: sealed,
    });
    complaint = { ...complaint, history: [...intake, ...rest.slice(cut)], historySealed: summarise(complaint.historySealed, page, sealed) };
  }
  return { complaint, pages };
}

/**
 * How many of the oldest committed events form the next page, or undefined when no page can be cut
 * yet: the longest run that fits (at least one event), followed by at least `MIN_TAIL_EVENTS`.
 */
function pageCut(committed: readonly ComplaintEvent[]): number | undefined {
  let bytes = 3; // the list's own overhead
  let n = 0;
  for (const e of committed) {
    const size = 1 + valueSize(e);
    if (n > 0 && bytes + size > PAGE_EVENT_BYTES) break;
    bytes += size;
    n++;
  }
  if (n === 0 || n === committed.length) return undefined; // an open page's end is not fixed yet
  return committed.length - n >= MIN_TAIL_EVENTS ? n : undefined;
}

function summarise(previous: HistorySealed | undefined, pages: number, sealed: readonly ComplaintEvent[]): HistorySealed {
  const counts = { ...previous?.counts };
  let pause = previous?.pause;
  for (const e of sealed) {
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    if (e.type === 'deadline_paused') pause = { at: e.at, reason: String(e.data?.['reason'] ?? '') };
    if (e.type === 'deadline_resumed') pause = undefined;
  }
  const through = sealed[sealed.length - 1]?.seq ?? previous?.through ?? INTAKE_EVENTS;
  return { through, pages, counts, ...(pause && { pause }) };
}

/** The whole history: the item's intake events, the pages' events and the item's newest events, by seq. */
export function mergeHistory(itemHistory: readonly ComplaintEvent[], pages: readonly Pick<HistoryPage, 'events'>[]): ComplaintEvent[] {
  const bySeq = new Map<number, ComplaintEvent>();
  for (const page of pages) for (const e of page.events) bySeq.set(e.seq, e);
  for (const e of itemHistory) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
