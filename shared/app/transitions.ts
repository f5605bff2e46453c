/**
 * The transitions of complaints that exist: a person's command (`act`) and the system's own writes
 * (`systemTransition`), each decided (pure core), saved with one conditional write that also records
 * what it owes (decision 051), retried against the system's concurrent writes (decision 036). The
 * lifecycle routes and `admin` bundle this class alone; intake (`ComplaintService`, `complaints.ts`)
 * extends it with `submit`.
 */
import { authorizeComplaint, type Action } from '#domain/access.ts';
import { CLUSTER_ACTOR, CLUSTER_RULE, clusterSeverity, clusterWindowStart } from '#domain/cluster-rule.ts';
import { Conflict, NotFound, Unprocessable } from '#domain/errors.ts';
import { requestHash } from '#domain/ids.ts';
import { keyUse, type Command, type CommandType, type Decide, type DecideFor, type LifecycleContext, type Transition } from '#domain/lifecycle.ts';
import { isMajorOrUrgent, type Actor, type Complaint } from '#domain/model.ts';
import type { Effect } from './effects.ts';
import type { Clock, ComplaintRecords, Logger, TransitionObserver } from './ports.ts';

/**
 * The commands the service issues by itself, whatever function it runs in: a repeat complaint's chase
 * or reopen (intake) and the cluster rule's severity raise after an assignment (decision 045).
 */
export type RuleCommand = 'chase' | 'reopen' | 'severity';

export interface TransitionDeps {
  store: ComplaintRecords;
  clock: Clock;
  lifecycle: LifecycleContext;
  /** The decisions of the service's own commands ({@link RuleCommand}). */
  rules: Decide<RuleCommand>;
  /**
   * Extra in-request observers (tests). What a transition owes — receipts, notices, timers — is not
   * here: it is recorded in the transition's own write and carried out by the outbox dispatcher (decision 051).
   */
  observers?: TransitionObserver[];
  /**
   * What a transition owes (`effectsOf`, `effects.ts`), recorded in its own write (decision 051). Given
   * by the functions that decide transitions; a reader has none (and does not bundle the notices' texts).
   */
  effectsOf?: (before: Complaint | undefined, transition: Transition, now: Date) => Effect[];
  logger: Logger;
  /**
   * The runtime directory and calendar (decisions 055, 056): refreshed (≤ 60 s old) before every
   * decision, so `lifecycle`'s live views decide on the current snapshot. Absent: the context is fixed.
   */
  config?: { refresh(): Promise<unknown> };
}

/** The one answer to a reused key, for intake and commands alike (SPEC Non-negotiables: 422). */
export function keyReused(): Unprocessable {
  return new Unprocessable('idempotency-key-reused', 'This Idempotency-Key was already used by another caller or for another request', [
    { path: 'header.Idempotency-Key', message: 'Use a new key for a new request' },
  ]);
}

export class ComplaintTransitions {
  constructor(protected readonly deps: TransitionDeps) {}

  /**
   * One lifecycle command. Idempotent per key; a lost race is a Conflict unless it was our own retry.
   * `decide`: the caller's `decideWith(…)` of the commands its function carries (decision 074) — it
   * must take this command's type, or the call does not type-check.
   */
  async act<C extends Command>(id: string, command: C, actor: Actor, key: string | undefined, decide: DecideFor<C>): Promise<Complaint> {
    return this.apply(id, command, actor, key, decide);
  }

  protected async apply<C extends Command>(
    id: string,
    command: C,
    actor: Actor,
    key: string | undefined,
    decide: DecideFor<C>,
    opts: { skipAuthorization?: boolean } = {},
  ): Promise<Complaint> {
    await this.deps.config?.refresh();
    let before = await this.deps.store.get(id);
    // A key belongs to its caller and its command (decision 031): a replay answers the current
    // complaint; another caller or another command with the same key is refused, nothing written.
    const hash = key !== undefined ? requestHash(command) : undefined;
    for (let attempt = 1; ; attempt++) {
      if (!before) throw new NotFound(`Complaint ${id} not found`);
      // Authorization and the decision are re-run on the fresh state after a system write (below).
      if (!opts.skipAuthorization) authorizeComplaint(actor, actionOf(command), before);
      const use = keyUse(before, key, actor.id, hash);
      if (use === 'replay') return before;
      if (use === 'reused') throw keyReused();
      const now = this.deps.clock.now();
      let transition = decide(before, command, actor, now, this.deps.lifecycle, key, hash);
      // A return's re-dispatch reaches a new unit like an assignment (decision 047).
      if (command.type === 'assign' || command.type === 'return_decision') transition = await this.applyClusterRule(before, transition, now);
      try {
        await this.deps.store.save(transition, before.version, this.deps.effectsOf?.(before, transition, now));
      } catch (error) {
        if (!(error instanceof Conflict)) throw error;
        const current = await this.deps.store.get(id);
        const raced = current ? keyUse(current, key, actor.id, hash) : 'fresh';
        if (current && raced === 'replay') return current;
        if (raced === 'reused') throw keyReused();
        // Decision 036: only the system's own writes (SLA marks, notices sent, rule raises) are
        // decided against again; anything a person wrote in between keeps the conflict.
        if (!current || attempt >= MAX_SYSTEM_RETRIES || !onlySystemWritesSince(before, current)) throw error;
        this.deps.logger.info('re-deciding after a system write', {
          complaintId: id,
          command: command.type,
          attempt,
          from: before.version,
          to: current.version,
        });
        before = current;
        await jitter(attempt);
        continue;
      }
      await this.notify(before, transition);
      return transition.complaint;
    }
  }

