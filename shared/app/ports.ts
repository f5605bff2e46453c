/**
 * The small interfaces the use cases talk to. `shared/store` and `shared/adapters/{aws,local}`
 * implement them; tests may inject their own.
 */
import type { ListItemView } from '#domain/access.ts';
import type { AssistRow } from '#domain/assist.ts';
import type { Transition } from '#domain/lifecycle.ts';
import type { Category, Complaint, ComplaintEvent, Severity, Status } from '#domain/model.ts';
import type { DueBounds } from '#domain/queues.ts';
import type { MessageOutcome } from '#domain/channels/outcome.ts';
import type { Receipt } from '#domain/receipt.ts';
import type { DeterminationListSpec, DeterminationRow, RectificationListSpec, RectificationRow } from '#domain/quality.ts';
import type { Counts, Report } from '#domain/report-model.ts';
import type { StatsMemory } from '#domain/indicators.ts';
import type { StoredDirectory } from './directory-ports.ts';
import type { Effect, PendingEffect } from './effects.ts';

/** Side effects after a committed transition: timers, notices, receipts. Must not throw for business reasons. */
export interface TransitionObserver {
  afterTransition(before: Complaint | undefined, transition: Transition): Promise<void>;
}

/** Structured log lines; `#adapters/log.ts` writes them as JSON with the invocation's correlation fields. */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** A worklist queue as the store filters it (decision 067; shared/domain/queues.ts). */
export interface ListQueue {
  bounds?: DueBounds;
  signed?: boolean;
  /** Staff key whose leaders'-notice confirmation is awaited, `*` for anyone's. */
  noticeAwaiting?: string;
  /** An extension request awaits its decision (decision 069). */
  extensionRequested?: boolean;
}

export interface ListSpec {
  /** Exactly one partition is read: a unit's worklist or a status list. */
  partition: { kind: 'unit'; unitId: string; status?: Status } | { kind: 'status'; status: Status };
  severity?: Severity;
  queue?: ListQueue;
  /** Hide complaints about this staff member (seed 001 art. 15). */
  excludeSubject?: string;
  limit: number;
  cursor?: string;
}

/** The quality worklists, read by index (decision 058; `shared/store/quality-lists.ts`). */
export interface QualityRows {
  /** 有理由投诉 awaiting or after the centre's determination. */
  listDeterminations(spec: DeterminationListSpec): Promise<{ items: DeterminationRow[]; cursor?: string }>;
  /** 分析整改 records by unit and status. */
  listRectifications(spec: RectificationListSpec): Promise<{ items: RectificationRow[]; cursor?: string }>;
  /** `count=true`: how many rows the whole determination list holds, with the same filters. */
  countDeterminations(spec: Omit<DeterminationListSpec, 'limit' | 'cursor'>): Promise<QualityCount>;
  /** `count=true`: how many rows the whole rectification list holds, with the same filters. */
  countRectifications(spec: Omit<RectificationListSpec, 'limit' | 'cursor'>): Promise<QualityCount>;
}

/** A quality list's size; `capped`: the count stopped at its bound of rows read (a lower bound then). */
export interface QualityCount {
  count: number;
  capped: boolean;
}

/**
 * What a transition needs of the complaint store: the item by id, tracking code or phone, the
 * conditional writes and the cluster counts. The deciding functions bundle only this half
 * (`shared/store/complaint-records.ts`); the lists and the due index are {@link ComplaintQueries}.
 */
