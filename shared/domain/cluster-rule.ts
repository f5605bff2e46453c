/**
 * Seed 004_13dcb525fbc75c1b.txt: 每周连续出现三例相同一般投诉案例，则升级为重大投诉 — the third complaint
 * of one category against one unit within 7 days is raised to major (SPEC "Escalation"). Evaluated
 * when a complaint reaches a unit (assignment), by key from that unit's cluster day items
 * (decision 045): a complaint counts against the unit it is at now, so one re-dispatched away
 * counts where it went.
 */
import type { Command } from './lifecycle.ts';
import { isMajorOrUrgent, type Actor, type Complaint } from './model.ts';

export const CLUSTER_RULE = { count: 3, windowDays: 7 } as const;

/** Who raises the severity: the rules, not the agent who assigned. */
export const CLUSTER_ACTOR: Actor = { id: 'rules', role: 'system' };

/** Earliest `createdAt` of a complaint that counts with `c`: 7 days before it was received. */
export function clusterWindowStart(c: Pick<Complaint, 'createdAt'>): string {
  return new Date(Date.parse(c.createdAt) - CLUSTER_RULE.windowDays * 86_400_000).toISOString();
}

/**
 * The severity command when `others` complaints of the same category were received by the same
 * unit in the window (the complaint itself not counted), or `undefined` when the rule does not fire
 * or the complaint is already major/urgent.
 */
export function clusterSeverity(c: Pick<Complaint, 'severity'>, others: number): Extract<Command, { type: 'severity' }> | undefined {
  if (isMajorOrUrgent(c.severity) || others < CLUSTER_RULE.count - 1) return undefined;
  return { type: 'severity', severity: 'major', reason: `third_in_7_days: 7日内同一单位同类投诉第${others + 1}件（seed 004：每周三例相同投诉升级为重大）` };
}
