/**
 * The worklist queues the server answers (decision 067): `due`, `signed`, `notice` and `extension`
 * (decision 069) on GET /complaints.
 * Pure: the attributes a complaint item carries for them (written with every save, like the index keys)
 * and the time windows a `due` value means on a given clock. The DynamoDB filter is shared/store/queue-filter.ts.
 */
import * as z from './zod.ts';
import { staffKey } from './ids.ts';
import { LEADERS_CONFIRM } from './leader-notice.ts';
import type { Complaint } from './model.ts';

export const DUE_QUEUES = ['overdue', 'warning', 'today', 'tomorrow'] as const;
export type DueQueue = (typeof DUE_QUEUES)[number];

/** The query fields, merged into ListQuery (shared/domain/schemas.ts). */
export const QUEUE_QUERY = {
  due: z.optional(z.enum(DUE_QUEUES)).check(z.meta({ description: 'A running limit: passed, past its warning, or due today / tomorrow (Shanghai)' })),
  signed: z.optional(z.enum(['true', 'false'])).check(z.meta({ description: 'Signed for (签收) or not' })),
  notice: z.optional(z.enum(['unconfirmed'])).check(z.meta({ description: 'A leaders’ notice awaits the caller (units) or anyone' })),
  extension: z.optional(z.enum(['requested'])).check(z.meta({ description: 'An extension request (延期申请) awaits its leader’s decision (decision 069)' })),
  count: z.optional(z.enum(['true', 'false'])).check(z.meta({ description: 'true: also answer `count`, the whole list’s size' })),
};

export interface QueueFilter {
  due?: DueQueue;
  signed?: boolean;
  /** Staff key of the person whose confirmation is awaited, or `*` for anyone's. */
  noticeAwaiting?: string;
  /** An extension request is open (decision 069). */
  extensionRequested?: boolean;
}

/** True when a list asks for one of the queues (then only open statuses are read). */
export const hasQueueFilter = (f: QueueFilter): boolean =>
  f.due !== undefined || f.signed !== undefined || f.noticeAwaiting !== undefined || f.extensionRequested === true;

/** Item attributes the queue filters read; undefined ones are removed on save. */
export interface QueueAttributes {
  /** Earliest due instant of a running (not met, cancelled or paused) limit. */
  qDueAt?: string;
  /** Earliest warning instant of a running limit. */
  qWarnAt?: string;
  /** Staff keys whose confirmation of a leaders' notice is awaited (decision 049). */
  qNotice?: string[];
  /** When the open extension request was made (decision 069); absent when none is open. */
  qExtension?: string;
}

export const QUEUE_ATTRIBUTE_NAMES = ['qDueAt', 'qWarnAt', 'qNotice', 'qExtension'] as const;

const running = (d: Complaint['deadlines'][number]) =>
  (d.state === 'pending' || d.state === 'breached') && d.metAt === undefined && d.cancelledAt === undefined;

export function queueAttributes(c: Pick<Complaint, 'deadlines' | 'status'> & Partial<Pick<Complaint, 'extensionRequest'>>): QueueAttributes {
  const live = (c.deadlines ?? []).filter(running);
  // biome-ignore lint/complexity/useMathMinMax: ISO instants compare as strings; Math.min would make them NaN
  const earliest = (xs: string[]) => (xs.length === 0 ? undefined : xs.reduce((a, b) => (a < b ? a : b)));
  const awaiting = [
    ...new Set(
      live
        .filter((d) => d.milestone === LEADERS_CONFIRM)
        .flatMap((d) => d.notice?.awaiting ?? [])
        .map(staffKey),
    ),
  ].sort();
  const out: QueueAttributes = {};
  const due = earliest(live.map((d) => d.dueAt));
  const warn = earliest(live.map((d) => d.warnAt));
  if (due !== undefined) out.qDueAt = due;
  if (warn !== undefined) out.qWarnAt = warn;
  if (awaiting.length > 0) out.qNotice = awaiting;
  if (c.extensionRequest?.status === 'open') out.qExtension = c.extensionRequest.at;
  return out;
}

const DAY = 86_400_000;
/** Shanghai is UTC+8 all year (no DST). */
const SHANGHAI = 8 * 3_600_000;

/** `[from, to)` of the Shanghai day `offset` days from `now`'s, as ISO instants. */
function shanghaiDay(now: Date, offset: number): [string, string] {
  const start = Math.floor((now.getTime() + SHANGHAI) / DAY) * DAY - SHANGHAI + offset * DAY;
  return [new Date(start).toISOString(), new Date(start + DAY).toISOString()];
}

/**
 * What a `due` queue means at `now`, as bounds on `qDueAt` / `qWarnAt` (ISO strings compare as instants):
 * overdue `qDueAt ≤ now`; warning `qWarnAt ≤ now < qDueAt`; today `now < qDueAt < end of today`;
 * tomorrow `qDueAt` within tomorrow (Shanghai).
 */
export interface DueBounds {
  /** qDueAt ≤ */
  dueAtMax?: string;
  /** qDueAt < */
  dueAtBelow?: string;
  /** qDueAt > */
  dueAtAbove?: string;
  /** qDueAt ≥ */
  dueAtFrom?: string;
  /** qWarnAt ≤ */
  warnAtMax?: string;
}

export function dueBounds(due: DueQueue, now: Date): DueBounds {
  const at = now.toISOString();
  switch (due) {
    case 'overdue':
      return { dueAtMax: at };
    case 'warning':
      return { warnAtMax: at, dueAtAbove: at };
    case 'today':
      return { dueAtAbove: at, dueAtBelow: shanghaiDay(now, 0)[1] };
    case 'tomorrow': {
      const [from, to] = shanghaiDay(now, 1);
      return { dueAtFrom: from, dueAtBelow: to };
    }
  }
}

/** The same predicate in memory (for tests and for a caller holding a complaint). */
export function inQueue(
  c: Pick<Complaint, 'deadlines' | 'status' | 'signedAt' | 'dispatchCount'> & Partial<Pick<Complaint, 'extensionRequest'>>,
  f: QueueFilter,
  now: Date,
): boolean {
  const q = queueAttributes(c);
  if (f.extensionRequested === true && q.qExtension === undefined) return false;
  if (f.signed !== undefined && (c.dispatchCount === undefined || (c.signedAt !== undefined) !== f.signed)) return false;
  if (f.noticeAwaiting !== undefined && !(q.qNotice ?? []).some((p) => f.noticeAwaiting === '*' || p === f.noticeAwaiting)) return false;
  if (f.due !== undefined) {
    const b = dueBounds(f.due, now);
    if (q.qDueAt === undefined) return false;
    if (b.dueAtMax !== undefined && q.qDueAt > b.dueAtMax) return false;
    if (b.dueAtBelow !== undefined && q.qDueAt >= b.dueAtBelow) return false;
    if (b.dueAtAbove !== undefined && q.qDueAt <= b.dueAtAbove) return false;
    if (b.dueAtFrom !== undefined && q.qDueAt < b.dueAtFrom) return false;
    if (b.warnAtMax !== undefined && (q.qWarnAt === undefined || q.qWarnAt > b.warnAtMax)) return false;
  }
  return true;
}
