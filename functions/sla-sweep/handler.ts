/**
 * The safety-net sweep, run by an EventBridge rule every 15 minutes: first carries out side effects
 * still owed past their grace (the outbox, decision 051), then re-runs the check of every open
 * complaint whose `nextDueAt` has passed (a lost timer), bounded per invocation. A failing re-drive does
 * not keep the checks from running; the invocation fails afterwards so that it shows (alarm, DLQ).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { backgroundInvocation, runInvocation } from '#app/correlation.ts';
import type { SlaSweepResult } from '#app/sla-sweep.ts';
import { outboxDispatcher } from '#app/wiring/outbox.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';
import { slaServices } from '#app/wiring/sla.ts';

/** One sweep, one correlation id (Lambda's request id; a fresh one locally). */
export const handler = async (_event?: unknown, context?: Context): Promise<SlaSweepResult> =>
  runInvocation(context?.awsRequestId ?? `sweep-${randomUUID()}`, backgroundInvocation('sla-sweep', context), async () => {
    // Plans on the current directory and calendar (≤ 60 s old, decisions 055, 056).
    await runtimeConfig().refresh();
    const [effects] = await Promise.allSettled([outboxDispatcher().redrive()]);
    const result = await slaServices().sweep.run();
    if (effects?.status === 'rejected') throw effects.reason;
    return { ...result, ...(effects?.status === 'fulfilled' && { effects: effects.value }) };
  });
