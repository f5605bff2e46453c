/**
 * Whether a complaint's SLA clock is paused (暂停计时), read from its history. Its own module: the
 * lifecycle needs it without the planner, whose work calendar and holiday files would otherwise come
 * into every bundle that decides or reads (docs/decisions/042).
 */
import type { Complaint } from '#domain/model.ts';

/** The clock pause in force (waiting for the complainant's documents), from the history. */
export function clockPauseOf(c: Complaint): { at: string; reason: string } | undefined {
  for (let i = c.history.length - 1; i >= 0; i--) {
    const e = c.history[i];
    if (e?.type === 'deadline_resumed') return undefined;
    if (e?.type === 'deadline_paused') return { at: e.at, reason: String(e.data?.['reason'] ?? '') };
  }
  // The pause may be on a history page (decision 033): the pages' summary keeps it.
  return c.historySealed?.pause;
}
