/**
 * Structured JSON logs: one line each, CloudWatch-friendly, every line of one invocation carrying its
 * correlation fields (`correlationId` — for HTTP the API Gateway request id that the problem body's
 * `instance` names —, function, cold start, complaint id where known; `#app/correlation.ts`).
 * Personal data never reaches a line: every string is run through the free-text masker (phones,
 * landlines, ID numbers, e-mail addresses), whatever a caller or an SDK error message put in it.
 * A tiny writer rather than Powertools Logger: decision 054 has the bundle and import figures.
 * Quiet under tests unless LOG_LEVEL is set or a test captures the lines ({@link captureLogs}).
 */
import type { Logger } from '#app/ports.ts';
import { correlation } from '#app/correlation.ts';
import { maskFreeText } from '#domain/masking.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
type Level = keyof typeof LEVELS;

/** Where lines go instead of stdout/stderr while a test captures them. */
let capture: string[] | undefined;

function threshold(): number {
  const configured = process.env['LOG_LEVEL'] as Level | undefined;
  if (configured && configured in LEVELS) return LEVELS[configured];
  if (capture) return LEVELS.debug;
  return process.env['VITEST'] ? LEVELS.silent : LEVELS.info;
}

/**
 * Every string masked, the shape kept. Only strings are touched (a JSON number such as 13800138000 ms
 * stays a number); an Error keeps its name, message and stack, which `JSON.stringify` would drop.
 */
function scrub(value: unknown): unknown {
  if (typeof value === 'string') return maskFreeText(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value instanceof Error)
    return { name: value.name, message: maskFreeText(value.message), ...(value.stack !== undefined && { stack: maskFreeText(value.stack) }) };
  if (value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  }
  return value;
}

function write(level: Level, message: string, data?: Record<string, unknown>): void {
  if (LEVELS[level] < threshold()) return;
  // Correlation fields last: a caller's `data` cannot overwrite the id an operator searches by.
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    message: maskFreeText(message),
    ...(data && (scrub(data) as Record<string, unknown>)),
    ...correlation(),
  });
  if (capture) capture.push(line);
  else (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log: Logger & { debug(message: string, data?: Record<string, unknown>): void } = {
  debug: (m, d) => write('debug', m, d),
  info: (m, d) => write('info', m, d),
  warn: (m, d) => write('warn', m, d),
  error: (m, d) => write('error', m, d),
};

/**
 * For tests: collects every line (debug and up) as written, instead of printing it, until `stop`.
 * The array fills as lines are written.
 */
export function captureLogs(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  capture = lines;
  return {
    lines,
    stop: () => {
      if (capture === lines) capture = undefined;
    },
  };
}
