/**
 * The one-command local stack: dynalite + the real handlers behind a local API Gateway, in one
 * process. Used by `npm start`, the integration tests, the demo and the benchmark.
 */
import './env.ts';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { FileArchiveStore } from '#adapters/local/archive.ts';
import { LocalChangeFeed } from '#adapters/local/change-feed.ts';
import { FileMailer } from '#adapters/local/mail.ts';
import { LocalEscalationQueue } from '#adapters/local/queue.ts';
import { LocalScheduler } from '#adapters/local/scheduler.ts';
import { FileSmsSender } from '#adapters/local/sms.ts';
import { buildContainer, documentClient, setContainer, type Container } from '#app/container.ts';
import { runInvocation } from '#app/correlation.ts';
import { adminService } from '#app/wiring/admin.ts';
import { directory as demoDirectory, routing as demoRouting } from '#config/index.ts';
import { seedEntries } from '#domain/directory-entries.ts';
import { systemClock, type ChangeRecord, type Clock } from '#app/ports.ts';
import type { ArchiveResult } from '#app/archive.ts';
import type { SlaSweepResult } from '#app/sla-sweep.ts';
import { handler as archiveHandler, type ArchiveEvent } from '#functions/archive/handler.ts';
import type { SnapshotRunResult } from '#app/report-snapshot.ts';
import { buildReportSnapshotService, counterReportSource } from '#app/wiring/report-snapshot.ts';
import { currentPeriod } from '#domain/reports.ts';
import { handler as reportSnapshotHandler } from '#functions/report-snapshot/handler.ts';
import { handler as escalationHandler } from '#functions/escalation/handler.ts';
import { handler as outboxDispatcherHandler } from '#functions/outbox-dispatcher/handler.ts';
import { handler as statsAggregatorHandler } from '#functions/stats-aggregator/handler.ts';
import { marshall } from '@aws-sdk/util-dynamodb';
import { handler as slaCheckHandler } from '#functions/sla-check/handler.ts';
import { handler as slaSweepHandler } from '#functions/sla-sweep/handler.ts';
import { log } from '#adapters/log.ts';
import { problemResponse } from '#http/problem.ts';
import { badTargetResponse, currentRequest, invokeRoute, notFoundResponse, requestUrl, send } from './api-gateway.ts';
import { ensureTable, reindexTable, startDynalite } from './dynamo.ts';
import { serveConsole } from './console.ts';
import { API_HANDLERS } from './functions.ts';
import { RateLimiter } from './rate-limit.ts';
import { serveStatic } from './static.ts';

export interface LocalStackOptions {
  port?: number;
  /** Keep data under this folder (LevelDB); in memory when absent. */
  dataDir?: string;
  tableName?: string;
  /**
   * Every time rule reads this clock. A `ManualClock` stands still (tests move it with
   * `timers.advanceTo`); a `ScaledClock` runs faster than real time (`CLOCK_SPEED`).
   */
  clock?: Clock;
  /** Safety-net SLA sweep every this many simulated minutes (default 15; 0: only `sweep()`). */
  sweepEveryMinutes?: number;
  /** Per-client token buckets on the public routes (default on; the bench and most tests turn it off). */
  rateLimit?: boolean;
  /** Escalation queue: wait before a failed record is redelivered (SQS visibility timeout; default 0). */
  escalationRetryDelayMs?: number;
  /** Years after a case ended before its personal data is minimised (default 3, decision 065). */
  retentionYears?: number;
  /**
   * The first statistics month the daily snapshot may close (`REPORT_SNAPSHOT_SINCE`, decision 061). Default: the
   * month the stack first started in (kept in `<dataDir>/reports/since`), so a fresh stack never mails months
   * before it existed.
   */
  reportSnapshotSince?: string;
  /**
   * `demo` (default): a table without a directory is seeded from `shared/config/units.json` + `routing.json` at
   * start-up. `empty`: it is left without one, as a deployment without `-c directorySeed` (decision 056).
   */
  directory?: 'demo' | 'empty';
}

