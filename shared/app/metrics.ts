/**
 * Operator metrics as CloudWatch Embedded Metric Format: one JSON line on stdout per data point, which
 * CloudWatch Logs turns into a metric of namespace {@link METRIC_NAMESPACE} — no SDK call, no IAM, no
 * flush to forget (a line is written when the thing happens, so a crash later loses nothing). Each line
 * also carries the invocation's correlation fields as plain properties (not dimensions), so a breach
 * on the dashboard leads to its complaint in Logs Insights. Dimensions are low-cardinality vocabularies
 * only (channel, milestone, level, purpose) — never a complaint id —, each metric published with its
 * dimension and once without, for totals and alarms. Locally the lines go to stdout; tests collect them
 * with {@link captureMetrics}. Why not Powertools Metrics: decision 054.
 */
import { correlation } from './correlation.ts';
import type { SmsPurpose } from './ports.ts';

/** The one CloudWatch namespace of the system's own metrics (the dashboard and alarms read it). */
export const METRIC_NAMESPACE = 'ComplaintLoop';

/** Every metric the functions emit, by name: the infra reads the same names. */
export const METRIC = {
  /** A new case taken in, dimension `channel`. */
  intake: 'IntakeReceived',
  /** A repeat complaint linked to its case (重复投诉), dimension `channel`. */
  repeat: 'RepeatsLinked',
  /** A deadline passed unmet (the SLA check decided its `due` point), dimension `milestone`. */
  breach: 'DeadlinesBreached',
  /** An escalation e-mail or complainant SMS accepted by the provider, dimension `level`. */
  escalationSent: 'EscalationsSent',
  /** An escalation whose send threw (redelivered by SQS, then the DLQ), dimension `level`. */
  escalationFailed: 'EscalationsFailed',
  /** SMS parts handed to the provider (billed per part), dimension `purpose`. */
  smsParts: 'SmsParts',
  /** SMS the provider refused or that failed in transit, dimension `purpose`. */
  smsFailed: 'SmsFailed',
  /** SMS the guard withheld on purpose (opt-out, daily cap, not a mobile), dimension `reason`. */
  smsWithheld: 'SmsWithheld',
  /** Age of the oldest side effect still pending that the sweep saw (0: none), milliseconds. */
  outboxAge: 'OutboxAgeMs',
  /** An HTTP request answered 5xx by a function. */
  serverError: 'ServerErrors',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

type Unit = 'Count' | 'Milliseconds';

/**
 * stdout in Lambda (where CloudWatch reads EMF) and locally; nothing under tests unless captured, and nothing
 * with `POWERTOOLS_METRICS_DISABLED=true` (Powertools' switch, set by `npm run bench`, whose figures the
 * lines would bury).
 */
let capture: string[] | undefined;

function emit(name: MetricName, value: number, unit: Unit, dimension?: readonly [string, string]): void {
  if (!capture && ((process.env['VITEST'] && !process.env['LOG_LEVEL']) || process.env['POWERTOOLS_METRICS_DISABLED'] === 'true')) return;
  const line = JSON.stringify({
    ...correlation(),
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: dimension ? [[dimension[0]], []] : [[]], Metrics: [{ Name: name, Unit: unit }] }],
    },
    ...(dimension && { [dimension[0]]: dimension[1] }),
    [name]: value,
  });
  if (capture) capture.push(line);
  else process.stdout.write(`${line}\n`);
}

/** A new case (`created`) or a repeat linked to one, per channel. */
export function recordIntake(channel: string, kind: 'created' | 'repeat' = 'created'): void {
  emit(kind === 'created' ? METRIC.intake : METRIC.repeat, 1, 'Count', ['channel', channel]);
}

/** The points an SLA check decided: each `due` point is a breach of its milestone. */
export function recordDecided(points: readonly { milestone: string; point: string }[]): void {
  for (const p of points) if (p.point === 'due') emit(METRIC.breach, 1, 'Count', ['milestone', p.milestone]);
}

/** One escalation delivered or failed, per level (warning, breach, quality, leaders, complainant). */
export function recordEscalation(outcome: 'sent' | 'failed', level: string): void {
  emit(outcome === 'sent' ? METRIC.escalationSent : METRIC.escalationFailed, 1, 'Count', ['level', level]);
}

/** UCS-2 (any Chinese text): 70 characters in one part, 67 per part once split (the rest is the header). */
export function smsParts(text: string): number {
  const length = Array.from(text).length;
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

/** What became of one complainant SMS at the provider, per purpose (`notice` when it has none). */
export function recordSms(purpose: SmsPurpose | undefined, outcome: { text: string } | 'failed'): void {
  const p: readonly [string, string] = ['purpose', purpose ?? 'notice'];
  if (outcome === 'failed') emit(METRIC.smsFailed, 1, 'Count', p);
  else emit(METRIC.smsParts, smsParts(outcome.text), 'Count', p);
}

/** A text the SMS guard withheld, per reason. */
export function recordSmsWithheld(reason: string): void {
  emit(METRIC.smsWithheld, 1, 'Count', ['reason', reason]);
}

/**
 * The age of the oldest pending side effect (escalation, outbox entry) a sweep saw; 0 when it saw
 * none, so that the alarm has data every run. The alarm fires above 5 minutes.
 */
export function recordOutboxAge(ms: number): void {
  emit(METRIC.outboxAge, Math.max(0, Math.round(ms)), 'Milliseconds');
}

/** A request answered 5xx (besides API Gateway's own 5xx metric: this one is per function line). */
export function recordServerError(): void {
  emit(METRIC.serverError, 1, 'Count');
}

/** For tests: collects the EMF lines as written, instead of printing them, until `stop`. */
export function captureMetrics(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  capture = lines;
  return {
    lines,
    stop: () => {
      if (capture === lines) capture = undefined;
    },
  };
}
