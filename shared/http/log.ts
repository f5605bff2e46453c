/**
 * Structured JSON logs (one line each, CloudWatch-friendly). Quiet under tests unless LOG_LEVEL is set.
 */
import type { Logger } from '#app/complaints.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
type Level = keyof typeof LEVELS;

function threshold(): number {
  const configured = process.env['LOG_LEVEL'] as Level | undefined;
  if (configured && configured in LEVELS) return LEVELS[configured];
  return process.env['VITEST'] ? LEVELS.silent : LEVELS.info;
}

function write(level: Level, message: string, data?: Record<string, unknown>): void {
  if (LEVELS[level] < threshold()) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...data });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log: Logger & { debug(message: string, data?: Record<string, unknown>): void } = {
  debug: (m, d) => write('debug', m, d),
  info: (m, d) => write('info', m, d),
  warn: (m, d) => write('warn', m, d),
  error: (m, d) => write('error', m, d),
};
