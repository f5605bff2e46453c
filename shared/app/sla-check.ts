/**
 * The SLA check: run by the complaint's one timer (EventBridge Scheduler in AWS, the local timer
 * heap locally), by the sweep, or in-process when a point is due as it is planned (leaders notice).
 *
 * Per run: ONE consistent GetItem, the pure decision (`markDuePoints`), the escalation messages on
 * the queue, ONE version-guarded UpdateItem — whatever the size of the table. Idempotent: the
 * decision re-reads the complaint and trusts nothing in the payload but the complaint id; it
 * decides EVERY point due, then the timer observer re-arms the complaint's one timer at the next
 * point. A stale firing (met, re-planned, closed) or a repeated one finds nothing due and only
 * re-arms the timer where the complaint now needs it (decision 053).
 *
 * Order: messages first, then the write. A crash in between re-sends on the next run — the
 * escalation consumer e-mails once per `escalationDedupeKey` — whereas write-then-send could lose
 * a breach notice for good. The queue records each message as `queued` in the ledger before it
 * travels (`escalation-outbox.ts`), so a mark always stands for a durably queued message that the
 * sweep redrives if it never arrives (decision 037). A lost race (version conflict) re-reads and
 * decides again.
 */
import * as z from '#domain/zod.ts';
import { Conflict } from '#domain/errors.ts';
import { escalationDedupeKey } from '#domain/escalation.ts';
import { markDuePoints } from '#domain/sla/mark.ts';
import type { DuePoint, PointPlanner } from '#domain/sla/planner.ts';
import type { Logger, Clock, ComplaintRecords, EscalationQueue, SlaCheckPayload } from './ports.ts';
import { recordDecided } from './metrics.ts';
import type { SlaTimers } from './sla-timers.ts';

const ComplaintId = z.string().check(z.regex(/^C[0-9A-HJKMNP-TV-Z]{16}$/, 'Not a complaint id'));

/**
 * The timer's payload (`TimerSpec.payload`), validated at the Lambda boundary. Schedules armed
 * before decision 053 (one per check point, with milestone/round/point/version) may still fire after
 * a deploy: they are accepted as a plain check of the complaint, which is all the check ever trusted.
 */
export const SlaCheckPayloadSchema = z.union([
  z.strictObject({ complaintId: ComplaintId, at: z.iso.datetime() }),
  z.pipe(
    z.strictObject({
      complaintId: ComplaintId,
      milestone: z.string().check(z.minLength(1)).check(z.maxLength(40)),
      round: z.number().check(z.int()).check(z.nonnegative()),
      point: z.enum(['leaders', 'warn', 'due', 'quality']),
      version: z.number().check(z.int()).check(z.nonnegative()),
    }),
    z.transform(({ complaintId }) => ({ complaintId })),
  ),
]) satisfies z.ZodMiniType<SlaCheckRequest>;

/** A timer's firing (`at`: the instant it was armed for), or the sweep's "check this complaint". */
export type SlaCheckRequest = SlaCheckPayload | { complaintId: string };

export type SlaCheckOutcome =
  | { outcome: 'missing'; complaintId: string }
  /** Nothing due now (stale, met, closed, or a warning held until working time). */
  | { outcome: 'nothing_due'; complaintId: string; nextAt?: string }
  | { outcome: 'marked'; complaintId: string; decided: { milestone: string; round: number; point: string }[]; messages: number; attempts: number };

export interface SlaCheckDeps {
  store: ComplaintRecords;
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
        // A timer that finds nothing (fired after it was moved, or delivered twice) deleted itself:
        // arm it at the next point. The sweep asks only about overdue complaints and needs no timer.
        const next = 'at' in request ? await timers.rearm(complaint) : timers.nextAt(complaint);
        return { outcome: 'nothing_due', complaintId: complaint.id, ...(next && { nextAt: next.toISOString() }) };
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

const describe = (p: DuePoint) => `${p.milestone}#r${p.round}#${p.point}`;
