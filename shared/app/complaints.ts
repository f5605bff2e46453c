/**
 * Use cases of the closed loop. Each one loads, decides (pure core), saves with one conditional
 * write, then runs side effects (timers, notices) through ports. Handlers and the local stack call
 * these; nothing here knows about HTTP or which cloud it runs on.
 */
import { authorizeComplaint, PERMISSIONS } from '#domain/access.ts';
import { CLUSTER_ACTOR, CLUSTER_RULE, clusterSeverity, clusterWindowStart } from '#domain/cluster-rule.ts';
import { Conflict, Forbidden, InvalidTransition, NotFound, Unprocessable } from '#domain/errors.ts';
import { complaintId, requestHash, trackingCode as newTrackingCode, canonicalPhone } from '#domain/ids.ts';
import { escalationSignal } from '#domain/complaint-escalation.ts';
import { intake, keyUse, linkSuccessor, type Command, type CommandOf, type Decide, type LifecycleContext, type Transition } from '#domain/lifecycle.ts';
import { isMajorOrUrgent, isOpen, type Actor, type Complaint } from '#domain/model.ts';
import type { Receipt } from '#domain/receipt.ts';
import { STAFF_ONLY_INTAKE_FIELDS } from '#domain/requests/intake-staff-fields.ts';
import type { IntakeRequest } from '#domain/schemas.ts';
import type { Effect } from './effects.ts';
import type { Clock, ComplaintRecords, IntakeKeyRecord, IntakeLedger, Logger, TransitionObserver } from './ports.ts';
import { correlate } from './correlation.ts';
import type { ComplaintReads } from './complaint-reads.ts';
import { recordIntake } from './metrics.ts';

/**
 * The commands the service issues by itself, whatever function it runs in: a repeat complaint's chase
 * or reopen (intake) and the cluster rule's severity raise after an assignment (decision 045).
 */
export type RuleCommand = 'chase' | 'reopen' | 'severity';

/** A decision that takes the command `C` (a `Decide<K>` of a set `K` holding its type). */
export type DecideFor<C extends Command> = (
  complaint: Complaint,
  command: C,
  actor: Actor,
  now: Date,
  ctx: LifecycleContext,
  key?: string,
  keyHash?: string,
) => Transition;

