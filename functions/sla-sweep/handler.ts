/**
 * The SLA safety-net sweep, run by an EventBridge rule every 15 minutes: re-runs the check of
 * every open complaint whose `nextDueAt` has passed (a lost timer), bounded per invocation.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { backgroundInvocation, runInvocation } from '#app/correlation.ts';
import type { SlaSweepResult } from '#app/sla-sweep.ts';
import { slaServices } from '#app/wiring/sla.ts';

/** One sweep, one correlation id (Lambda's request id; a fresh one locally). */
export const handler = async (_event?: unknown, context?: Context): Promise<SlaSweepResult> =>
  runInvocation(context?.awsRequestId ?? `sweep-${randomUUID()}`, backgroundInvocation('sla-sweep', context), () => slaServices().sweep.run());