export interface ComplaintRecords {
  /**
   * Conditional put; when the id exists already, returns the stored complaint instead. `effects`:
   * what the new complaint owes, recorded in the same put (the transactional outbox, decision 051).
   */
  create(complaint: Complaint, effects?: Effect[]): Promise<{ created: boolean; complaint: Complaint }>;
  /** The working copy for a transition: the state, the intake events and the newest events. */
  get(id: string): Promise<Complaint | undefined>;
  /** The complaint with its whole history, history pages included (docs/decisions/033-history-pages.md). */
  getWithHistory(id: string): Promise<Complaint | undefined>;
  /**
   * One conditional UpdateItem guarded by `expectedVersion`; throws Conflict when it moved on.
   * `effects`: what the transition owes, recorded in the same write (decision 051).
   */
  save(transition: Transition, expectedVersion: number, effects?: Effect[]): Promise<void>;
  findByTrackingCode(code: string): Promise<Complaint | undefined>;
  /** The complaints of one (canonical) phone, newest first, from the index projection. */
  findByPhone(phone: string, limit?: number): Promise<{ id: string; status: Status; waybillNo?: string }[]>;
  /**
   * How many complaints of `category` received since `since` (createdAt) are at the unit now,
   * `excludeId` not counted: by key, from the unit's cluster day items (decision 045) — never a
   * filter over its worklist. Below `confirmFrom` candidates (default 1: always exact) the count is
   * an upper bound, confirmed on the complaint items from there on.
   */
  countRecentByUnitCategory(unitId: string, category: Category, since: string, excludeId?: string, confirmFrom?: number): Promise<number>;
  /** Records that the complaint reached its unit, for that count; idempotent, written before the assignment is saved. */
  recordAtUnit(complaint: Complaint): Promise<void>;
  /**
   * Appends system events (escalation sent, leaders notified, progress update sent) with the same
   * version-guarded UpdateItem as a transition; re-reads and retries on a version conflict. Idempotent
   * by the first event's `key`: when the history holds it already, nothing is written.
   */
  appendSystemEvents(id: string, events: SystemEvent[], opts?: AppendOptions): Promise<{ appended: boolean; complaint: Complaint }>;
}

/** The store's lists: worklists, their counts, the due index and the 协办 tasks (`shared/store/dynamo-store.ts`). */
export interface ComplaintQueries {
  list(spec: ListSpec): Promise<{ items: ListItemView[]; cursor?: string }>;
  /** How many items the whole list holds (Select COUNT over the same key condition and filter; the worklist badges). */
  count(spec: Omit<ListSpec, 'limit' | 'cursor'>): Promise<number>;
  /**
   * Open complaints whose next warn/due instant is at or before `instant`, across all shards,
   * earliest first. `after` (a previous page's last `nextDueAt#id`) pages on past it.
   */
  dueBefore(instant: string, limit: number, after?: string): Promise<{ id: string; nextDueAt: string }[]>;
  /** The open 协办 tasks of one unit, earliest deadline first, by key (decision 048). */
  listAssists(spec: { unitId: string; limit: number; cursor?: string; excludeSubject?: string }): Promise<{ items: AssistRow[]; cursor?: string }>;
}

/** The whole complaint store: records and lists. */
export interface ComplaintStore extends ComplaintRecords, ComplaintQueries {}

/** A history event written by the system itself; `seq` is assigned by the store. */
export type SystemEvent = Omit<import('#domain/model.ts').ComplaintEvent, 'seq'>;

export interface AppendOptions {
  /** Keeps deadlines in step (e.g. `leaders_notified` meets that milestone): the SLA planner. */
  replan?: (before: Complaint, next: Complaint) => Pick<Complaint, 'deadlines' | 'nextDueAt'>;
  /** Version conflicts tolerated before giving up (default 5). */
  maxAttempts?: number;
}

/**
 * The one timer of a complaint: "run the SLA check for this complaint at this instant" — its
 * earliest pending check point, whatever milestone it belongs to (decision 053).
 */
export interface TimerSpec {
  /** `sla-<complaintId>`: one per complaint, so moving the point updates the schedule in place. */
  name: string;
  at: Date;
  payload: SlaCheckPayload;
}

/**
 * What a timer carries: only the complaint and the instant it was armed for. The check re-reads the
 * complaint and decides every point due then; the instant tells a stale firing (the schedule was
 * moved after it went off) from a current one.
 */
export interface SlaCheckPayload {
  complaintId: string;
  /** ISO instant of the check point the timer was armed for. */
  at: string;
}

/** How `arm` should try first: whether the complaint's schedule is believed to exist now. */
export interface ArmOptions {
  /**
   * True when the schedule was armed for a point still in the future (update it in place); false
   * when there was none or it has already fired and deleted itself (create it). A wrong guess
   * costs one extra call, never a wrong result: the adapter falls back to the other operation.
   */
  exists: boolean;
}