export interface ServiceDeps {
  store: ComplaintRecords;
  /** Intake keys and public-repeat receipts. */
  intake: IntakeLedger;
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

export interface SubmitResult {
  /** `created`: a new complaint; `repeat`: linked to the complainant's open complaint on the same waybill. */
  outcome: 'created' | 'replayed' | 'repeat';
  complaint: Complaint;
  /**
   * A public repeat's own receipt: what the public caller is shown instead of the case, which they
   * may not own (docs/decisions/030-public-intake-reveals-nothing.md).
   */
  receipt?: Receipt;
  /** Answered from the key record of an earlier identical request (a repeat keeps its outcome). */
  replayed?: true;
}

export interface SubmitOptions {
  /**
   * The phone is the sender's own: an SMS from it, a caller-id, a staff member who spoke to the
   * complainant. Default: every caller but the public web form, where it was only typed in.
   */
  phoneVerified?: boolean;
}

/** How many ended cases of one phone + waybill are skipped before falling back to a random id. */
const MAX_CASE_GENERATIONS = 20;

/** The one answer to a reused key, for intake and commands alike (SPEC Non-negotiables: 422). */
function keyReused(): Unprocessable {
  return new Unprocessable('idempotency-key-reused', 'This Idempotency-Key was already used by another caller or for another request', [
    { path: 'header.Idempotency-Key', message: 'Use a new key for a new request' },
  ]);
}

/**
 * Who owns a key: a staff member by id, the public per channel, an integrator by its channel actor.
 * HTTP callers share one namespace, so that a key used by one of them is refused to the others;
 * integrators' message ids live in their own, out of reach of a header.
 */
function keyOwner(actor: Actor, input: IntakeRequest): { namespace: string; caller: string } {
  if (actor.role === 'system') return { namespace: actor.id, caller: actor.id };
  return { namespace: 'http', caller: actor.role === 'public' ? `public:${input.channel}` : actor.id };
}

/**
 * The writing half: intake, staff commands and the system's transitions. The reads (`get`, `list`,
 * `track`) are {@link ComplaintReads}, which `read` and `track` bundle alone; this class does not carry
 * them, so the deciding functions do not bundle the masking views and the list queries either.
 */
export class ComplaintService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Intake, in one conditional write on the common path. Idempotent per caller key, and a second
   * complaint by the same phone about the same waybill while one is open is a repeat (重复投诉),
   * linked to it as a chase instead of opening a parallel case.
   *
   * Both rest on deterministic ids: a complaint with phone + waybill gets the id of its "case"
   * (`phone|waybill|generation`), so the conditional put itself detects the open case — no lookup
   * before the write, no race between two first complaints. Without phone + waybill the id comes
   * from the idempotency key (or is random). See docs/decisions/002-deterministic-ids.md.
   *
   * A key is first bound to its caller and the request's hash by its own record (`IDEM#…`, one
   * conditional put): the same caller with the same request gets the first result, anyone else 422
   * with nothing written. A crash between that record and the complaint leaves it pending; the retry
   * runs intake again, which recognises its own complaint or chase (decision 031).
   */
  async submit(input: IntakeRequest, actor: Actor, raw: Record<string, unknown>, key?: string, opts: SubmitOptions = {}): Promise<SubmitResult> {
    checkIntakeRights(input, actor, raw);
    await this.deps.config?.refresh();
    const hash = requestHash(input);
    const verified = opts.phoneVerified ?? actor.role !== 'public';
    if (key === undefined) return this.intakeOnce(input, actor, hash, undefined, verified);
    const { namespace, caller } = keyOwner(actor, input);
    const claim = await this.deps.intake.claimKey(namespace, key, { caller, hash }, this.deps.clock.now());
    if (claim.outcome === 'reused') throw keyReused();
    if (claim.outcome === 'same' && claim.record.result) return this.replayed(claim.record.result);
    const result = await this.intakeOnce(input, actor, hash, `${caller}|${key}`, verified);
    // A complaint this key created is found again by intake itself (its id derives from the case or
    // the key, its first event carries the key): no second write on the common path. A repeat (or a
    // random id) is not, so its result is recorded for the replay.
    const rediscoverable = result.outcome !== 'repeat' && result.complaint.history[0]?.key === `${caller}|${key}` && !result.randomId;
    if (!rediscoverable) {
      await this.deps.intake.completeKey(namespace, key, {
        complaintId: result.complaint.id,
        ...(result.outcome === 'repeat' && { repeat: true }),
        ...(result.receipt && { receiptId: result.receipt.id }),
      });
    }
    const { randomId: _randomId, ...answer } = result;
    return answer;
  }

  private async intakeOnce(
    input: IntakeRequest,
    actor: Actor,
    hash: string,
    scope: string | undefined,
    verified: boolean,
  ): Promise<SubmitResult & { randomId?: true }> {
    const caseKey = input.phone && input.waybillNo ? `${canonicalPhone(input.phone)}|${input.waybillNo}` : undefined;
    if (!caseKey) {
      const { created, complaint } = await this.create(input, actor, complaintId(scope), hash, scope);
      return created ? { outcome: 'created', complaint } : this.replay(complaint, hash);
    }
    // The last ended case of this phone + waybill that a new case would repeat (linked to it).
    let previous: Complaint | undefined;
    for (let generation = 0; generation < MAX_CASE_GENERATIONS; generation++) {
      const { created, complaint } = await this.create(input, actor, complaintId(`case|${caseKey}|${generation}`), hash, scope, previous);
      if (created) {
        if (previous) await this.linkSuccessor(previous.id, complaint.id);
        return { outcome: 'created', complaint };
      }
      if (scope !== undefined && complaint.history[0]?.key === scope) return this.replay(complaint, hash);
      const where = repeatPlace(complaint, this.deps.clock.now());
      if (where !== 'new_case') {
        const linked = await this.linkRepeat(complaint, input, actor, scope, verified, where);
        return actor.role === 'public' ? { ...linked, receipt: await this.receiptFor(linked.complaint, input, scope) } : linked;
      }
      // Closed more than 30 days ago, or withdrawn: a new case, linked to this one.
      previous = complaint;
    }
    const { complaint } = await this.create(input, actor, complaintId(), hash, scope, previous);
    if (previous) await this.linkSuccessor(previous.id, complaint.id);
    return { outcome: 'created', complaint, randomId: true };
  }

  /**
   * The ended case records its successor: a system write, re-decided on the fresh state if another
   * system write came first. A crash before it leaves the link on the new case only
   * (`previousCaseId`); intake never fails for it (decision 036).
   */
  private async linkSuccessor(previousId: string, successorId: string): Promise<void> {
    for (let attempt = 1; attempt <= MAX_SYSTEM_RETRIES; attempt++) {
      const before = await this.deps.store.get(previousId);
      if (!before) return;
      const transition = linkSuccessor(before, successorId, REPEAT_RULES_ACTOR, this.deps.clock.now(), this.deps.lifecycle);
      if (transition.events.length === 0) return;
      try {
        await this.deps.store.save(transition, before.version);
        return;
      } catch (error) {
        if (!(error instanceof Conflict)) throw error;
        await jitter(attempt);
      }
    }
    this.deps.logger.warn('ended case not linked to its repeat', { complaintId: previousId, successorId });
  }

  private async create(input: IntakeRequest, actor: Actor, id: string, hash: string, scope: string | undefined, previous?: Complaint) {
    correlate({ complaintId: id });
    const now = this.deps.clock.now();
    const transition = intake(input, actor, now, this.deps.lifecycle, {
      id,
      trackingCode: newTrackingCode(),
      intakeHash: hash,
      ...(scope !== undefined && { key: scope }),
      ...(previous !== undefined && { previous }),
    });
    // The receipt SMS and the timers are owed by this very put (the outbox), not sent before answering.
    const result = await this.deps.store.create(transition.complaint, this.deps.effectsOf?.(undefined, transition, now));
    if (result.created) recordIntake(input.channel);
    if (result.created) await this.notify(undefined, transition);
    return result;
  }

  private replay(existing: Complaint, hash: string): SubmitResult {
    if (existing.intakeHash !== hash) throw keyReused();
    return { outcome: 'replayed', complaint: existing };
  }

  /** The first result of a finished intake, read back from what its key record points to. */
  private async replayed(result: NonNullable<IntakeKeyRecord['result']>): Promise<SubmitResult> {
    const complaint = await this.deps.store.get(result.complaintId);
    if (!complaint) throw new NotFound(`Complaint ${result.complaintId} not found`);
    const receipt = result.receiptId !== undefined ? await this.deps.intake.getReceipt(result.receiptId) : undefined;
    return { outcome: result.repeat ? 'repeat' : 'replayed', complaint, replayed: true, ...(receipt && { receipt }) };
  }

  /**
   * The public repeat's own record: a tracking code of its own whose page says only that the
   * submission was recorded. Derived from the key scope so that a retry finds the same receipt.
   */
  private async receiptFor(complaint: Complaint, input: IntakeRequest, scope: string | undefined): Promise<Receipt> {
    const receipt: Receipt = {
      id: complaintId(scope !== undefined ? `receipt|${scope}` : undefined),
      trackingCode: newTrackingCode(),
      complaintId: complaint.id,
      channel: input.channel,
      category: input.category,
      createdAt: this.deps.clock.now().toISOString(),
      ...(input.waybillNo !== undefined && { waybillNo: input.waybillNo }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.phone !== undefined && { phone: canonicalPhone(input.phone) }),
    };
    return (await this.deps.intake.putReceipt(receipt)).receipt;
  }

  /**
   * A repeat (重复投诉) of an open case is a chase; of a case closed within 30 days (or suspended) it
   * reopens the case as a new round with priority. Only a sender the system can trust — staff, or a
   * signed channel from the complainant's own phone — can make it a 投诉升级; a public, unverified
   * repeat cannot (decisions 030, 043: a stranger with the parcel label).
   */
  private async linkRepeat(
    found: Complaint,
    input: IntakeRequest,
    actor: Actor,
    scope: string | undefined,
    verified: boolean,
    where: 'open' | 'reopen',
  ): Promise<SubmitResult> {
    const system: Actor = actor.role === 'public' ? { id: `public:${input.channel}`, role: 'system' } : actor;
    const repeat = { channel: input.channel, excerpt: Array.from(input.content).slice(0, 200).join(''), verified };
    const trusted = verified && actor.role !== 'public';
    const escalation = trusted
      ? escalationSignal({
          source: input.source,
          channel: input.channel,
          text: `${input.content}\n${input.demand ?? ''}`,
          ...(input.externalRef !== undefined && { externalRef: input.externalRef }),
        })
      : undefined;
    const commandFor = (place: 'open' | 'reopen'): CommandOf<'chase' | 'reopen'> =>
      place === 'open'
        ? { type: 'chase', via: chaseVia(input.channel), repeat, ...(escalation && { escalation }) }
        : { type: 'reopen', reason: REPEAT_REOPEN_REASON, repeat, ...(escalation && { escalation }) };
    for (let attempt = 1; ; attempt++) {
      try {
        const complaint = await this.apply(found.id, commandFor(where), system, scope, this.deps.rules, { skipAuthorization: true });
        recordIntake(input.channel, 'repeat');
        return { outcome: 'repeat', complaint };
      } catch (error) {
        // A repeat only adds to the case: when another write (a concurrent repeat that reopened it,
        // a person's command) came first, it is placed again on the fresh state, not refused.
        if (!(error instanceof Conflict || error instanceof InvalidTransition) || attempt >= MAX_SYSTEM_RETRIES) throw error;
        const fresh = await this.deps.store.get(found.id);
        const place = fresh && repeatPlace(fresh, this.deps.clock.now());
        if (!place || place === 'new_case') throw error;
        where = place;
        await jitter(attempt);
      }
    }
  }

  /**
   * One lifecycle command. Idempotent per key; a lost race is a Conflict unless it was our own retry.
   * `decide`: the caller's `decideWith(…)` of the commands its function carries (decision 074) — it
   * must take this command's type, or the call does not type-check.
   */
  async act<C extends Command>(id: string, command: C, actor: Actor, key: string | undefined, decide: DecideFor<C>): Promise<Complaint> {
    return this.apply(id, command, actor, key, decide);
  }

  private async apply<C extends Command>(
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
  private async notify(before: Complaint | undefined, transition: Transition): Promise<void> {
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

/**
 * Who may file what. Staff-only fields need the centre; `source: external` and `channel: transfer`
 * (a 12305/12345 transfer) need staff or a signed integrator — the public form cannot claim them
 * (SPEC intake). Refused before anything is written, naming the fields.
 */
function checkIntakeRights(input: IntakeRequest, actor: Actor, raw: Record<string, unknown>): void {
  const staffFields = STAFF_ONLY_INTAKE_FIELDS.filter((f) => raw[f] !== undefined);
  if (staffFields.length > 0 && !(PERMISSIONS.intake_staff_fields as readonly string[]).includes(actor.role)) {
    throw new Forbidden(`Only the customer-service centre may set ${staffFields.join(', ')}`, {
      fields: staffFields,
      issues: staffFields.map((f) => ({ path: f, message: 'Only the customer-service centre may set this field' })),
    });
  }
  if (actor.role !== 'public') return;
  const issues = [
    ...(input.source === 'external' ? [{ path: 'source', message: 'Only staff and signed integrators may file an external (transferred) complaint' }] : []),
    ...(input.channel === 'transfer' ? [{ path: 'channel', message: 'Only staff and signed integrators may file a transfer (e.g. from 12305)' }] : []),
  ];
  if (issues.length > 0) {
    throw new Forbidden('The public form cannot file a transferred or external complaint', { fields: issues.map((i) => i.path), issues });
  }
}

/** Attempts of one command against the system's own concurrent writes (decision 036). */
const MAX_SYSTEM_RETRIES = 5;

/** SPEC intake: a repeat within this many days of closure reopens the case; later it opens a new one. */
const REOPEN_WINDOW_DAYS = 30;
const REPEAT_REOPEN_REASON = '重复投诉：结案后30日内再次投诉，系统重开 (SPEC intake)';
const REPEAT_RULES_ACTOR: Actor = { id: 'rules', role: 'system' };

/**
 * Where a repeat of this case goes (SPEC intake; decision 043): `open` → linked as a chase;
 * `reopen` → closed within {@link REOPEN_WINDOW_DAYS} days, or suspended (暂结 is reopenable and the
 * complainant coming back is its reason); `new_case` → closed earlier, or withdrawn (the complainant
 * ended it: a new complaint is a new case, linked to this one).
 */
function repeatPlace(c: Complaint, now: Date): 'open' | 'reopen' | 'new_case' {
  if (isOpen(c.status)) return 'open';
  if (c.status === 'suspended') return 'reopen';
  if (c.status === 'closed' && c.closedAt !== undefined && now.getTime() - Date.parse(c.closedAt) <= REOPEN_WINDOW_DAYS * 86_400_000) return 'reopen';
  return 'new_case';
}

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
const jitter = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

function chaseVia(channel: IntakeRequest['channel']): 'phone' | 'sms' | 'ivr' | 'web' | 'walk_in' {
  switch (channel) {
    case 'sms':
    case 'ivr':
    case 'web':
    case 'walk_in':
      return channel;
    default:
      return 'phone';
  }
}

/** Which permission each command needs. */
export function actionOf(command: Command) {
  const map = {
    assign: 'assign',
    contact: 'contact',
    reply: 'reply',
    callback: 'callback',
    chase: 'chase',
    suspend: 'suspend',
    reopen: 'reopen',
    withdraw: 'withdraw',
    severity: 'severity',
    extend: 'extend',
    request_extension: 'request_extension',
    extension_decision: 'extension_decision',
    pause: 'pause',
    resume: 'pause',
    sign: 'sign',
    return: 'return',
    return_decision: 'return_decision',
    assist: 'assist',
    assist_reply: 'assist_reply',
    assist_cancel: 'assist_cancel',
    determine: 'determine',
    determination_review: 'determination_review',
    rectification_notice: 'rectification_notice',
    rectification_file: 'rectification_file',
    rectification_review: 'rectification_review',
    compensation_claim: 'compensation_claim',
    compensation_agreement: 'compensation_claim',
    compensation_paid: 'compensation_claim',
  } as const;
  return map[command.type];
}
