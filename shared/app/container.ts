/**
 * The whole system in one object, for the local stack, the tests and the benchmarks: they build it
 * with {@link buildContainer} and inject it with `setContainer`, and every per-function factory
 * (`#app/wiring/*`) then serves its part of it. No Lambda handler imports this module: each wires
 * only the ports it uses (docs/decisions/042-per-function-composition.md).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { noticeKeysFromEnv } from '#adapters/aws/notice-keys.ts';
import { decide, type LifecycleContext } from '#domain/lifecycle.ts';
import type { PointPlanner } from '#domain/sla/planner.ts';
import { log } from '#adapters/log.ts';
import { fromItem } from '#store/complaint-records.ts';
import { DynamoComplaintStore } from '#store/dynamo-store.ts';
import { DynamoDirectoryStore } from '#store/directory-store.ts';
import { DynamoOutboxStore } from '#store/outbox-store.ts';
import { ChannelStore } from '#store/channel-store.ts';
import { DynamoIntakeLedger } from '#store/intake-ledger.ts';
import type { ArchiveService } from './archive.ts';
import type { ArchiveStore } from './ports.ts';
import type { ReportSnapshotService } from './report-snapshot.ts';
import { ChannelService } from './channels.ts';
import { ComplaintReads } from './complaint-reads.ts';
import { ComplaintService } from './complaints.ts';
import {
  type TransitionObserver,
  systemClock,
  type ChangePublisher,
  type Clock,
  type ComplaintStore,
  type EscalationQueue,
  type Mailer,
  type Scheduler,
  type SmsSender,
} from './ports.ts';
import type { EscalationService } from './escalation.ts';
import { buildNotifications, type NotificationPorts } from './wiring/notifications.ts';
import { effectsOf } from './effects.ts';
import { OutboxDispatcher } from './outbox-dispatcher.ts';
import { CachedRuntimeConfig, LivePlanner, liveDirectory, liveLifecycle } from './runtime-config.ts';
import { buildSla, UNCONFIGURED_SCHEDULER, type SlaServices } from './sla.ts';
import { SmsGuard } from './sms-guard.ts';

export interface Container {
  service: ComplaintService;
  /** `get`, `list`, `track`: what `read` and `track` answer with. */
  reads: ComplaintReads;
  store: ComplaintStore;
  clock: Clock;
  lifecycle: LifecycleContext;
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Escalations travel here (SQS in AWS, in-process locally). */
  queue: EscalationQueue;
  mailer: Mailer;
  sms: SmsSender;
  /** The escalation consumer's use case (`functions/escalation`). */
  escalations: EscalationService;
  /** SLA timers, the SLA check and the sweep (`functions/sla-check`, `functions/sla-sweep`). */
  sla: SlaServices;
  /** Inbound SMS and IVR (`functions/channel-sms`, `functions/channel-ivr`). */
  channels: ChannelService;
  /** Carries out what committed transitions owe (`functions/outbox-dispatcher`, decision 051). */
  dispatcher: OutboxDispatcher;
  /** The runtime directory and calendar, cached ≤ 60 s on `clock` (decisions 055, 056). */
  config: CachedRuntimeConfig;
  /** Where the admin routes keep the directory and the loaded notices. */
  directoryStore: DynamoDirectoryStore;
  /** The yearly archive and the retention (`functions/archive`, decision 065); present when an archive store was given. */
  archive?: ArchiveService;
  /** The monthly snapshot and its e-mail (`functions/report-snapshot`, decision 061); present once a report source is wired. */
  reportSnapshot?: ReportSnapshotService;
}

import { buildArchiveService as archiveService } from './wiring/archive.ts';

export { documentClient } from './wiring/table.ts';
export { setContainer } from './wiring/registry.ts';