/** EventBridge Scheduler in AWS; the local stack's own timer heap locally. */
export interface Scheduler {
  /** Sets the named timer to fire at `timer.at` with `timer.payload`: creates it, or moves it in place. */
  arm(timer: TimerSpec, opts: ArmOptions): Promise<void>;
  /** Removes the named timer; a missing one (fired, never created) is not an error. */
  disarm(name: string): Promise<void>;
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
  /** Files sent with it (the monthly report's XLSX, decision 061). */
  attachments?: MailAttachment[];
}

/** A file attached to an e-mail; `filename` may be Chinese (RFC 2231 in MIME, SES encodes it itself). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** SES v2 in AWS; `.eml` files under `.data/outbox/` locally. */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/**
 * Why a text goes to a complainant, for the SMS guard (`sms-guard.ts`): receipts are capped per
 * phone and day; an opt-out (TD) stops everything but its own confirmation.
 */
export type SmsPurpose = 'receipt' | 'progress' | 'result' | 'reply' | 'opt_out_confirmation';

export interface SmsMessage {
  to: string;
  text: string;
  /** Idempotency key: the same key is never sent twice by the adapter's caller. */
  dedupeKey: string;
  /** Absent: an ordinary notice (mobile only, opt-out honoured, not capped). */
  purpose?: SmsPurpose;
}

/** Why the guard did not send a text. */
export type SmsDropReason = 'not-a-mobile' | 'opted-out' | 'daily-receipt-cap';

/** AWS End User Messaging SMS in AWS; an outbox folder locally. */
export interface SmsSender {
  /** `dropped`: the guard withheld the text on purpose (logged); nothing reached the provider. */
  send(message: SmsMessage): Promise<{ messageId: string; dropped?: SmsDropReason }>;
}

/**
 * The keys of the leaders' notice confirm links (decision 049): the first signs, every one verifies,
 * so a rotation keeps links sent under the previous key working.
 */
export interface NoticeKeys {
  keys(): Promise<string[]>;
}

/** What the SMS guard needs to know about a phone (DynamoDB items `OPTOUT#…`, `SMSCAP#…`). */
export interface SmsPolicyStore {
  isOptedOut(phone: string): Promise<boolean>;
  /**
   * Takes one of `cap` receipt slots of `phone` on the Shanghai day `day` for `dedupeKey`, atomically
   * (one conditional ADD to a string set): true when taken — or already held by the same key, so a
   * retried receipt is not counted twice — false when the day's slots are gone.
   */
  takeReceiptSlot(phone: string, day: string, dedupeKey: string, cap: number): Promise<boolean>;
}

/** An intake idempotency key as recorded (`IDEM#<namespace>#<key>`): who sent it, for what, with what result. */
export interface IntakeKeyRecord {
  caller: string;
  hash: string;
  /** Set once the intake finished; absent while pending (or after a crash between the two writes). */
  result?: { complaintId: string; repeat?: boolean; receiptId?: string };
}

export type IntakeKeyClaim = { outcome: 'claimed' } | { outcome: 'same'; record: IntakeKeyRecord } | { outcome: 'reused'; record: IntakeKeyRecord };

/**
 * Intake's own records besides the complaint: idempotency keys bound to caller + request hash, and
 * receipts of public repeats (docs/decisions/031-idempotency-keys-bound-to-request.md, 030).
 */
export interface IntakeLedger {
  /** Conditional put of the key record; an existing one is `same` (caller and hash match) or `reused`. */
  claimKey(namespace: string, key: string, record: Omit<IntakeKeyRecord, 'result'>, now: Date): Promise<IntakeKeyClaim>;
  completeKey(namespace: string, key: string, result: NonNullable<IntakeKeyRecord['result']>): Promise<void>;
  /** Conditional put; when the id exists already (a retry), returns the stored receipt. */
  putReceipt(receipt: Receipt): Promise<{ created: boolean; receipt: Receipt }>;
  getReceipt(id: string): Promise<Receipt | undefined>;
  findReceiptByTrackingCode(code: string): Promise<Receipt | undefined>;
}

/** Which once-only marker: one per (complaint, milestone, round, level), see `escalationDedupeKey`. */
export type LedgerKey = Pick<import('#domain/escalation.ts').EscalationMessage, 'complaintId' | 'milestone' | 'round' | 'level'>;