export interface LocalStack {
  url: string;
  /** What the start-up catch-up did: the start-up sweep's result and how many complaints got their timers back. */
  startup: { sweep?: SlaSweepResult; timersRestored: number };
  container: Container;
  dynamoEndpoint: string;
  /** `.eml` e-mails and `sms.jsonl`: `<dataDir>/outbox/`, or a temporary folder when in memory. */
  outboxDir: string;
  /** The archive (decision 065): `<dataDir>/archive/`, or a temporary folder when in memory. */
  archiveDir: string;
  /** Runs the yearly archive now (the real `archive` handler, as its schedule does in AWS). */
  archive(event?: ArchiveEvent): Promise<ArchiveResult>;
  /** The closed months' workbooks (decision 061): `<dataDir>/reports/`, or a temporary folder when in memory. */
  reportsDir: string;
  /** Runs the daily monthly-snapshot job now (the real `report-snapshot` handler; also at start-up and every simulated hour). */
  reportSnapshot(): Promise<SnapshotRunResult>;
  /** The in-process escalation queue: `drain()` waits until every message is delivered or dead-lettered; `deadLetters` is the DLQ. */
  queue: LocalEscalationQueue;
  /** SLA timers (the EventBridge Scheduler stand-in): `advanceTo(instant)` fires what is due on the way. */
  timers: LocalScheduler;
  /** The store's change feed (the DynamoDB Streams stand-in); the outbox dispatcher is subscribed to it. */
  feed: LocalChangeFeed;
  /** The local SMS provider (`sms.jsonl`); `failNext(n)` takes it down for n texts. */
  sms: FileSmsSender;
  /**
   * Waits until every committed transition's side effects have been carried out (the change feed and
   * the escalation queue are idle, the timers settled): requests answer before their effects (decision 051).
   */
  drain(): Promise<void>;
  /** Runs the SLA safety-net sweep now (the real `sla-sweep` handler). */
  sweep(): Promise<SlaSweepResult>;
  close(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const tableName = opts.tableName ?? 'complaints';
  const dynamo = await startDynalite(opts.dataDir ? { path: join(opts.dataDir, 'dynamodb') } : {});
  await ensureTable(dynamo.client, tableName);
  // A kill -9 may have torn dynalite's last writes (item vs. its index entries): rewrite them before anything reads GSI2.
  if (dynamo.uncleanShutdown) log.info('local table re-indexed after an unclean shutdown', { items: await reindexTable(dynamo.client, tableName) });
  const outboxDir = opts.dataDir ? join(opts.dataDir, 'outbox') : await mkdtemp(join(tmpdir(), 'complaints-outbox-'));
  const archiveDir = opts.dataDir ? join(opts.dataDir, 'archive') : await mkdtemp(join(tmpdir(), 'complaints-archive-'));
  // The real consumer handler behind an SQS-shaped event source (partial batch failures, redrive to a DLQ).
  const queue = new LocalEscalationQueue({
    consumer: escalationHandler,
    maxReceiveCount: 5,
    ...(opts.escalationRetryDelayMs !== undefined && { visibilityTimeoutMs: opts.escalationRetryDelayMs }),
    ...(opts.dataDir && { dlqDir: join(opts.dataDir, 'dlq') }),
    logger: log,
  });
  // The DynamoDB Streams stand-in: the store publishes each committed complaint write; the real
  // outbox-dispatcher handler gets the records that left effects owed (the stream's filter criteria).
  const feed = new LocalChangeFeed({ logger: log, contextOf: () => currentRequest.getStore() });
  feed.subscribe(async (records) => {
    const owed = records.filter(owesEffects);
    if (owed.length === 0) return;
    const { batchItemFailures } = await outboxDispatcherHandler(streamEvent(owed));
    if (batchItemFailures.length > 0) throw new Error(`${batchItemFailures.length} complaint(s) still owe side effects`);
  });
  // The second consumer (decision 060): the real stats-aggregator handler gets every complaint write with its new
  // image, like the stream's NEW_IMAGE records in AWS; a failed batch is delivered again (it is idempotent).
  feed.subscribe(async (records) => {
    const writes = records.filter((r) => r.keys.PK.startsWith('CMP#') && r.keys.SK === 'A');
    if (writes.length === 0) return;
    const { batchItemFailures } = await statsAggregatorHandler(imageStreamEvent(writes));
    if (batchItemFailures.length > 0) throw new Error('statistics batch failed');
  });
  const notifications = {
    queue,
    mailer: new FileMailer({ dir: outboxDir, ...(opts.clock && { clock: opts.clock }), logger: log }),
    sms: new FileSmsSender({ dir: outboxDir, ...(opts.clock && { clock: opts.clock }), logger: log }),
  };
  // SLA timers: one in-process timer per complaint, in a heap on the stack's clock, firing the real sla-check handler.
  const timers = new LocalScheduler({ clock: opts.clock ?? systemClock, fire: slaCheckHandler, logger: log });
  const container = buildContainer({
    doc: documentClient(dynamo.client),
    tableName,
    notifications,
    scheduler: timers,
    feed,
    ...(opts.clock && { clock: opts.clock }),
    archive: { store: new FileArchiveStore(archiveDir), ...(opts.retentionYears !== undefined && { retentionYears: opts.retentionYears }) },
  });
  // The monthly snapshot (decision 061) over the same counters as GET /reports, mailing through the local outbox.
  const reportsDir = opts.dataDir ? join(opts.dataDir, 'reports') : await mkdtemp(join(tmpdir(), 'complaints-reports-'));
  const stackClock = opts.clock ?? systemClock;
  const since = opts.reportSnapshotSince ?? (await snapshotSince(reportsDir, stackClock, opts.dataDir !== undefined));
  container.reportSnapshot = buildReportSnapshotService({
    doc: container.doc,
    tableName,
    source: counterReportSource(),
    files: new FileArchiveStore(reportsDir),
    mailer: container.mailer,
    clock: stackClock,
    config: container.config,
    since,
  });
  setContainer(container);
  // A fresh table gets the demo directory (units.json, routing.json) once; admins change it from then on (decision 056).
  // In AWS the deployment seeds it (`-c directorySeed`); no function carries these files.
  if (opts.directory !== 'empty')
    await adminService().seed(seedEntries(demoDirectory, demoRouting), {
      by: 'local',
      note: 'seeded at local start-up from shared/config/units.json + routing.json',
    });
  // Decision 037: the queue and the timers live in memory, so a restart (or a kill -9) loses them.
  // Before serving: redrive every escalation queued but not sent, decide every deadline that passed
  // while the stack was down, then re-create the timers of the open complaints from the table.
  const startup = await runInvocation(`startup-${randomUUID()}`, { functionName: 'sla-sweep' }, () => catchUp(container));
  // The sweep also runs every 15 simulated minutes, like the rule in AWS.
  const sweep = () => slaSweepHandler();
  const speed = (opts.clock as { speed?: number } | undefined)?.speed ?? 1;
  const sweepMinutes = opts.sweepEveryMinutes ?? 15;
  const sweeper =
    speed > 0 && sweepMinutes > 0
      ? setInterval(
          () => void sweep().catch((error: unknown) => log.error('local SLA sweep failed', { error: String(error) })),
          (sweepMinutes * 60_000) / speed,
        )
      : undefined;
  sweeper?.unref();
  // The daily snapshot job (01:00 Shanghai in AWS): at start-up (a 26th missed while stopped is made up) and every
  // simulated hour — a run with nothing to close costs three GetItems.
  const snapshot = () => runInvocation(`report-snapshot-${randomUUID()}`, { functionName: 'report-snapshot' }, () => reportSnapshotHandler());
  const snapshotQuietly = () => void snapshot().catch((error: unknown) => log.error('local report snapshot failed', { error: String(error) }));
  await snapshot().catch((error: unknown) => log.error('local report snapshot failed', { error: String(error) }));
  const snapshotter = speed > 0 ? setInterval(snapshotQuietly, 3_600_000 / speed) : undefined;
  snapshotter?.unref();

  // Buckets refill on the stack's clock: a ManualClock stands still, so tests do not race real time.
  const limiter = opts.rateLimit === false ? undefined : new RateLimiter(() => (opts.clock ?? systemClock).now().getTime());
  const server: Server = createServer((req, res) => {
    // The change feed's consumers wait while a request is served (decision 070): in AWS they are other Lambdas.
    const release = feed.hold();
    res.once('finish', release);
    res.once('close', release);
    const url = requestUrl(req.url);
    if (!url) return send(res, badTargetResponse());
    serveConsole(req, res, url)
      .then(async (handled) => handled || invokeRoute(req, res, API_HANDLERS, url, limiter))
      .then(async (handled) => handled || serveStatic(req, res, url))
      .then((handled) => {
        if (!handled) send(res, notFoundResponse(req.method ?? 'GET', url.pathname));
      })
      .catch((error: unknown) => send(res, problemResponse(error)));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const drain = async () => {
    // Effects may queue messages and set timers whose checks write again (and owe again): until still.
    for (let round = 0; round < 10; round++) {
      await feed.drain();
      await timers.idle();
      await queue.drain();
      if (feed.isIdle()) return;
    }
  };
  return {
    url: `http://localhost:${port}`,
    startup,
    container,
    dynamoEndpoint: dynamo.endpoint,
    outboxDir,
    archiveDir,
    archive: (event) => archiveHandler(event),
    reportsDir,
    reportSnapshot: snapshot,
    queue,
    timers,
    feed,
    sms: notifications.sms,
    drain,
    sweep,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (sweeper) clearInterval(sweeper);
      if (snapshotter) clearInterval(snapshotter);
      // Effects still owed stay on the items (the next start drains them); those in flight finish first,
      // so that no dispatch meets a closed table.
      await Promise.race([feed.drain(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await feed.close();
      await timers.idle();
      timers.close();
      // Let deliveries in progress finish against the store before it goes away.
      await Promise.race([queue.drain(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      queue.close();
      await notifications.sms.close();
      setContainer(undefined);
      await dynamo.close();
      if (!opts.dataDir) await rm(outboxDir, { recursive: true, force: true });
      if (!opts.dataDir) await rm(archiveDir, { recursive: true, force: true });
      if (!opts.dataDir) await rm(reportsDir, { recursive: true, force: true });
    },
  };
}

/** The first month a snapshot may close: the month of the first start, remembered beside the workbooks. */
async function snapshotSince(dir: string, clock: Clock, persistent: boolean): Promise<string> {
  const file = join(dir, 'since');
  if (persistent) {
    const kept = await readFile(file, 'utf8').catch(() => undefined);
    if (kept && /^\d{4}-\d{2}$/.test(kept.trim())) return kept.trim();
  }
  const label = currentPeriod(clock.now()).label;
  if (persistent) {
    await mkdir(dir, { recursive: true });
    await writeFile(file, label);
  }
  return label;
}

/** The start-up sweep and timer restore; a failure is logged (the periodic sweep tries again), never fatal. */
async function catchUp(container: Container): Promise<LocalStack['startup']> {
  let sweep: SlaSweepResult | undefined;
  // The change feed lived in memory: every effect still owed (killed between the write and the SMS,
  // the provider down) is carried out before serving, whatever its age (decision 051).
  let effects: SlaSweepResult['effects'];
  try {
    effects = await container.dispatcher.redrive({ all: true });
  } catch (error) {
    log.error('start-up outbox drain failed', { error: error instanceof Error ? error.message : String(error) });
  }
  try {
    sweep = { ...(await container.sla.sweep.run({ startup: true })), ...(effects && { effects }) };
  } catch (error) {
    log.error('start-up SLA sweep failed', { error: error instanceof Error ? error.message : String(error) });
  }
  let timersRestored = 0;
  try {
    timersRestored = await container.sla.sweep.restoreTimers();
  } catch (error) {
    log.error('restoring SLA timers failed', { error: error instanceof Error ? error.message : String(error) });
  }
  if (sweep && (sweep.redriven > 0 || sweep.marked > 0 || timersRestored > 0 || (effects?.dispatched ?? 0) > 0))
    log.info('local stack caught up after start', { ...sweep, timersRestored });
  return { ...(sweep && { sweep }), timersRestored };
}

/** The stream's filter criteria (`infra/constructs/outbox.ts`): only writes that left the item in the pending-effects index. */
const owesEffects = (record: ChangeRecord): boolean => typeof record.newImage['GSI6PK'] === 'string';

let sequence = 0;

/** Change records as DynamoDB Streams hands them to the Lambda (keys only: the dispatcher reads the item). */
/** Stream records with the new image, as the table's NEW_IMAGE stream delivers them to the statistics aggregator. */
function imageStreamEvent(records: ChangeRecord[]): DynamoDBStreamEvent {
  return {
    Records: records.map(
      (r): DynamoDBRecord => ({
        eventID: String(++sequence),
        eventName: r.eventName,
        eventSource: 'aws:dynamodb',
        dynamodb: {
          Keys: { PK: { S: r.keys.PK }, SK: { S: r.keys.SK } },
          NewImage: marshall(r.newImage, { removeUndefinedValues: true, convertClassInstanceToMap: true }) as NonNullable<
            DynamoDBRecord['dynamodb']
          >['NewImage'],
          SequenceNumber: String(sequence).padStart(21, '0'),
          StreamViewType: 'NEW_IMAGE',
        },
      }),
    ),
  };
}

function streamEvent(records: ChangeRecord[]): DynamoDBStreamEvent {
  return {
    Records: records.map(
      (r): DynamoDBRecord => ({
        eventID: String(++sequence),
        eventName: r.eventName,
        eventSource: 'aws:dynamodb',
        dynamodb: { Keys: { PK: { S: r.keys.PK }, SK: { S: r.keys.SK } }, SequenceNumber: String(sequence).padStart(21, '0'), StreamViewType: 'KEYS_ONLY' },
      }),
    ),
  };
}