export interface BuildOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock?: Clock;
  /** Default: the SLA planner with the default policy on the runtime directory and calendar. */
  planner?: PointPlanner;
  /** SLA timers: EventBridge Scheduler in AWS, the local timer wheel locally. */
  scheduler?: Scheduler;
  observers?: TransitionObserver[];
  /** Queue, mailer, SMS sender: what the escalation consumer and the outbox dispatcher send with. */
  notifications?: NotificationPorts;
  /** Told of every committed complaint write (the local stack's stand-in for DynamoDB Streams, decision 051). */
  feed?: ChangePublisher;
  /** Escalation ledger lease (ms), see docs/decisions/005-escalation-delivery.md. */
  escalationLeaseMillis?: number;
  /** Where the archive goes (`DATA_DIR/archive/` locally) and the retention in years (default 3). */
  archive?: { store: ArchiveStore; retentionYears?: number };
}

export function buildContainer(opts: BuildOptions): Container {
  const clock = opts.clock ?? systemClock;
  const store = new DynamoComplaintStore(opts.doc, opts.tableName, opts.feed);
  const directoryStore = new DynamoDirectoryStore(opts.doc, opts.tableName);
  const config = new CachedRuntimeConfig({ source: directoryStore, clock });
  const planner = opts.planner ?? new LivePlanner(config);
  const lifecycle: LifecycleContext = liveLifecycle(config, planner);
  const directory = liveDirectory(config);
  const channelStore = new ChannelStore(opts.doc, opts.tableName);
  // Every complainant SMS passes the guard: mobiles only, opt-out honoured, receipts capped (decision 030).
  const provider = opts.notifications?.sms;
  // Staff SMS (the leaders' notice) go by the provider itself, never through the guard (decision 049).
  const ports: NotificationPorts = {
    noticeKeys: noticeKeysFromEnv(),
    ...opts.notifications,
    ...(provider && { sms: new SmsGuard({ sms: provider, policy: channelStore, clock, logger: log }), staffSms: opts.notifications?.staffSms ?? provider }),
  };
  const notifications = buildNotifications(ports, {
    doc: opts.doc,
    tableName: opts.tableName,
    store,
    clock,
    directory,
    planner: lifecycle.deadlines,
    logger: log,
    ...(opts.escalationLeaseMillis !== undefined && { leaseMillis: opts.escalationLeaseMillis }),
  });
  const sla = buildSla({
    store,
    clock,
    planner,
    scheduler: opts.scheduler ?? UNCONFIGURED_SCHEDULER,
    queue: notifications.queue,
    logger: log,
    ...(notifications.outbox && { outbox: notifications.outbox }),
  });
  const intakeLedger = new DynamoIntakeLedger(opts.doc, opts.tableName);
  const service = new ComplaintService({
    rules: decide,
    store,
    intake: intakeLedger,
    clock,
    lifecycle,
    effectsOf,
    ...(opts.observers && { observers: opts.observers }),
    logger: log,
    config,
  });
  const { queue, mailer, sms, escalations } = notifications;
  const channels = new ChannelService({ complaints: service, store, channels: channelStore, sms, clock, logger: log });
  const dispatcher = new OutboxDispatcher({
    outbox: new DynamoOutboxStore(opts.doc, opts.tableName, fromItem),
    sms,
    queue,
    timers: sla.timers,
    clock,
    logger: log,
  });
  const archive =
    opts.archive &&
    archiveService({
      doc: opts.doc,
      tableName: opts.tableName,
      store,
      clock,
      archive: opts.archive.store,
      ...(opts.archive.retentionYears !== undefined && { retentionYears: opts.archive.retentionYears }),
    });
  return {
    service,
    reads: new ComplaintReads({ store, intake: intakeLedger, clock }),
    store,
    clock,
    lifecycle,
    doc: opts.doc,
    tableName: opts.tableName,
    queue,
    mailer,
    sms,
    escalations,
    sla,
    channels,
    dispatcher,
    config,
    directoryStore,
    ...(archive && { archive }),
  };
}