export interface LedgerRecord {
  dedupeKey: string;
  /**
   * `queued`: durably recorded before it was handed to the queue (decision 037); `sending`: claimed by
   * a delivery; `sent`: the mailer/SMS provider accepted it; `failed`: the send threw; `skipped`: the
   * consumer decided it must not be sent (closed complaint, met deadline).
   */
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
  /** Random id of the delivery attempt that holds the lease. */
  claimId: string;
  leaseUntil?: string;
  attempts: number;
  sqsMessageId?: string;
  providerMessageId?: string;
  recipients?: string[];
  sentAt?: string;
  /** The message as queued, for a redrive (absent on markers claimed without being queued first). */
  message?: import('#domain/escalation.ts').EscalationMessage;
  /** How often the sweep has put it back on the queue. */
  redrives?: number;
}

export type ClaimResult =
  | { outcome: 'claimed'; claimId: string; attempt: number }
  /** Sent before: a duplicate delivery, send nothing. */
  | { outcome: 'sent'; record: LedgerRecord }
  /** Another delivery holds a live lease: retry later (its lease may expire if it crashed). */
  | { outcome: 'in_flight'; leaseUntil: string };

/**
 * The once-only ledger of escalations (DynamoDB marker items `CMP#<id>` / `ESC#…`). A claim is a
 * conditional write with a lease, so a crashed delivery can be taken over after the lease expires.
 */
export interface EscalationLedger {
  claim(key: LedgerKey, now: Date, leaseMillis: number, context: { sqsMessageId?: string }): Promise<ClaimResult>;
  markSent(key: LedgerKey, claimId: string, result: { providerMessageId: string; recipients: string[]; at: Date }): Promise<void>;
  /** The send failed before the provider accepted it: the next delivery may claim at once. */
  release(key: LedgerKey, claimId: string, reason: string, now: Date): Promise<void>;
  get(key: LedgerKey): Promise<LedgerRecord | undefined>;
  /**
   * Records each message as `queued` with its body and a redrive time, before it goes on the queue;
   * a marker that exists already (queued, sending, sent) is kept as it is.
   */
  recordQueued(messages: import('#domain/escalation.ts').EscalationMessage[], now: Date, redriveAt: Date): Promise<void>;
  /**
   * Markers not yet sent whose redrive time is at or before `until`, earliest first, from a sparse
   * index (never a Scan). `after` (a previous result's `cursor`) pages on.
   */
  redriveDue(until: string, limit: number, after?: string): Promise<{ key: LedgerKey; cursor: string }[]>;
  /** After a redrive: the next redrive time, unless the marker was sent or skipped meanwhile. */
  deferRedrive(key: LedgerKey, at: Date, redrives: number): Promise<void>;
  /** The consumer decided not to send it: settled for good, no redrive. */
  markSkipped(key: LedgerKey, reason: string, now: Date): Promise<void>;
}

/**
 * One committed write of an item, as a change feed carries it: DynamoDB Streams in AWS (keys and new
 * image), the local store's own feed locally. `newImage` is the item as written (attributes a
 * transition left alone may be missing locally; a subscriber reads the item when it needs all).
 */
export interface ChangeRecord {
  eventName: 'INSERT' | 'MODIFY';
  keys: { PK: string; SK: string };
  newImage: Record<string, unknown>;
}

/** The store's side of a change feed: told after each committed write. Must not throw or block the writer. */
export interface ChangePublisher {
  publish(record: ChangeRecord): void;
}

/** Receives a batch of committed writes; a throw asks the feed to deliver the batch again later. */
export type ChangeSubscriber = (records: ChangeRecord[]) => Promise<void>;

/**
 * A feed of committed writes with any number of subscribers (the outbox dispatcher, later the
 * statistics aggregator): each gets every record, in order per item, at least once.
 */
export interface ChangeFeed extends ChangePublisher {
  /** Returns the unsubscribe function. */
  subscribe(subscriber: ChangeSubscriber): () => void;
}

/**
 * The effects a complaint's committed transitions still owe (`fx#<id>` attributes of the complaint
 * item, GSI6 `EFFECTS#<shard>`), for the dispatcher. Every write here is conditional and leaves the
 * complaint's `version` alone, so it can never make a person's command conflict (decision 036).
 */
