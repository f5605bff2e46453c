/**
 * Carries out what committed transitions owe (the transactional outbox, decision 051), off the request
 * path: fed by DynamoDB Streams in AWS (`functions/outbox-dispatcher`), by the store's change feed
 * locally, and re-driven by the SLA sweep (effects older than a grace) and the local start-up.
 *
 * Per effect: claim it (`pending` → `sending` with a lease, conditional), carry it out, then remove it
 * with a conditional REMOVE (`settle`). None of these writes touches the complaint's `version`, so a
 * person's command never conflicts with them (decision 036). Idempotency, effect by effect:
 * - `sms`: the effect id is the SMS dedupe key. A redelivered record finds the effect gone (settled) or
 *   held by a live lease and sends nothing. The remaining at-least-once window is a crash after the
 *   provider accepted the text and before `settle`: after the lease, the text is sent again.
 * - `escalation`: the durable queue records the ledger marker (kept if it exists), and the consumer's
 *   ledger sends each (complaint, milestone, round, level) once, so a repeat is harmless.
 * - `timers`: `SlaTimers.sync` to the complaint's current state; schedules have deterministic names, so
 *   a repeat re-creates nothing.
 * A failed effect goes back to `pending` with its error and a doubling back-off in the index; the
 * dispatch then throws so the stream (or the local feed) retries, and the sweep is the safety net.
 */
import type { Complaint } from '#domain/model.ts';
import type { Logger, Clock, EscalationQueue, OutboxStore, SmsSender, TimerSync } from './ports.ts';
import { EFFECT_GRACE_MILLIS, type PendingEffect } from './effects.ts';
import { recordOutboxAge } from './metrics.ts';

/** How long a claimed effect is held before another dispatcher may take it over (the holder crashed). */
export const EFFECT_LEASE_MILLIS = 60_000;
/** A failed effect's first retry by the sweep; doubled per attempt, at most a day. */
const RETRY_BASE_MILLIS = 5 * 60_000;
const MAX_RETRY_MILLIS = 24 * 3_600_000;
/** The end of time for a sort key comparison. */
const ANY_TIME = '9999-12-31T23:59:59.999Z';

export interface OutboxDispatcherDeps {
  outbox: OutboxStore;
  /** The guarded SMS sender (opt-out, receipt cap — decision 030). */
  sms: SmsSender;
  /** The durable escalation queue (ledger `queued`, then the transport — decision 037). */
  queue: EscalationQueue;
  timers: TimerSync;
  clock: Clock;
  logger: Logger;
  leaseMillis?: number;
}

export interface DispatchResult {
  done: number;
  failed: number;
  /** Held by another dispatcher's live lease, or already gone. */
  skipped: number;
}

/** Thrown when some effect of a complaint failed: the record is retried (stream, local feed) and the sweep is the net. */
export class EffectsFailed extends Error {
  override readonly name = 'EffectsFailed';
  constructor(
    readonly complaintId: string,
    readonly failures: { effectId: string; error: string }[],
  ) {
    super(`${failures.length} side effect(s) of complaint ${complaintId} failed: ${failures.map((f) => `${f.effectId}: ${f.error}`).join('; ')}`);
  }
}

export class OutboxDispatcher {
  constructor(private readonly deps: OutboxDispatcherDeps) {}

  /** Carries out every pending effect of one complaint; throws {@link EffectsFailed} when any failed (after trying all). */
  async dispatch(complaintId: string): Promise<DispatchResult> {
    const found = await this.deps.outbox.pending(complaintId);
    if (!found) return { done: 0, failed: 0, skipped: 0 };
    faultPoint('kill-before-effects');
    const { complaint, effects } = found;
    const results = await Promise.all(effects.map((effect) => this.carryOut(complaint, effect)));
    const failures = results.flatMap((r, i) => (r.outcome === 'failed' ? [{ effectId: effects[i]?.id ?? '?', error: r.error }] : []));
    const result = {
      done: results.filter((r) => r.outcome === 'done').length,
      failed: failures.length,
      skipped: results.filter((r) => r.outcome === 'skipped').length,
    };
    if (failures.length > 0) throw new EffectsFailed(complaintId, failures);
    if (result.skipped === 0) await this.deps.outbox.clearIndex(complaintId, complaint.version);
    return result;
  }

