/**
 * The safety-net sweep, run by an EventBridge rule every 15 minutes: first carries out side effects
 * still owed past their grace (the outbox, decision 051), then re-runs the check of every open
 * complaint whose `nextDueAt` has passed (a lost timer), bounded per invocation.
 */
import type { SlaSweepResult } from '#app/sla-sweep.ts';
import { outboxDispatcher } from '#app/wiring/outbox.ts';
import { slaServices } from '#app/wiring/sla.ts';

export const handler = async (): Promise<SlaSweepResult> => {
  const effects = await outboxDispatcher().redrive();
  const result = await slaServices().sweep.run();
  return { ...result, effects };
};
