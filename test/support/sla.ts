/** Helpers for SLA tests: Shanghai wall-clock times, a lifecycle with the real planner. */
import { directory, routing } from '#config/index.ts';
import { decide, intake, type Command, type LifecycleContext } from '#domain/lifecycle.ts';
import type { Actor, Complaint, Deadline } from '#domain/model.ts';
import type { IntakeRequest } from '#domain/schemas.ts';
import { SlaPlanner, type SlaPlannerOptions } from '#domain/sla/planner.ts';
import { actors, intakeInput, replyBody } from './fixtures.ts';

/** `'2026-09-30 17:00'` (Shanghai) → Date. */
export const sh = (s: string): Date => new Date(`${s.replace(' ', 'T')}${s.length <= 16 ? ':00' : ''}+08:00`);
/** Date or ISO → `'2026-10-08 09:00'` in Shanghai (seconds shown only when not zero). */
export const local = (d: Date | string | undefined): string | undefined => {
  if (d === undefined) return undefined;
  const t = new Date(d).getTime() + 8 * 3_600_000;
  const iso = new Date(t).toISOString();
  return iso.slice(17, 23) === '00.000' ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 23).replace('T', ' ');
};

export function slaContext(opts: Partial<SlaPlannerOptions> = {}): { planner: SlaPlanner; ctx: LifecycleContext } {
  const planner = new SlaPlanner({ directory, ...opts });
  return { planner, ctx: { directory, routing, deadlines: planner } };
}

let seq = 0;
export function newComplaint(ctx: LifecycleContext, at: string, overrides: Partial<IntakeRequest> = {}, actor: Actor = actors.public): Complaint {
  seq++;
  return intake(intakeInput(overrides), actor, sh(at), ctx, { id: `C${String(seq).padStart(16, '0')}`, trackingCode: `T${String(seq).padStart(11, '0')}` })
    .complaint;
}

export function act(ctx: LifecycleContext, c: Complaint, command: Command, at: string, actor?: Actor): Complaint {
  const who =
    actor ??
    (command.type === 'contact' || command.type === 'reply' || command.type === 'sign' || command.type === 'return'
      ? actors.handler
      : command.type === 'extend'
        ? actors.leader
        : actors.agent);
  return decide(c, command, who, sh(at), ctx).complaint;
}

export const assignTianhe: Command = { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' };
/** 签收 by the dispatched unit (decision 047): tests about other clocks sign first, so its 20 minutes stay out of the way. */
export const signFor: Command = { type: 'sign' };
/** gz-branch works office days only (units.json `everyDay: false`). */
export const assignBranch: Command = { type: 'assign', unitId: 'gz-branch', handlerId: 'br-handler-1' };
export const contact: Command = { type: 'contact', method: 'phone', note: '电话联系投诉人，说明正在核查' };
export const replyAt = (at: string, overrides: Parameters<typeof replyBody>[0] = {}): Command => ({
  type: 'reply',
  ...replyBody({ process: { ...replyBody().process, contactedAt: sh(at).toISOString() }, ...overrides }),
});

export function deadline(c: Complaint, milestone: string, round?: number): Deadline {
  const d = c.deadlines.find((x) => x.milestone === milestone && (round === undefined || x.round === round));
  if (!d)
    throw new Error(
      `no ${milestone} deadline${round !== undefined ? ` in round ${round}` : ''}: ${c.deadlines.map((x) => `${x.milestone}#${x.round}`).join(', ')}`,
    );
  return d;
}

/** `{ state, dueAt, warnAt }` in Shanghai time, for compact assertions. */
export const view = (d: Deadline) => ({ state: d.state, dueAt: local(d.dueAt), warnAt: local(d.warnAt) });
