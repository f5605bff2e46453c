/**
 * The small interfaces the use cases talk to. `shared/store` and `shared/adapters/{aws,local}`
 * implement them; tests may inject their own.
 */
import type { ListItemView } from '#domain/access.ts';
import type { Transition } from '#domain/lifecycle.ts';
import type { Complaint, Severity, Status } from '#domain/model.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface ListSpec {
  /** Exactly one partition is read: a unit's worklist or a status list. */
  partition: { kind: 'unit'; unitId: string; status?: Status } | { kind: 'status'; status: Status };
  severity?: Severity;
  /** Hide complaints about this staff member (seed 001 art. 15). */
  excludeSubject?: string;
  limit: number;
  cursor?: string;
}

export interface ComplaintStore {
  /** Conditional put; when the id exists already, returns the stored complaint instead. */
  create(complaint: Complaint): Promise<{ created: boolean; complaint: Complaint }>;
  get(id: string): Promise<Complaint | undefined>;
  /** One conditional UpdateItem guarded by `expectedVersion`; throws Conflict when it moved on. */
  save(transition: Transition, expectedVersion: number): Promise<void>;
  findByTrackingCode(code: string): Promise<Complaint | undefined>;
  /** The complaints of one (canonical) phone, newest first, from the index projection. */
  findByPhone(phone: string, limit?: number): Promise<{ id: string; status: Status; waybillNo?: string }[]>;
  list(spec: ListSpec): Promise<{ items: ListItemView[]; cursor?: string }>;
  /** Open complaints whose next warn/due instant is at or before `instant`, across all shards. */
  dueBefore(instant: string, limit: number): Promise<{ id: string; nextDueAt: string }[]>;
}

/** A one-time timer: "run the SLA check for this complaint milestone at this instant". */
export interface TimerSpec {
  /** Deterministic (e.g. `sla-<id>-<milestone>-r<round>-<point>`), so a retry cannot create a duplicate. */
  name: string;
  at: Date;
  payload: SlaCheckPayload;
}

export interface SlaCheckPayload {
  complaintId: string;
  milestone: string;
  round: number;
  /** `warn` at 80 %, `due` at the deadline, `quality` at due + 1 working day. */
  point: 'warn' | 'due' | 'quality' | 'leaders';
  /** Complaint version that planned the timer; a stale timer re-reads and decides on the current state. */
  version: number;
}

/** EventBridge Scheduler in AWS; the local stack's own timer wheel locally. */
export interface Scheduler {
  /** Creates or keeps the timer (same name → no duplicate). */
  schedule(timer: TimerSpec): Promise<void>;
  /** Deletes timers a transition made obsolete; a missing timer is not an error. */
  cancel(names: string[]): Promise<void>;
}

/** SQS in AWS; an in-process queue with redelivery and a DLQ locally. */
export interface EscalationQueue {
  send(messages: import('#domain/escalation.ts').EscalationMessage[]): Promise<void>;
}

export interface MailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  /** Stable id of what this e-mail is about, for the once-only ledger and the Message-ID header. */
  dedupeKey: string;
}

/** SES v2 in AWS; `.eml` files under `.data/outbox/` locally. */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

export interface SmsMessage {
  to: string;
  text: string;
  /** Idempotency key: the same key is never sent twice by the adapter's caller. */
  dedupeKey: string;
}

/** AWS End User Messaging SMS in AWS; an outbox folder locally. */
export interface SmsSender {
  send(message: SmsMessage): Promise<{ messageId: string }>;
}