  /**
   * A write of the system's own (e.g. a calendar re-plan, decision 055) through the transition path:
   * decided on the fresh state by `decideOn` (undefined: nothing to write), saved with the version
   * guard, re-read and re-decided on a conflict (the system yields, decision 036), then the observers
   * run (timers, the complainant's progress update). Returns what was committed, if anything.
   */
  async systemTransition(
    id: string,
    decideOn: (complaint: Complaint, now: Date, ctx: LifecycleContext) => Transition | undefined,
  ): Promise<Transition | undefined> {
    await this.deps.config?.refresh();
    for (let attempt = 1; ; attempt++) {
      const before = await this.deps.store.get(id);
      if (!before) return undefined;
      const now = this.deps.clock.now();
      const transition = decideOn(before, now, this.deps.lifecycle);
      if (!transition) return undefined;
      try {
        // Its effects (timers, the complainant's progress update) are owed by the same write (decision 051).
        await this.deps.store.save(transition, before.version, this.deps.effectsOf?.(before, transition, now));
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= MAX_SYSTEM_RETRIES) throw error;
        await jitter(attempt);
        continue;
      }
      await this.notify(before, transition);
      return transition;
    }
  }

  /**
   * Seed 004: the third complaint of one category against one unit within 7 days becomes major.
   * Counted by key when the complaint reaches a new unit (decision 045): the complaint is recorded
   * in the unit's cluster day item before the assignment is saved (idempotent, so retries and a
   * crash in between never count it twice; the count confirms where candidates are now). The raise
   * is a second decision by the rules, committed in the same write as the assignment.
   */
  private async applyClusterRule(before: Complaint, transition: Transition, now: Date): Promise<Transition> {
    const after = transition.complaint;
    if (!after.unitId || after.unitId === before.unitId) return transition;
    const [, others] = await Promise.all([
      this.deps.store.recordAtUnit(after),
      // Already major/urgent: nothing to raise, nothing to count.
      isMajorOrUrgent(after.severity)
        ? 0
        : this.deps.store.countRecentByUnitCategory(after.unitId, after.category, clusterWindowStart(after), after.id, CLUSTER_RULE.count - 1),
    ]);
    const command = clusterSeverity(after, others);
    if (!command) return transition;
    const raised = this.deps.rules(after, command, CLUSTER_ACTOR, now, this.deps.lifecycle);
    // One write, one version: the raise rides on the assignment's UpdateItem.
    return { complaint: { ...raised.complaint, version: after.version }, events: [...transition.events, ...raised.events] };
  }

  /** Extra in-request observers, side by side; none in production (decision 051). */
  protected async notify(before: Complaint | undefined, transition: Transition): Promise<void> {
    const observers = this.deps.observers ?? [];
    if (observers.length === 0) return;
    const results = await Promise.allSettled(observers.map((observer) => observer.afterTransition(before, transition)));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      // The transition is committed; a failed side effect is logged and retried by its own
      // mechanism (the SLA sweep re-creates lost timers), never reported as a failed request.
      this.deps.logger.error('side effect failed after transition', {
        complaintId: transition.complaint.id,
        observer: observers[i]?.constructor.name,
        error: result.reason instanceof Error ? result.reason.message : String(result.reason),
      });
    });
  }
}

/** Attempts of one command against the system's own concurrent writes (decision 036). */
export const MAX_SYSTEM_RETRIES = 5;

/**
 * True when every event appended between the version a command was decided on and `current` was
 * written by the system (actor role `system`): SLA marks, leaders notified, escalations, progress
 * updates, rule raises. A public repeat is recorded as a system chase too (`linkRepeat`).
 */
function onlySystemWritesSince(before: Complaint, current: Complaint): boolean {
  if (current.version <= before.version || current.history.length < before.history.length) return false;
  return current.history.slice(before.history.length).every((e) => e.actor.role === 'system');
}

/** A few milliseconds, growing with the attempt, so two retrying writers do not collide again. */
export const jitter = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/** The commands whose permission is another's: resuming the clock is pausing's, the claim's steps are the claim's. */
const SHARED_PERMISSIONS = {
  resume: 'pause',
  compensation_agreement: 'compensation_claim',
  compensation_paid: 'compensation_claim',
} as const satisfies Partial<Record<CommandType, Action>>;

/** Every other command is a permission of its own name (`satisfies` below: a type error when one is not). */
type OwnPermission = Exclude<CommandType, keyof typeof SHARED_PERMISSIONS>;

/** Which permission each command needs. */
function actionOf(command: Command): Action {
  return command.type in SHARED_PERMISSIONS
    ? SHARED_PERMISSIONS[command.type as keyof typeof SHARED_PERMISSIONS]
    : (command.type as OwnPermission satisfies Action);
}
