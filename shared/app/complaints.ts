/**
 * Intake (投诉接入), the use case that creates complaints, on top of the transitions of existing ones
 * (`transitions.ts`): one conditional write, what it owes recorded in it. Handlers and the local stack
 * call these; nothing here knows about HTTP or which cloud it runs on.
 */
import { PERMISSIONS } from '#domain/access.ts';
import { Conflict, Forbidden, InvalidTransition, NotFound } from '#domain/errors.ts';
import { complaintId, requestHash, trackingCode as newTrackingCode, canonicalPhone } from '#domain/ids.ts';
import { escalationSignal } from '#domain/complaint-escalation.ts';
import { intake, linkSuccessor, type CommandOf } from '#domain/lifecycle.ts';
import { isOpen, type Actor, type Complaint } from '#domain/model.ts';
import type { Receipt } from '#domain/receipt.ts';
import { STAFF_ONLY_INTAKE_FIELDS } from '#domain/requests/intake-staff-fields.ts';
import type { IntakeRequest } from '#domain/schemas.ts';
import type { IntakeKeyRecord, IntakeLedger } from './ports.ts';
import { correlate } from './correlation.ts';
import type { ComplaintReads } from './complaint-reads.ts';
import { recordIntake } from './metrics.ts';
import { ComplaintTransitions, jitter, keyReused, MAX_SYSTEM_RETRIES, type TransitionDeps } from './transitions.ts';

export interface ServiceDeps extends TransitionDeps {
  /** Intake keys and public-repeat receipts. */
  intake: IntakeLedger;
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
 * Intake on top of the transitions. The reads (`get`, `list`, `track`) are {@link ComplaintReads},
 * which `read` and `track` bundle alone; the lifecycle routes bundle {@link ComplaintTransitions}
 * alone (issue 10: each function loads only what it uses).
 */
export class ComplaintService extends ComplaintTransitions {
  constructor(protected override readonly deps: ServiceDeps) {
    super(deps);
  }

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
