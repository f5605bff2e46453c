/**
 * Composition root: builds the service and its adapters once per Lambda container (or once for the
 * local stack, which injects its own with `setContainer`). SDK clients are created here, once.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { directory, routing } from '#config/index.ts';
import type { DeadlinePlanner, LifecycleContext } from '#domain/lifecycle.ts';
import { log } from '#http/log.ts';
import { DynamoComplaintStore } from '#store/dynamo-store.ts';
import { ComplaintService, type TransitionObserver } from './complaints.ts';
import { systemClock, type Clock, type ComplaintStore } from './ports.ts';

export interface Container {
  service: ComplaintService;
  store: ComplaintStore;
  clock: Clock;
  lifecycle: LifecycleContext;
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/** Until the SLA planner is wired (see `shared/domain/sla`), complaints carry no deadlines. */
export const NO_DEADLINES: DeadlinePlanner = { plan: () => ({ deadlines: [], nextDueAt: undefined }) };

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export interface BuildOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock?: Clock;
  planner?: DeadlinePlanner;
  observers?: TransitionObserver[];
}

export function buildContainer(opts: BuildOptions): Container {
  const clock = opts.clock ?? systemClock;
  const store = new DynamoComplaintStore(opts.doc, opts.tableName);
  const lifecycle: LifecycleContext = { directory, routing, deadlines: opts.planner ?? NO_DEADLINES };
  const service = new ComplaintService({ store, clock, lifecycle, observers: opts.observers ?? [], logger: log });
  return { service, store, clock, lifecycle, doc: opts.doc, tableName: opts.tableName };
}

function fromEnvironment(): Container {
  const tableName = process.env['TABLE_NAME'];
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const endpoint = process.env['DYNAMODB_ENDPOINT'];
  const client = new DynamoDBClient(endpoint ? { endpoint } : {});
  return buildContainer({ doc: documentClient(client), tableName });
}

let current: Container | undefined;

/** The container for this process: built from the environment on first use unless one was set. */
export function container(): Container {
  current ??= fromEnvironment();
  return current;
}

export function setContainer(next: Container | undefined): void {
  current = next;
}
