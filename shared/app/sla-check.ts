/**
 * The SLA check: run by a one-time timer (EventBridge Scheduler in AWS, the local timer wheel
 * locally), by the sweep, or in-process when a point is due as it is planned (leaders notice).
 *
 * Per run: ONE consistent GetItem, the pure decision (`markDuePoints`), the escalation messages on
 * the queue, ONE version-guarded UpdateItem — whatever the size of the table. Idempotent: the
 * decision re-reads the complaint and trusts nothing in the payload but the complaint id; a stale
 * timer (met, re-planned, closed) finds nothing due and exits, a repeated one finds its point
 * already decided.
 *
 * Order: messages first, then the write. A crash in between re-sends on the next run — the
 * escalation consumer e-mails once per `escalationDedupeKey` — whereas write-then-send could lose
 * a breach notice for good. The queue records each message as `queued` in the ledger before it
 * travels (`escalation-outbox.ts`), so a mark always stands for a durably queued message that the
 * sweep redrives if it never arrives (decision 037). A lost race (version conflict) re-reads and
 * decides again.
 */
import * as z from 'zod';
import { Conflict } from '#domain/errors.ts';
import { escalationDedupeKey } from '#domain/escalation.ts';
import { markDuePoints } from '#domain/sla/mark.ts';
import type { DuePoint, PointPlanner } from '#domain/sla/planner.ts';
import type { Logger } from './complaints.ts';
import { recordDecided } from './metrics.ts';
import type { Clock, ComplaintStore, EscalationQueue, SlaCheckPayload } from './ports.ts';
import type { SlaTimers } from './sla-timers.ts';

/** The timer's payload (`TimerSpec.payload`), validated at the Lambda boundary. */
export const SlaCheckPayloadSchema = z.strictObject({
  complaintId: z.string().regex(/^C[0-9A-HJKMNP-TV-Z]{16}$/, 'Not a complaint id'),
  milestone: z.string().min(1).max(40),
  round: z.number().int().nonnegative(),
  point: z.enum(['leaders', 'warn', 'due', 'quality']),
  version: z.number().int().nonnegative(),
}) satisfies z.ZodType<SlaCheckPayload>;

/** What the sweep passes: only the complaint; every due point is decided. */
export type SlaCheckRequest = SlaCheckPayload | { complaintId: string };

export type SlaCheckOutcome =
  | { outcome: 'missing'; complaintId: string }
  /** Nothing due now (stale, met, closed, or a warning held until working time). */
  | { outcome: 'nothing_due'; complaintId: string; nextAt?: string }
  | { outcome: 'marked'; complaintId: string; decided: { milestone: string; round: number; point: string }[]; messages: number; attempts: number };

export interface SlaCheckDeps {
  store: ComplaintStore;
  clock: Clock;
  planner: PointPlanner;
  queue: EscalationQueue;
  timers: SlaTimers;
  logger: Logger;
  /** Version conflicts tolerated before giving up (the timer's retry policy runs it again). */
  maxAttempts?: number;
}

export class SlaCheck {
  constructor(private readonly deps: SlaCheckDeps) {}

  async run(request: SlaCheckRequest): Promise<SlaCheckOutcome> {
    const { store, clock, planner, queue, timers, logger } = this.deps;
    const maxAttempts = this.deps.maxAttempts ?? 5;
    const sent = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      const complaint = await store.get(request.complaintId);
      if (!complaint) {
        logger.warn('SLA check for a missing complaint', { complaintId: request.complaintId });
        return { outcome: 'missing', complaintId: request.complaintId };
      }
      const now = clock.now();
      const result = markDuePoints(complaint, now, planner);
      if (!result) {
        const later = 'point' in request ? stillPlanned(planner.points(complaint), request) : undefined;
        // Fired early (a held warning, a re-planned deadline): make sure its timer exists.
        if (later && later.at.getTime() > now.getTime()) await timers.ensure(complaint, later);
        return { outcome: 'nothing_due', complaintId: complaint.id, ...(later && { nextAt: later.at.toISOString() }) };
      }
      const fresh = result.messages.filter((m) => !sent.has(escalationDedupeKey(m)));
      if (fresh.length > 0) {
        await queue.send(fresh);
        for (const m of fresh) sent.add(escalationDedupeKey(m));
      }
      try {
        await store.save(result.transition, complaint.version);
      } catch (error) {
        if (error instanceof Conflict && attempt < maxAttempts) continue;
        throw error;
      }
      logger.info('SLA check decided', { complaintId: complaint.id, decided: result.decided.map(describe), attempt });
      recordDecided(result.decided);
      await timers.sync(complaint, result.transition.complaint, { direct: false });
      return {
        outcome: 'marked',
        complaintId: complaint.id,
        decided: result.decided.map(({ milestone, round, point }) => ({ milestone, round, point })),
        messages: result.messages.length,
        attempts: attempt,
      };
    }
  }
}

function stillPlanned(points: DuePoint[], p: SlaCheckPayload): DuePoint | undefined {
  return points.find((x) => x.milestone === p.milestone && x.round === p.round && x.point === p.point);
}

const describe = (p: DuePoint) => `${p.milestone}#r${p.round}#${p.point}`;
