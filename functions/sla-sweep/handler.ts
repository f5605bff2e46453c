/**
 * The SLA safety-net sweep, run by an EventBridge rule every 15 minutes: re-runs the check of
 * every open complaint whose `nextDueAt` has passed (a lost timer), bounded per invocation.
 */
import { container } from '#app/container.ts';
import type { SlaSweepResult } from '#app/sla-sweep.ts';

export const handler = async (): Promise<SlaSweepResult> => container().sla.sweep.run();
