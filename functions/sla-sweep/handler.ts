/**
 * The SLA safety-net sweep, run by an EventBridge rule every 15 minutes: re-runs the check of
 * every open complaint whose `nextDueAt` has passed (a lost timer), bounded per invocation.
 */
import type { SlaSweepResult } from '#app/sla-sweep.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';
import { slaServices } from '#app/wiring/sla.ts';

export const handler = async (): Promise<SlaSweepResult> => {
  // Plans on the current directory and calendar (≤ 60 s old, decisions 055, 056).
  await runtimeConfig().refresh();
  return slaServices().sweep.run();
};
