/**
 * Every Lambda of the system and what it may do, in one table: the stack grants exactly this and the
 * infra tests read it back. Read-only is the default; a function writes only when it records lifecycle
 * events (SPEC: every step is a timestamped event) or escalation markers.
 */
import { existsSync } from 'node:fs';
import { API_FUNCTIONS, type ApiFunction } from '#http/routes.ts';
import { ACCOUNT_CONCURRENCY, MIN_UNRESERVED_CONCURRENCY, type PublicConcurrency } from './config.ts';
import { functionEntry } from './constructs/bundling.ts';

/**
 * Functions that no HTTP route invokes: the SLA clock, the escalation consumer and the daily calendar
 * watch. (The inbound channels are API functions — `/channels/sms`, `/channels/ivr` — and channel-sms
 * also takes SNS.)
 */
export const BACKGROUND_FUNCTIONS = [
  'sla-check',
  'sla-sweep',
  'escalation',
  'calendar-watch',
  'outbox-dispatcher',
  'archive',
  'report-snapshot',
  'stats-aggregator',
] as const;
export type BackgroundFunction = (typeof BACKGROUND_FUNCTIONS)[number];

/**
 * Functions CloudFormation runs at deploy time (custom resources), each created by its own construct with
 * its own, narrower grants — not by the loop over {@link FUNCTION_PROFILES}: `directory-seed` may only put
 * items of the `DIR` partition (infra/constructs/directory-seed.ts, decision 056).
 */
export const DEPLOY_FUNCTIONS = ['directory-seed'] as const;
export type FunctionName = ApiFunction | BackgroundFunction;

export interface FunctionProfile {
  /** `read`: GetItem/Query only; `write`: also PutItem/UpdateItem on the table (never DeleteItem). */
  table: 'read' | 'write';
  /** Creates and deletes its complaint's SLA schedules (EventBridge Scheduler) targeting `sla-check`. */
  schedules?: boolean;
  /** Puts escalation messages on the escalation queue. */
  escalates?: boolean;
  /** Sends e-mail through the SES identity (escalations to leaders, directors, quality managers). */
  sendsEmail?: boolean;
  /** Sends SMS through the origination identity (receipts, progress updates). */
  sendsSms?: boolean;
  /** Reads the webhook signing secret (signed SMS/IVR integrator webhooks). */
  verifiesWebhooks?: boolean;
  /** Reads the key of the leaders' notice confirm links: signs them (escalation) or checks them (notices). Decision 049. */
  noticeKeys?: boolean;
  /** Writes and reads the archive bucket (decision 065). */
  archives?: boolean;
  /** Writes and reads the report bucket: the monthly snapshots' workbooks (decision 061). */
  reports?: boolean;
  /** Seconds; API functions stay well under API Gateway's 30 s. */
  timeoutSeconds?: number;
  memoryMb?: number;
}

/**
 * A lifecycle command: writes the complaint (and, in the same write, what it owes: receipt, notices, timer
 * changes). It calls no scheduler, queue or SMS provider — the outbox dispatcher does (decision 051).
 */
const TRANSITION: FunctionProfile = { table: 'write' };
/** Runs SLA checks: writes marks, queues escalations, keeps the complaint's schedules. */
const SLA_CLOCK: FunctionProfile = { table: 'write', schedules: true, escalates: true };

