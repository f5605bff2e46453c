import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock, clockFromEnv } from '#adapters/local/clock.ts';
import { LocalScheduler } from '#adapters/local/scheduler.ts';
import type { TimerSpec } from '#app/ports.ts';
import { sh } from '#test/support/sla.ts';

/** A timer whose payload names it (`complaintId`), so a firing says which timer went off. */
const timer = (name: string, at: string): TimerSpec => ({ name, at: sh(at), payload: { complaintId: name, at: sh(at).toISOString() } });

describe('LocalScheduler on a manual clock', () => {
  it('fires nothing by itself and each timer at its own instant when the clock is advanced', async () => {
    const clock = new ManualClock(sh('2026-10-08 08:00'));
    const seen: string[] = [];
    const wheel = new LocalScheduler({ clock, fire: async (p) => void seen.push(`${p.complaintId}@${clock.now().toISOString()}`) });
    await wheel.arm(timer('b', '2026-10-08 09:00'));
    await wheel.arm(timer('a', '2026-10-08 08:36'));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);

    const fired = await wheel.advanceTo(sh('2026-10-08 10:00'));

    expect(seen).toEqual([`a@${sh('2026-10-08 08:36').toISOString()}`, `b@${sh('2026-10-08 09:00').toISOString()}`]);
    expect(fired.map((f) => f.name)).toEqual(['a', 'b']);
    expect(clock.now()).toEqual(sh('2026-10-08 10:00'));
    expect(wheel.pending()).toEqual([]);
  });

  it('fires a timer re-armed by its own firing at the next instant (a breach re-arms for its quality escalation)', async () => {
    const clock = new ManualClock(sh('2026-10-08 08:00'));
    const firings: string[] = [];
    const wheel: LocalScheduler = new LocalScheduler({
      clock,
      fire: async (p) => {
        firings.push(p.at);
        if (p.at === sh('2026-10-08 09:00').toISOString()) await wheel.arm(timer('c', '2026-10-09 09:00'));
      },
    });
    await wheel.arm(timer('c', '2026-10-08 09:00'));
    await wheel.advanceTo(sh('2026-10-08 12:00'));
    expect(firings).toEqual([sh('2026-10-08 09:00').toISOString()]);
    expect(wheel.pending().map((t) => t.at)).toEqual([sh('2026-10-09 09:00')]);
    await wheel.advanceTo(sh('2026-10-09 12:00'));
    expect(firings).toEqual([sh('2026-10-08 09:00').toISOString(), sh('2026-10-09 09:00').toISOString()]);
  });

  it('moves a re-armed name in place (earlier or later), forgets disarmed ones and ignores unknown names', async () => {
    const clock = new ManualClock(sh('2026-10-08 08:00'));
    const fired: string[] = [];
    const wheel = new LocalScheduler({ clock, fire: async (p) => void fired.push(`${p.complaintId} ${p.at}`) });
    await wheel.arm(timer('later', '2026-10-08 09:00'));
    await wheel.arm(timer('later', '2026-10-08 09:30'));
    await wheel.arm(timer('sooner', '2026-10-08 11:00'));
    await wheel.arm(timer('sooner', '2026-10-08 08:10'));
    await wheel.arm(timer('gone', '2026-10-08 09:10'));
    await wheel.disarm('gone');
    await wheel.disarm('never-existed');
    expect(wheel.pending().map((t) => [t.name, t.at])).toEqual([
      ['sooner', sh('2026-10-08 08:10')],
      ['later', sh('2026-10-08 09:30')],
    ]);
    await wheel.advanceTo(sh('2026-10-08 12:00'));
    expect(fired).toEqual([`sooner ${sh('2026-10-08 08:10').toISOString()}`, `later ${sh('2026-10-08 09:30').toISOString()}`]);
  });

  it('does not retry a failed firing whose check re-armed the timer meanwhile', async () => {
    const clock = new ManualClock(sh('2026-10-08 08:00'));
    const wheel: LocalScheduler = new LocalScheduler({
      clock,
      fire: async (p) => {
        if (p.at === sh('2026-10-08 09:00').toISOString()) {
          await wheel.arm(timer('t', '2026-10-08 10:00'));
          throw new Error('queue unavailable');
        }
      },
    });
    await wheel.arm(timer('t', '2026-10-08 09:00'));
    const fired = await wheel.advanceTo(sh('2026-10-08 12:00'));
    expect(fired.map((f) => [f.ok, f.firedAt])).toEqual([
      [false, sh('2026-10-08 09:00').toISOString()],
      [true, sh('2026-10-08 10:00').toISOString()],
    ]);
  });

  it('retries a failed firing one simulated minute later, up to three attempts', async () => {
    const clock = new ManualClock(sh('2026-10-08 08:00'));
    const wheel = new LocalScheduler({
      clock,
      fire: async () => {
        throw new Error('DynamoDB unavailable');
      },
    });
    await wheel.arm(timer('t', '2026-10-08 09:00'));
    const fired = await wheel.advanceTo(sh('2026-10-08 12:00'));
    expect(fired.map((f) => [f.ok, f.firedAt])).toEqual([
      [false, sh('2026-10-08 09:00').toISOString()],
      [false, sh('2026-10-08 09:01').toISOString()],
      [false, sh('2026-10-08 09:02').toISOString()],
    ]);
    expect(wheel.pending()).toEqual([]);
  });

  it('refuses advanceTo on a clock it cannot set', async () => {
    const wheel = new LocalScheduler({ clock: { now: () => new Date() }, fire: async () => undefined });
    await expect(wheel.advanceTo(new Date())).rejects.toThrow(/settable clock/);
  });
});

describe('LocalScheduler on a running clock', () => {
  it('fires in real time divided by the clock’s speed (CLOCK_SPEED=36000: one simulated hour in 100 ms)', async () => {
    const clock = new ScaledClock(36_000, sh('2026-10-08 08:00'));
    const firedAt: Date[] = [];
    const wheel = new LocalScheduler({ clock, fire: async () => void firedAt.push(clock.now()) });
    const started = Date.now();
    await wheel.arm(timer('t', '2026-10-08 09:00'));
    await new Promise((r) => setTimeout(r, 400));
    wheel.close();
    expect(firedAt).toHaveLength(1);
    expect(firedAt[0]!.getTime()).toBeGreaterThanOrEqual(sh('2026-10-08 09:00').getTime());
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});

describe('clocks', () => {
  it('reads FAKE_CLOCK_START and CLOCK_SPEED for npm start, and the real clock without them', () => {
    const clock = clockFromEnv({ FAKE_CLOCK_START: '2026-09-30T09:00:00+08:00', CLOCK_SPEED: '60' });
    expect(clock?.speed).toBe(60);
    expect(Math.abs((clock?.now().getTime() ?? 0) - sh('2026-09-30 09:00').getTime())).toBeLessThan(5_000);
    expect(clockFromEnv({})).toBeUndefined();
    expect(() => clockFromEnv({ CLOCK_SPEED: '-1' })).toThrow(RangeError);
    expect(() => clockFromEnv({ FAKE_CLOCK_START: 'yesterday' })).toThrow(RangeError);
  });

  it('moves a scaled clock speed times faster than real time', () => {
    let real = 0;
    const clock = new ScaledClock(60, sh('2026-09-30 09:00'), () => real);
    real = 1_000;
    expect(clock.now()).toEqual(sh('2026-09-30 09:01'));
  });
});
