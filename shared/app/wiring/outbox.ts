/**
 * The outbox dispatcher of a Lambda (`outbox-dispatcher`, and the sweep's re-drive): the guarded SMS,
 * the durable escalation queue and the SLA timers — everything the request path no longer calls (decision 051).
 */
import { log } from '#adapters/log.ts';
import { fromItem } from '#store/complaint-records.ts';
import { DynamoOutboxStore } from '#store/outbox-store.ts';
import { OutboxDispatcher } from '../outbox-dispatcher.ts';
import { escalationOutbox } from './notify.ts';
import { clock, injectedContainer } from './registry.ts';
import { slaTimers } from './sla-timers.ts';
import { guardedSms } from './sms.ts';
import { tableFromEnv } from './table.ts';

let built: OutboxDispatcher | undefined;

export function outboxDispatcher(): OutboxDispatcher {
  const injected = injectedContainer();
  if (injected) return injected.dispatcher;
  if (built) return built;
  const { doc, tableName } = tableFromEnv();
  built = new OutboxDispatcher({
    outbox: new DynamoOutboxStore(doc, tableName, fromItem),
    sms: guardedSms(),
    queue: escalationOutbox(),
    timers: slaTimers(),
    clock: clock(),
    logger: log,
  });
  return built;
}