export const FUNCTION_PROFILES = {
  // SPEC intake: answer with a tracking code; the receipt SMS is owed by the intake's write (decision 051).
  intake: TRANSITION,
  read: { table: 'read' },
  track: { table: 'read' },
  assignment: TRANSITION,
  contact: TRANSITION,
  reply: TRANSITION,
  callback: TRANSITION,
  'case-actions': TRANSITION,
  // 有理由投诉, 分析整改 and the monthly notice (decision 058), the compensation claim (decision 059).
  'quality-actions': TRANSITION,
  // Fired by a schedule: warns/escalates once per (complaint, milestone, level), then plans the next check.
  'sla-check': { ...SLA_CLOCK, timeoutSeconds: 60 },
  // The safety net: re-drives side effects still owed past their grace (GSI6), then re-runs overdue
  // checks whose schedule was lost (GSI2 open-by-due query).
  'sla-sweep': { ...SLA_CLOCK, sendsSms: true, timeoutSeconds: 300 },
  // SQS consumer: e-mails leaders, texts the complainant, records what was sent; after a breach e-mail it
  // queues the complainant's progress update (seed 000), so it produces onto its own queue too.
  escalation: { table: 'write', escalates: true, sendsEmail: true, sendsSms: true, noticeKeys: true, timeoutSeconds: 60 },
  // Daily: metric + admin e-mail while a holiday year is provisional (decision 041); reads no table.
  'calendar-watch': { table: 'read', sendsEmail: true, timeoutSeconds: 30 },
  'channel-sms': { ...TRANSITION, sendsSms: true, verifiesWebhooks: true },
  'channel-ivr': { ...TRANSITION, sendsSms: true, verifiesWebhooks: true },
  // A pure calculator: reads nothing, but every function gets at least the read profile.
  compensation: { table: 'read' },
  // Leaders confirm receipt of a major/urgent notice (decision 049): appends `notice_confirmed`, which
  // meets its clock (a stale confirm timer then finds nothing due); no timers, no queue.
  notices: { table: 'write', noticeKeys: true },
  // DynamoDB Streams consumer: carries out what committed transitions owe — receipt SMS, notices on the
  // escalation queue, the SLA schedules (and a check already due, in-process).
  'outbox-dispatcher': { ...SLA_CLOCK, sendsSms: true, timeoutSeconds: 60 },
  // The directory and calendar notices (decisions 055, 056): writes directory entries, and a loaded notice
  // re-plans open complaints (timers, progress updates), so it is a transition function; never deletes.
  admin: { ...TRANSITION, timeoutSeconds: 29 },
  // Monthly (decision 065): exports past years' ended cases to the archive bucket, marks them, and
  // minimises personal data after the retention; by index Queries, never a Scan. Re-runnable, so a
  // timeout only leaves the rest for the next run.
  archive: { table: 'write', archives: true, timeoutSeconds: 900, memoryMb: 1024 },
  // Daily at 01:00 Shanghai (decision 061): on the 26th closes the month into SNAP#<period> (one conditional
  // put), writes the monthly XLSX to the report bucket and e-mails it to the quality managers. The detail list
  // streams (our XLSX writer, decision 075: 100,000 rows in ~14 MB of heap); the workbook is held whole for the
  // attachment (~13 MB at 100,000 rows). 1 GB is for CPU, which Lambda gives in proportion to memory: deflate.
  'report-snapshot': { table: 'write', reports: true, sendsEmail: true, timeoutSeconds: 900, memoryMb: 1024 },
  // Decision 060: the second stream consumer — counters, markers and drill-down items (UpdateItem only).
  'stats-aggregator': { table: 'write', timeoutSeconds: 60 },
  // GET /reports: Query of the counter cells and the drill-down index, reads only.
  // The XLSX downloads (decisions 061, 075) deflate up to 4 MB in memory: more memory is more CPU for deflate.
  reports: { table: 'read', timeoutSeconds: 29, memoryMb: 1024 },
} as const satisfies Record<FunctionName, FunctionProfile>;

/**
 * The functions a public route invokes, and which reservation of the stage's `publicConcurrency` each
 * gets. Reserving caps them: a flood of intake or tracking requests runs out of its own reservation
 * and is throttled (429), while staff functions keep the unreserved pool (decision 038).
 */
export const PUBLIC_FUNCTIONS = { intake: 'intake', track: 'track', 'channel-sms': 'channel', 'channel-ivr': 'channel' } as const satisfies Partial<
  Record<FunctionName, keyof PublicConcurrency>
>;

/**
 * The reserved concurrency of each public function; refuses a configuration that would leave less than
 * Lambda's minimum of 100 unreserved executions under the default quota of 1,000.
 */
export function reservedConcurrency(concurrency: PublicConcurrency): Partial<Record<FunctionName, number>> {
  const reserved = Object.fromEntries(Object.entries(PUBLIC_FUNCTIONS).map(([name, share]) => [name, concurrency[share]])) as Partial<
    Record<FunctionName, number>
  >;
  const total = Object.values(reserved).reduce((sum, n) => sum + n, 0);
  if (ACCOUNT_CONCURRENCY - total < MIN_UNRESERVED_CONCURRENCY) {
    throw new Error(
      `Reserving ${total} concurrent executions for public functions leaves fewer than ${MIN_UNRESERVED_CONCURRENCY} of the default ${ACCOUNT_CONCURRENCY} unreserved`,
    );
  }
  return reserved;
}

export function profileOf(name: FunctionName): FunctionProfile {
  return FUNCTION_PROFILES[name];
}

/**
 * The entry of each function that exists in `functions/`: API functions must exist; a background
 * function is wired once its handler has been written. `overrides` lets tests supply entries.
 */
export function discoverEntries(overrides: Partial<Record<FunctionName, string>> = {}): Partial<Record<FunctionName, string>> {
  const entries: Partial<Record<FunctionName, string>> = {};
  for (const name of API_FUNCTIONS) {
    const entry = overrides[name] ?? functionEntry(name);
    if (!existsSync(entry)) throw new Error(`API function ${name} has no handler at ${entry}`);
    entries[name] = entry;
  }
  for (const name of BACKGROUND_FUNCTIONS) {
    if (entries[name] !== undefined) continue;
    const entry = overrides[name] ?? functionEntry(name);
    if (existsSync(entry)) entries[name] = entry;
  }
  return entries;
}
