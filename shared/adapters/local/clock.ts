/**
 * Clocks for the local stack and the tests: every time rule reads the injected `Clock`, so a fake
 * clock moves deadlines, timers and escalations together.
 * - {@link ManualClock}: stands still until told (`set`, `advance`); tests drive timers with
 *   `LocalScheduler.advanceTo`.
 * - {@link ScaledClock}: runs `speed` times faster than real time from a chosen start, so
 *   `npm start` can show a 2-hour deadline warn and breach within minutes
 *   (`CLOCK_SPEED=60` → one real second is one simulated minute).
 */
import type { Clock } from '#app/ports.ts';

/** A clock the local timer wheel can drive: `speed` simulated ms per real ms (0: only moves when set). */
export interface SimulatedClock extends Clock {
  readonly speed: number;
  set(instant: Date): void;
}

export class ManualClock implements SimulatedClock {
  readonly speed = 0;
  private t: number;

  constructor(start: Date | string = new Date()) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  set(instant: Date | string): void {
    this.t = new Date(instant).getTime();
  }

  advance(ms: number): Date {
    this.t += ms;
    return this.now();
  }
}

export class ScaledClock implements SimulatedClock {
  private start: number;
  private realStart: number;

  constructor(
    readonly speed: number,
    start: Date = new Date(),
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`CLOCK_SPEED must be a positive number, got ${speed}`);
    this.start = start.getTime();
    this.realStart = realNow();
  }

  now(): Date {
    return new Date(this.start + (this.realNow() - this.realStart) * this.speed);
  }

  /** Jumps to `instant` and keeps running from there. */
  set(instant: Date): void {
    this.start = instant.getTime();
    this.realStart = this.realNow();
  }
}

/**
 * The clock `npm start` asks for: `FAKE_CLOCK_START` (an ISO instant, e.g.
 * `2026-09-30T09:00:00+08:00`) and/or `CLOCK_SPEED` (e.g. `60`); `undefined` for the real clock.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): ScaledClock | undefined {
  const startRaw = env['FAKE_CLOCK_START'];
  const speedRaw = env['CLOCK_SPEED'];
  if (!startRaw && !speedRaw) return undefined;
  const start = startRaw ? new Date(startRaw) : new Date();
  if (Number.isNaN(start.getTime())) throw new RangeError(`FAKE_CLOCK_START is not an ISO instant: “${startRaw}”`);
  return new ScaledClock(speedRaw ? Number(speedRaw) : 1, start);
}