  private async carryOut(complaint: Complaint, effect: PendingEffect): Promise<{ outcome: 'done' | 'skipped' } | { outcome: 'failed'; error: string }> {
    const { outbox, clock, logger } = this.deps;
    const claimId = await outbox.claim(complaint.id, effect.id, clock.now(), this.deps.leaseMillis ?? EFFECT_LEASE_MILLIS);
    if (!claimId) return { outcome: 'skipped' };
    try {
      await this.run(complaint, effect);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempts = effect.attempts + 1;
      const retryAt = new Date(clock.now().getTime() + Math.min(RETRY_BASE_MILLIS * 2 ** (attempts - 1), MAX_RETRY_MILLIS));
      await outbox.release(complaint.id, effect.id, claimId, message, retryAt);
      logger.warn('side effect failed; it stays owed and is retried', {
        complaintId: complaint.id,
        effect: effect.id,
        kind: effect.kind,
        attempts,
        error: message,
      });
      return { outcome: 'failed', error: message };
    }
    await outbox.settle(complaint.id, effect.id, claimId);
    return { outcome: 'done' };
  }

  private async run(complaint: Complaint, effect: PendingEffect): Promise<void> {
    switch (effect.kind) {
      case 'sms':
        faultPoint('kill-before-sms');
        await this.deps.sms.send(effect.sms);
        faultPoint('kill-after-sms');
        return;
      case 'escalation':
        await this.deps.queue.send([effect.message]);
        return;
      case 'timers': {
        // From what the transition's `before` needed to what the complaint needs now: a later transition
        // owed at the same time ends at the same timers, and the obsolete ones of both are cancelled.
        const { unitId: _unit, ...rest } = complaint;
        const before = effect.before && { ...rest, ...effect.before };
        await this.deps.timers.sync(before, complaint, { direct: true });
        return;
      }
    }
  }

  /**
   * Every complaint whose effects are still owed after their grace (the sweep), or all of them
   * (`all`: the local start-up, whose feed lived in memory). Returns how many complaints were dispatched
   * and how many of those failed again; never throws for one complaint's failure.
   */
  async redrive(opts: { all?: boolean; maxItems?: number } = {}): Promise<{ dispatched: number; failed: number; more: boolean }> {
    const until = opts.all ? ANY_TIME : this.deps.clock.now().toISOString();
    const maxItems = opts.maxItems ?? 1_000;
    const seen = new Set<string>();
    let failed = 0;
    let after: string | undefined;
    for (;;) {
      const want = Math.min(100, maxItems - seen.size);
      if (want <= 0) return { dispatched: seen.size, failed, more: true };
      const page = await this.deps.outbox.due(until, want, after);
      // The operator's "outbox older than 5 minutes" alarm (decision 054): the oldest owed effect's age,
      // read off its index key (commit time + grace), 0 when nothing is owed past its grace.
      if (after === undefined) recordOutboxAge(page[0] ? ageOf(page[0].cursor, this.deps.clock.now()) : 0);
      const fresh = page.filter((p) => !seen.has(p.id));
      for (const p of fresh) seen.add(p.id);
      const results = await Promise.allSettled(fresh.map((p) => this.dispatch(p.id)));
      failed += results.filter((r) => r.status === 'rejected').length;
      const last = page[page.length - 1];
      if (!last || page.length < want) return { dispatched: seen.size, failed, more: false };
      after = last.cursor;
    }
  }
}

/**
 * Test-only fault injection (the kill test, decision 051): with `OUTBOX_FAULT=kill-before-effects` the
 * local process dies by SIGKILL after a transition was committed and before any of its effects was
 * carried out; `kill-after-sms` shows the at-least-once window. Never in a Lambda.
 */
function faultPoint(point: 'kill-before-effects' | 'kill-before-sms' | 'kill-after-sms'): void {
  if (process.env['OUTBOX_FAULT'] === point && !process.env['AWS_LAMBDA_FUNCTION_NAME']) process.kill(process.pid, 'SIGKILL');
}

/** How long ago the effect behind a GSI6 sort key (`<commit + grace>#<id>`) was committed. */
function ageOf(cursor: string, now: Date): number {
  const due = Date.parse(cursor.slice(0, cursor.indexOf('#')));
  return Number.isNaN(due) ? 0 : Math.max(0, now.getTime() - (due - EFFECT_GRACE_MILLIS));
}

/** The complaint id of a stream record's keys (`CMP#<id>` / `A`); other items of the table are not complaints. */
export function complaintIdOfKeys(keys: Record<string, { S?: string }> | undefined): string | undefined {
  const pk = keys?.['PK']?.S;
  const sk = keys?.['SK']?.S;
  return pk?.startsWith('CMP#') && sk === 'A' ? pk.slice('CMP#'.length) : undefined;
}
