/**
 * The escalation consumer's use case: one `EscalationMessage` from SQS → at most one e-mail to
 * managers (or one SMS to the complainant) per (complaint, milestone, round, level), then an
 * `escalated` / `leaders_notified` / `progress_update_sent` event in the complaint's history.
 *
 * SPEC "Escalation": warning (80 %) → the handler; breach → unit leader + operations director;
 * breach + 1 working day → quality manager; major/urgent → leaders at once (seed 000, 30 min);
 * overdue or chased repeatedly → a progress update to the complainant, 1–2 times (seed 000).
 * Once-only ledger and crash window: docs/decisions/005-escalation-delivery.md.
 */
import * as z from '#domain/zod.ts';
import { isAssistMilestone } from '#domain/assist.ts';
import { findUnit, type Person, type UnitDirectory } from '#domain/directory.ts';
import { NotFound } from '#domain/errors.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { EscalationMessage, escalationDedupeKey } from '#domain/escalation.ts';
import { maskPhone } from '#domain/ids.ts';
import type { DeadlinePlanner } from '#domain/lifecycle.ts';
import { AFTER_CLOSE_MILESTONES, isOpen, type Complaint } from '#domain/model.ts';
import { PoisonMessage } from './batch.ts';
import type { Logger, Clock, ComplaintRecords, EscalationLedger, EscalationQueue, LedgerRecord, Mailer, NoticeKeys, SmsSender, SystemEvent } from './ports.ts';
import { recordEscalation } from './metrics.ts';
import { isMobile, progressUpdateSms, receiptDedupeKey, receiptSms, resultSms, suspensionSms } from './complainant-sms.ts';
import { deadlineOf, renderEscalationMail } from './escalation-mail.ts';
import { LEADERS_CONFIRM, leaderNoticeSms, noticeIdOf, noticeRecipients, signNoticeToken } from '#domain/leader-notice.ts';
import { WITHDRAWAL_CONTESTED } from '#domain/escalation.ts';
import { CLOSURE_NOTICES, MAX_PROGRESS_UPDATES, progressUpdateFor, progressUpdatesSent } from './progress-updates.ts';

/**
 * How long a claim on the ledger holds before another delivery may take it over. Longer than any
 * send (SES/SMS answer in well under a minute, the function times out at 60 s) and shorter than the
 * queue's visibility timeout, so the first redelivery after a crash can resend.
 */
export const DEFAULT_LEASE_MILLIS = 120_000;

/**
 * An escalation the directory names nobody for: a table never seeded (a deployment without
 * `-c directorySeed`), or a unit without leaders. Not a poison message: the claim is released and the
 * queue delivers it again; after 5 receives it rests in the escalation DLQ (its alarm fires, the message
 * is kept 14 days) until the directory is fixed and the DLQ redriven (decision 056, docs/deploy.md).
 */
export class NoRecipients extends Error {
  override readonly name = 'NoRecipients';
  constructor(dedupeKey: string) {
    super(`No recipients for ${dedupeKey}: the directory names nobody to tell (seed it, or give the unit a leader)`);
  }
}

export interface EscalationDeps {
  store: ComplaintRecords;
  ledger: EscalationLedger;
  mailer: Mailer;
  sms: SmsSender;
  clock: Clock;
  directory: UnitDirectory;
  logger: Logger;
  /** Keeps deadlines in step when events are appended (`leaders_notified` meets that milestone). */
  planner?: DeadlinePlanner;
  leaseMillis?: number;
  /**
   * Where the complainant's progress update goes when a breach of a deadline they wait on was
   * e-mailed. The SLA check records `deadline_breached` without running transition observers, so
   * the breach notice passing through here is the one place that sees every breach.
   */
  queue?: EscalationQueue;
  /**
   * Staff SMS (the leaders' notice): the provider itself. Kept apart from `sms`, the complainant's
   * guarded sender, on purpose — decision 049.
   */
  staffSms?: SmsSender;
  /** Signs the confirm links of the leaders' notice (decision 049). */
  noticeKeys?: NoticeKeys;
}

