/**
 * Wiring of everything that tells people things: the durable escalation queue and the escalation
 * consumer's use case (what a transition owes is decided by `effects.ts`, decision 051). Kept out of `container.ts` so the composition root stays short.
 */
import type { UnitDirectory } from '#domain/directory.ts';
import type { DeadlinePlanner } from '#domain/lifecycle.ts';
import { DynamoEscalationLedger } from '#store/escalation-ledger.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger, Clock, ComplaintRecords, EscalationQueue, Mailer, NoticeKeys, SmsSender } from '../ports.ts';
import { DurableEscalationQueue } from '../escalation-outbox.ts';
import { EscalationService } from '../escalation.ts';

export interface NotificationPorts {
  queue?: EscalationQueue;
  mailer?: Mailer;
  /** The complainant's SMS (the container puts the guard in front of the provider). */
  sms?: SmsSender;
  /** Staff SMS, the provider itself: never the complainant guard (decision 049). */
  staffSms?: SmsSender;
  /** Signs the leaders' notice confirm links (decision 049). */
  noticeKeys?: NoticeKeys;
}

/** A port that was not wired: fails when used, so nothing is dropped silently. */
function missing<T extends { send(...args: never[]): Promise<unknown> }>(name: string): T {
  return {
    send: async () => {
      throw new Error(`No ${name} is configured in this container`);
    },
  } as unknown as T;
}

export interface Notifications {
  /** The durable queue (ledger `queued`, then the transport) when a transport was given. */
  queue: EscalationQueue;
  /** Redrives markers queued but never sent (the sweep); absent without a transport. */
  outbox?: DurableEscalationQueue;
  mailer: Mailer;
  sms: SmsSender;
  escalations: EscalationService;
}

export function buildNotifications(
  ports: NotificationPorts,
  deps: {
    doc: DynamoDBDocumentClient;
    tableName: string;
    store: ComplaintRecords;
    clock: Clock;
    directory: UnitDirectory;
    planner: DeadlinePlanner;
    logger: Logger;
    leaseMillis?: number;
  },
): Notifications {
  const ledger = new DynamoEscalationLedger(deps.doc, deps.tableName);
  // Decision 037: every producer records `queued` in the ledger before the message travels.
  const outbox = ports.queue ? new DurableEscalationQueue({ ledger, queue: ports.queue, clock: deps.clock, logger: deps.logger }) : undefined;
  const queue = outbox ?? missing<EscalationQueue>('escalation queue');
  const mailer = ports.mailer ?? missing<Mailer>('mailer');
  const sms = ports.sms ?? missing<SmsSender>('SMS sender');
  const escalations = new EscalationService({
    store: deps.store,
    ledger,
    mailer,
    sms,
    clock: deps.clock,
    directory: deps.directory,
    logger: deps.logger,
    planner: deps.planner,
    ...(outbox && { queue: outbox }),
    ...(ports.staffSms && { staffSms: ports.staffSms }),
    ...(ports.noticeKeys && { noticeKeys: ports.noticeKeys }),
    ...(deps.leaseMillis !== undefined && { leaseMillis: deps.leaseMillis }),
  });
  return { queue, ...(outbox && { outbox }), mailer, sms, escalations };
}
