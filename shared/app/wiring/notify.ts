/**
 * The durable escalation queue of a Lambda, built on first use: the ledger records `queued`, then
 * SQS carries the message (decision 037). Only functions that escalate import this module.
 */
import { queueFromEnv } from '#adapters/aws/queue.ts';
import { log } from '#adapters/log.ts';
import { DynamoEscalationLedger } from '#store/escalation-ledger.ts';
import { DurableEscalationQueue } from '../escalation-outbox.ts';
import { clock } from './registry.ts';
import { tableFromEnv } from './table.ts';

let ledger: DynamoEscalationLedger | undefined;
let outbox: DurableEscalationQueue | undefined;

/** The escalation ledger: once-only claims and the `queued` markers. */
export function escalationLedger(): DynamoEscalationLedger {
  const { doc, tableName } = tableFromEnv();
  ledger ??= new DynamoEscalationLedger(doc, tableName);
  return ledger;
}

/** Every producer's escalation queue: the ledger records `queued` before the message travels. */
export function escalationOutbox(): DurableEscalationQueue {
  outbox ??= new DurableEscalationQueue({ ledger: escalationLedger(), queue: queueFromEnv(), clock: clock(), logger: log });
  return outbox;
}