export type DeliveryOutcome =
  | { outcome: 'sent'; dedupeKey: string; channel: 'mail' | 'sms'; recipients: string[]; providerMessageId: string; attempt: number }
  | { outcome: 'duplicate'; dedupeKey: string }
  | { outcome: 'skipped'; dedupeKey: string; reason: string };

/** Another delivery of the same escalation holds a live claim: retry later (reported as a batch failure). */
export class DeliveryInFlight extends Error {
  constructor(
    readonly dedupeKey: string,
    readonly leaseUntil: string,
  ) {
    super(`Escalation ${dedupeKey} is being sent by another delivery (lease until ${leaseUntil})`);
    this.name = 'DeliveryInFlight';
  }
}

/** Parses an SQS body; anything that is not a valid `EscalationMessage` is a poison message. */
export function parseEscalation(body: string): EscalationMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new PoisonMessage('The message body is not JSON', [], { cause: error });
  }
  const result = EscalationMessage.safeParse(json);
  if (!result.success) {
    throw new PoisonMessage('The message body is not an EscalationMessage', fieldIssues(result.error, { unknownKeys: 'whole' }), {
      cause: z.prettifyError(result.error),
    });
  }
  return result.data;
}

export interface Recipients {
  to: Person[];
  cc: Person[];
}

/**
 * Who is told, by level. The unit is the message's, else the complaint's; the leaders' notice names
 * only the unit it was decided for (`noticeRecipients`): before dispatch, the operations directors.
 */
export function recipientsFor(
  m: Pick<EscalationMessage, 'level' | 'unitId'> & Partial<Pick<EscalationMessage, 'milestone'>>,
  c: Complaint,
  directory: UnitDirectory,
): Recipients {
  const org = directory.organisation;
  // The dispatch clock is the centre's, also when it runs again for a ruling on a unit's return
  // (decision 047): the returning unit is not told to hurry the centre.
  const unitId = m.milestone === 'dispatch' ? undefined : (m.unitId ?? c.unitId);
  switch (m.level) {
    case 'warning': {
      // The assigned handler; the unit's handlers when none is assigned; before dispatch the clock is
      // the centre's, which has no mailbox of its own in the directory: the operations directors.
      const unit = findUnit(directory, unitId);
      // An assist task has no handler of its own: its warning goes to the assisting unit's handlers (decision 048).
      const handler = unit && !isAssistMilestone(m.milestone ?? '') ? [...unit.handlers, ...unit.leaders].find((p) => p.id === c.handlerId) : undefined;
      if (handler) return { to: [handler], cc: [] };
      if (unit) return { to: unit.handlers, cc: [] };
      return { to: org.operationsDirectors, cc: [] };
    }
    case 'breach': {
      const unit = findUnit(directory, unitId);
      return unit ? { to: unit.leaders, cc: org.operationsDirectors } : { to: org.operationsDirectors, cc: [] };
    }
    case 'quality':
      return { to: org.qualityManagers, cc: [] };
    case 'leaders':
      // The unit the notice was decided for, never the routing suggestion (decision 049).
      return { to: noticeRecipients({ milestone: m.milestone ?? 'major_notice', unitId: m.unitId }, directory).map((r) => r.person), cc: [] };
    case 'complainant':
      return { to: [], cc: [] };
  }
}

