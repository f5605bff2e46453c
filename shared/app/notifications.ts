/**
 * Wiring of everything that tells people things: the escalation consumer's use case and the
 * observers that text the complainant. Kept out of `container.ts` so the composition root stays short.
 */
import type { UnitDirectory } from '#domain/directory.ts';
import type { DeadlinePlanner } from '#domain/lifecycle.ts';
import { DynamoEscalationLedger } from '#store/escalation-ledger.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger, TransitionObserver } from './complaints.ts';
import { EscalationService } from './escalation.ts';
import type { Clock, ComplaintStore, EscalationQueue, Mailer, SmsSender } from './ports.ts';
import { ProgressUpdateObserver, ReceiptSmsObserver } from './progress-updates.ts';

export interface NotificationPorts {
  queue?: EscalationQueue;
  mailer?: Mailer;
  sms?: SmsSender;
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
  queue: EscalationQueue;
  mailer: Mailer;
  sms: SmsSender;
  escalations: EscalationService;
  /** Receipt SMS (needs `sms`) and progress updates (need `queue`), only for the ports given. */
  observers: TransitionObserver[];
}

export function buildNotifications(
  ports: NotificationPorts,
  deps: { doc: DynamoDBDocumentClient; tableName: string; store: ComplaintStore; clock: Clock; directory: UnitDirectory; planner: DeadlinePlanner; logger: Logger; leaseMillis?: number },
): Notifications {
  const queue = ports.queue ?? missing<EscalationQueue>('escalation queue');
  const mailer = ports.mailer ?? missing<Mailer>('mailer');
  const sms = ports.sms ?? missing<SmsSender>('SMS sender');
  const escalations = new EscalationService({
    store: deps.store,
    ledger: new DynamoEscalationLedger(deps.doc, deps.tableName),
    mailer,
    sms,
    clock: deps.clock,
    directory: deps.directory,
    logger: deps.logger,
    planner: deps.planner,
    ...(ports.queue && { queue: ports.queue }),
    ...(deps.leaseMillis !== undefined && { leaseMillis: deps.leaseMillis }),
  });
  const observers: TransitionObserver[] = [
    ...(ports.sms ? [new ReceiptSmsObserver({ sms: ports.sms, ...(ports.queue && { queue: ports.queue }), clock: deps.clock, directory: deps.directory, logger: deps.logger })] : []),
    ...(ports.queue ? [new ProgressUpdateObserver({ queue: ports.queue, clock: deps.clock })] : []),
  ];
  return { queue, mailer, sms, escalations, observers };
}