export interface OutboxStore {
  /** The complaint (strongly consistent) and what it still owes. */
  pending(id: string): Promise<{ complaint: Complaint; effects: PendingEffect[] } | undefined>;
  /** Takes the effect for one delivery (`pending`, or `sending` with an expired lease): its claim id, or undefined when someone else holds it or it is gone. */
  claim(id: string, effectId: string, now: Date, leaseMillis: number): Promise<string | undefined>;
  /** Done: removes the effect, unless a newer transition re-recorded it since the claim (then it stays, to be carried out again). */
  settle(id: string, effectId: string, claimId: string): Promise<void>;
  /** Failed: back to `pending` with the error, and the complaint's redrive time moved to `retryAt`. */
  release(id: string, effectId: string, claimId: string, error: string, retryAt: Date): Promise<void>;
  /** Takes the complaint out of the pending-effects index, unless a write since `version` may have added effects. */
  clearIndex(id: string, version: number): Promise<void>;
  /** Complaints whose redrive time is at or before `until`, earliest first (GSI6, never a Scan); `after` pages on. */
  due(until: string, limit: number, after?: string): Promise<{ id: string; cursor: string }[]>;
}

/**
 * What {@link ChannelLedger.claim} found:
 * - `claimed`: this delivery owns the message now (`token` proves it to {@link ChannelLedger.release});
 *   `takeover` when it took the claim of a delivery that died without releasing it;
 * - `done`: an earlier delivery finished it, with this outcome;
 * - `busy`: a live delivery holds it; its lease ends in `retryAfterSeconds`.
 */
export type ClaimVerdict =
  | { state: 'claimed'; token: string; takeover: boolean }
  | { state: 'done'; outcome: MessageOutcome }
  | { state: 'busy'; retryAfterSeconds: number };

/**
 * What a channel remembers besides complaints (decision 032): which inbound message or call became what.
 * `MessageClaims` in `shared/store/channel-store.ts`.
 */
export interface ChannelLedger {
  /** Claims message `messageId` of `channel` for this delivery, or says who has it / what it became. */
  claim(channel: string, messageId: string, now: Date): Promise<ClaimVerdict>;
  /** Records what the message became; a retry of it replays this outcome. */
  complete(channel: string, messageId: string, outcome: MessageOutcome): Promise<void>;
  /** Gives a claim back (the delivery failed before filing), so the provider's retry may take it. */
  release(channel: string, messageId: string, token: string): Promise<void>;
}

/**
 * What the SMS channel remembers besides: the parts of a long SMS waiting for the rest, and opt-outs
 * (退订). `ChannelStore` in `shared/store/channel-store.ts`.
 */
export interface SmsLedger extends ChannelLedger {
  /** Stores one part of a long SMS and returns every part stored so far. */
  addPart(
    phone: string,
    reference: string,
    part: { partNumber: number; totalParts: number; text: string },
    now: Date,
  ): Promise<{ partNumber: number; totalParts: number; text: string }[]>;
  /** 退订: no more texts to this phone. */
  optOut(phone: string, now: Date): Promise<void>;
}

/** Where the archive objects go: an S3 bucket with Object Lock in AWS, `DATA_DIR/archive/` locally. */
export interface ArchiveStore {
  /** Writes `body` under `key` unless that key holds it already; true when something was written. */
  put(object: { key: string; body: Uint8Array; sha256: string; contentType: string }): Promise<boolean>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
}

/** One entry of an archive index partition: the case id and its sort key (`<endedAt>#<id>`). */
export interface ArchiveIndexEntry {
  id: string;
  sortKey: string;
}

/** The archive's view of the table: the year partitions of the archive index, and the minimising write. */
export interface ArchiveIndex {
  /** Cases that ended in `year` and are not archived, oldest end first, after the sort key `after`. */
  ended(year: number, limit: number, after?: string): Promise<ArchiveIndexEntry[]>;
  /** Archived cases of `year` that ended at or before `until`, oldest first, after `after`. */
  archived(year: number, until: string, limit: number, after?: string): Promise<ArchiveIndexEntry[]>;
  /**
   * Replaces the case item (guarded by `expectedVersion`) and rewrites every history page with its
   * events passed through `maskEvents`; throws Conflict when the case moved on.
   */
  rewrite(next: Complaint, expectedVersion: number, maskEvents: (events: ComplaintEvent[]) => ComplaintEvent[]): Promise<void>;
}