function uniqueByEmail(people: Person[], exclude: Set<string> = new Set()): Person[] {
  const seen = new Set(exclude);
  return people.filter((p) => {
    const key = p.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Why this message should not be sent at all (checked before the ledger, so nothing is claimed). */
function skipReason(m: EscalationMessage, c: Complaint): string | undefined {
  // No alerts on resolved complaints — except the leaders' notice of a major/urgent complaint, which
  // seed 000 requires whatever happened since.
  // The result and the reason of 暂结 are told once the case has ended (decision 046); a contested
  // withdrawal is investigated whatever the status.
  // The rectification record and the claim's clocks outlive the case (decisions 058, 059).
  if (!isOpen(c.status) && m.level !== 'leaders' && !TOLD_AFTER_END.has(m.milestone) && !AFTER_CLOSE_MILESTONES.has(m.milestone))
    return `complaint is ${c.status}`;
  if (m.level === 'warning') {
    const d = deadlineOf(m, c);
    if (!d && isAssistMilestone(m.milestone)) return `assist task ${m.milestone} was cancelled since the warning was decided`;
    if (d && (d.state === 'met' || d.metAt !== undefined || d.state === 'paused' || d.state === 'cancelled'))
      return `deadline ${m.milestone} is ${d.state} since the warning was decided`;
  }
  // Everyone confirmed between the 30-minute check and this delivery: nothing to escalate.
  if (m.milestone === LEADERS_CONFIRM && deadlineOf(m, c)?.notice?.awaiting.length === 0) return 'every recipient has confirmed the notice';
  if (m.level === 'complainant') {
    if (!isMobile(c.complainant.phone)) return 'no mobile number to text';
    if (m.milestone === 'progress_update' && progressUpdatesSent(c) >= MAX_PROGRESS_UPDATES) return `${MAX_PROGRESS_UPDATES} progress updates sent already`;
  }
  return undefined;
}

const SYSTEM = { id: 'escalation', role: 'system' } as const;

/** Notices that are sent once the case has ended: the result, the reason of 暂结, a contested withdrawal. */
const TOLD_AFTER_END = new Set<string>([CLOSURE_NOTICES.closed, CLOSURE_NOTICES.suspended, WITHDRAWAL_CONTESTED]);

/** The complainant's text for a `complainant` message, by notice kind. */
function complainantText(m: EscalationMessage, c: Complaint): string {
  if (m.milestone === 'receipt') return receiptSms(c);
  if (m.milestone === CLOSURE_NOTICES.closed) return resultSms(c);
  if (m.milestone === CLOSURE_NOTICES.suspended) return suspensionSms(c);
  return progressUpdateSms(c);
}

export class EscalationService {
  constructor(private readonly deps: EscalationDeps) {}

  /** Delivers one message once. Throws (→ batch item failure → redelivery, then DLQ) when it cannot. */
  async deliver(m: EscalationMessage, meta: { sqsMessageId?: string } = {}): Promise<DeliveryOutcome> {
    const { store, ledger, logger } = this.deps;
    const dedupeKey = escalationDedupeKey(m);
    const complaint = await store.get(m.complaintId);
    if (!complaint) throw new NotFound(`Complaint ${m.complaintId} not found`, { dedupeKey });

    const now = this.deps.clock.now();
    const skip = skipReason(m, complaint);
    if (skip) {
      // Settles a `queued` marker (decision 037) so that the sweep does not redrive it for ever.
      await ledger.markSkipped(m, skip, now);
      logger.info('escalation skipped', { dedupeKey, reason: skip });
      return { outcome: 'skipped', dedupeKey, reason: skip };
    }
    const claim = await ledger.claim(m, now, this.deps.leaseMillis ?? DEFAULT_LEASE_MILLIS, meta);
    if (claim.outcome === 'sent') {
      // A duplicate delivery. The first one may have crashed after sending and before writing the
      // history: write it now (idempotent by key), never send again.
      await this.record(m, complaint, claim.record, now);
      logger.info('escalation already sent: duplicate delivery ignored', { dedupeKey, sqsMessageId: meta.sqsMessageId });
      return { outcome: 'duplicate', dedupeKey };
    }
    if (claim.outcome === 'in_flight') throw new DeliveryInFlight(dedupeKey, claim.leaseUntil);
    if (claim.attempt > 1) logger.warn('escalation claim taken over after a failed or abandoned attempt: may resend', { dedupeKey, attempt: claim.attempt });

    let sent: { channel: 'mail' | 'sms'; recipients: string[]; providerMessageId: string };
    try {
      sent = await this.send(m, complaint, dedupeKey, now);
    } catch (error) {
      recordEscalation('failed', m.level);
      if (error instanceof NoRecipients) {
        logger.error('escalation has no recipients: the directory names nobody for it', {
          dedupeKey,
          escalationLevel: m.level,
          ...(m.unitId !== undefined && { unitId: m.unitId }),
          directoryUnits: this.deps.directory.units.length,
        });
      }
      await ledger.release(m, claim.claimId, error instanceof Error ? `${error.name}: ${error.message}` : String(error), this.deps.clock.now());
      throw error;
    }
    await ledger.markSent(m, claim.claimId, { providerMessageId: sent.providerMessageId, recipients: sent.recipients, at: this.deps.clock.now() });
    await this.record(m, complaint, { providerMessageId: sent.providerMessageId, recipients: sent.recipients }, now);
    logger.info('escalation sent', { dedupeKey, channel: sent.channel, recipients: sent.recipients.length, providerMessageId: sent.providerMessageId });
    recordEscalation('sent', m.level);
    if (m.level === 'breach') await this.followUpForComplainant(m, complaint, now);
    return { outcome: 'sent', dedupeKey, ...sent, attempt: claim.attempt };
  }

  private async send(m: EscalationMessage, c: Complaint, dedupeKey: string, now: Date) {
    const { directory } = this.deps;
    if (m.level === 'leaders') return this.sendNotice(m, c, dedupeKey, now);
    if (m.level === 'complainant') {
      const phone = c.complainant.phone as string; // checked by skipReason
      const receipt = m.milestone === 'receipt';
      const text = complainantText(m, c);
      const { messageId } = await this.deps.sms.send({
        to: phone,
        text,
        dedupeKey: receipt ? receiptDedupeKey(c.id) : dedupeKey,
        purpose: receipt ? 'receipt' : m.milestone === 'progress_update' ? 'progress' : 'result',
      });
      return { channel: 'sms' as const, recipients: [maskPhone(phone) ?? ''], providerMessageId: messageId };
    }
    const { to, cc } = recipientsFor(m, c, directory);
    const toList = uniqueByEmail(to);
    const ccList = uniqueByEmail(cc, new Set(toList.map((p) => p.email.toLowerCase())));
    if (toList.length === 0) throw new NoRecipients(dedupeKey);
    const mail = renderEscalationMail(m, c, directory, now);
    const { messageId } = await this.deps.mailer.send({
      to: toList.map((p) => p.email),
      ...(ccList.length > 0 && { cc: ccList.map((p) => p.email) }),
      ...mail,
      dedupeKey,
    });
    return { channel: 'mail' as const, recipients: [...toList, ...ccList].map((p) => p.email), providerMessageId: messageId };
  }

  /**
   * The leaders' notice (seed 000 五3(1), decision 049): each person told gets their own e-mail and SMS,
   * each with their own confirm link. Staff SMS go by the provider itself (`staffSms`), never through
   * the complainant guard: a receipt cap or a complainant's TD has nothing to say about a duty notice.
   */
  private async sendNotice(m: EscalationMessage, c: Complaint, dedupeKey: string, now: Date) {
    const { directory, mailer, staffSms, noticeKeys } = this.deps;
    const recipients = noticeRecipients(m, directory);
    if (recipients.length === 0) throw new NoRecipients(dedupeKey);
    if (!noticeKeys) throw new Error('No notice keys configured: confirm links cannot be signed');
    const [key] = await noticeKeys.keys();
    if (!key) throw new Error('No notice key configured: confirm links cannot be signed');
    const noticeId = noticeIdOf(m);
    const unitName = findUnit(directory, m.unitId)?.name;
    const origin = directory.organisation.consoleUrl.replace(/\/+$/, '');
    const sentTo: string[] = [];
    const messageIds: string[] = [];
    for (const { person } of recipients) {
      const token = signNoticeToken({ complaintId: c.id, recipientId: person.id, noticeId }, key, now);
      const confirmUrl = `${origin}/notices/confirm?t=${token}`;
      const mail = renderEscalationMail(m, c, directory, now, { confirmUrl, recipientName: person.name });
      const { messageId } = await mailer.send({ to: [person.email], ...mail, dedupeKey: `${dedupeKey}#${person.id}` });
      messageIds.push(messageId);
      sentTo.push(person.email);
      if (person.mobile && staffSms) {
        try {
          await staffSms.send({ to: person.mobile, text: leaderNoticeSms(c, unitName, confirmUrl), dedupeKey: `${dedupeKey}#sms#${person.id}` });
          sentTo.push(maskPhone(person.mobile) ?? '');
        } catch (error) {
          // A stage deployed without an SMS origination identity still e-mails the notice; any other
          // failure is retried like the e-mail (the ledger claim is released by the caller).
          if (!(error instanceof Error && error.name === 'NotConfigured')) throw error;
          this.deps.logger.warn('staff SMS not configured: leaders’ notice by e-mail only', { dedupeKey });
        }
      }
    }
    return { channel: 'mail' as const, recipients: sentTo, providerMessageId: messageIds[0] as string };
  }

  /**
   * Seed 000: past the time limit without a clear result → tell the complainant (at most twice; the
   * ordinal in the message keeps it so even if a transition observer asks for the same update).
   * Only after a first send, never on a duplicate delivery. Best effort: the e-mail is out, so a
   * queue failure is logged, not retried through this record.
   */
  private async followUpForComplainant(m: EscalationMessage, c: Complaint, now: Date): Promise<void> {
    if (!this.deps.queue) return;
    const update = progressUpdateFor(
      c,
      [{ seq: 0, type: 'deadline_breached', at: now.toISOString(), actor: SYSTEM, data: { milestone: m.milestone, round: m.round } }],
      now,
    );
    if (!update) return;
    try {
      await this.deps.queue.send([update]);
    } catch (error) {
      this.deps.logger.error('progress update after a breach could not be queued', {
        complaintId: c.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Writes what was sent into the history, once (the event key is the dedupe key). */
  private async record(m: EscalationMessage, c: Complaint, sent: Pick<LedgerRecord, 'providerMessageId' | 'recipients'>, now: Date): Promise<void> {
    if (m.milestone === 'receipt') return; // the intake receipt is no lifecycle step; the ledger keeps it
    const key = `esc:${escalationDedupeKey(m)}`;
    if (c.history.some((e) => e.key === key)) return;
    const at = now.toISOString();
    const base = { at, actor: SYSTEM, key };
    const common = { milestone: m.milestone, round: m.round, level: m.level, providerMessageId: sent.providerMessageId, recipients: sent.recipients ?? [] };
    const events: SystemEvent[] =
      m.level === 'complainant'
        ? m.milestone === 'progress_update'
          ? [
              {
                ...base,
                type: 'progress_update_sent',
                data: { ...common, ordinal: m.round, channel: 'sms', ...(m.reason !== undefined && { reason: m.reason }) },
              },
            ]
          : [{ ...base, type: 'complainant_informed', data: { ...common, channel: 'sms' } }]
        : [
            { ...base, type: 'escalated', data: { ...common, overdueMillis: m.overdueMillis, ...(m.dueAt !== undefined && { dueAt: m.dueAt }) } },
            // The SLA planner treats this event as meeting the `leaders_notified` milestone.
            // `notice` + `people` start the notice's confirmation clock (decision 049): who must confirm.
            ...(m.level === 'leaders'
              ? [
                  {
                    at,
                    actor: SYSTEM,
                    type: 'leaders_notified' as const,
                    data: {
                      milestone: m.milestone,
                      round: m.round,
                      recipients: sent.recipients ?? [],
                      notice: noticeIdOf(m),
                      people: noticeRecipients(m, this.deps.directory).map((r) => r.person.id),
                    },
                  },
                ]
              : []),
          ];
    const planner = this.deps.planner;
    await this.deps.store.appendSystemEvents(m.complaintId, events, planner ? { replan: (before, next) => planner.plan(before, next, now) } : {});
  }
}
