/**
 * The clock on a promised next contact (seed 000_a1eb924360c3e548.txt 五1(1): 暂时无法解决的 … 向客户明确
 * 再次联系回复的时限). Pure; the planner calls it. Decision 050.
 *
 * - starts when a reply says `result.resolved: false`: due at `result.nextContactAt` exactly (the time the
 *   unit agreed with the complainant is not moved by any calendar), warned at the policy's fraction of the
 *   wait (80 %);
 * - met by the unit's follow-up `contact` after the reply (a `contacted` event with `followUp`);
 * - cancelled when the case closes, goes round again (re-dispatch), is suspended (暂结) or withdrawn:
 *   nothing is promised any more, and the new round has its own clocks.
 */
import type { Complaint, Deadline } from '#domain/model.ts';

export const NEXT_CONTACT = 'next_contact';

/** The events that end a running next-contact clock without meeting it. */
export const ENDS_NEXT_CONTACT: ReadonlySet<string> = new Set(['closed', 'redispatched', 'suspended', 'withdrawn']);

/** The promised instant of `round`'s reply, when that reply left the problem unresolved. */
function promisedContact(c: Pick<Complaint, 'reply'>, round: number): Date | undefined {
  const r = c.reply;
  if (!r || r.round !== round || r.result.resolved || r.result.nextContactAt === undefined) return undefined;
  return new Date(r.result.nextContactAt);
}

/** Due and warning instants of the next-contact clock started at `startedAt`, or undefined when nothing was promised. */
export function nextContactDue(
  c: Pick<Complaint, 'reply'>,
  d: Pick<Deadline, 'round' | 'startedAt'>,
  warnAtFraction: number,
): { dueAt: Date; warnAt: Date } | undefined {
  const dueAt = promisedContact(c, d.round);
  if (!dueAt) return undefined;
  const start = Date.parse(d.startedAt);
  const warnAt = new Date(start + Math.max(0, Math.round(warnAtFraction * (dueAt.getTime() - start))));
  return { dueAt, warnAt: warnAt.getTime() > dueAt.getTime() ? dueAt : warnAt };
}

/** Ends the running next-contact clocks at `at` (`cancelled`); met or breached ones stay as they are. */
export function cancelNextContact(ds: Deadline[], at: string): Deadline[] {
  return ds.map((d) => {
    if (d.milestone !== NEXT_CONTACT || (d.state !== 'pending' && d.state !== 'paused')) return d;
    const { pausedAt: _pausedAt, ...rest } = d;
    return { ...rest, state: 'cancelled', cancelledAt: at };
  });
}