/** A metric sink (CloudWatch EMF in Lambda, a log line locally). */
export interface MetricSink {
  /** Records one value of `name` (unit Count) with the given dimensions. */
  put(name: string, value: number, dimensions?: Readonly<Record<string, string>>): void;
}

/** The SLA timers' entry point (`SlaTimers.sync`): schedules in step with the complaint's current state. */
export interface TimerSync {
  sync(before: Complaint | undefined, after: Complaint, opts: { direct: boolean }): Promise<void>;
}

/** Loads the stored directory (the `DIR` partition). */
export interface DirectorySource {
  load(): Promise<StoredDirectory>;
}

// Moved from report-snapshot.ts (decision 066: ports live here).
/** The immutable record of a closed month. */
export interface SnapshotRecord {
  /** `2026-11` for 2026-10-26 … 2026-11-25. */
  period: string;
  closedAt: string;
  calendarVersion: string;
  formulaVersion: string;
  /** The report as closed; absent when it went to the report store (`reportKey`). */
  report?: Report;
  reportKey?: string;
  /** Bytes of the report JSON (UTF-8). */
  reportBytes: number;
  workbook: { key: string; sha256: string; bytes: number; rows: Record<string, number> };
  /** Set once the e-mail went out. */
  mailedAt?: string;
  messageId?: string;
}

/** Where snapshot items live: the table (`SNAP#<period>`), written once. */
export interface SnapshotStore {
  get(period: string): Promise<SnapshotRecord | undefined>;
  /** Puts the record unless the period has one; false when it had (nothing written). */
  create(record: SnapshotRecord): Promise<boolean>;
  /** Takes the month's e-mail until `until` unless it was sent or another run holds it; false then. */
  claimMail(period: string, now: string, until: string): Promise<boolean>;
  markMailed(period: string, at: string, messageId: string): Promise<void>;
  /** Bytes the record takes as an item, by DynamoDB's rules. */
  sizeOf(record: SnapshotRecord): number;
}

// Moved from stats-aggregator.ts (decision 066: ports live here).
/** What a crash leaves: the marker's intent, finished by the next delivery. */
export interface StatsIntent {
  token: string;
  /** cell key (`<period>|<unitId>#<category>`) → counter id → delta. */
  cells: Record<string, Counts>;
  /** period → drill-down tokens. */
  periods: Record<string, string[]>;
  /** period → drill-down tokens removed (the complaint's own figures moved to another unit). */
  removed?: Record<string, string[]>;
}

export interface StatsMarker {
  seq: number;
  memory: StatsMemory;
  pending?: StatsIntent;
}

export interface StatsState {
  marker?: StatsMarker;
  /** period → drill-down tokens recorded for this complaint. */
  periods: Map<string, Set<string>>;
}

export interface CellDelta {
  period: string;
  cell: string;
  counts: Counts;
  tokens: string[];
}

/** The storage of counters and markers (`shared/store/stats-store.ts`). */
export interface StatsStore {
  state(complaintId: string): Promise<StatsState>;
  /** Moves the marker from `fromSeq` (undefined: none yet) and records the intent; false when the marker moved meanwhile. */
  begin(complaintId: string, fromSeq: number | undefined, marker: StatsMarker & { pending: StatsIntent }): Promise<boolean>;
  /** Adds the deltas unless the cell already has one of the tokens; answers whether it was applied. */
  applyCell(delta: CellDelta): Promise<boolean>;
  /** Records drill-down tokens on the complaint's month item. */
  addTokens(complaintId: string, period: string, tokens: string[]): Promise<void>;
  /** Removes drill-down tokens from the complaint's month item (a figure moved to another unit). */
  removeTokens(complaintId: string, period: string, tokens: string[]): Promise<void>;
  finish(complaintId: string, token: string): Promise<void>;
  releaseCell(period: string, cell: string, tokens: string[]): Promise<void>;
  /** The complaint with its whole history (when an image's history was paged past the counted seq). */
  fullComplaint(complaintId: string): Promise<Complaint | undefined>;
}
