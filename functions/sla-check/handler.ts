/**
 * The SLA check Lambda, invoked by an EventBridge Scheduler one-time schedule (or the local timer
 * wheel) with a `SlaCheckPayload`. A payload that fails validation can never succeed: it is thrown,
 * so that after the retries it lands in the scheduler's dead-letter queue instead of vanishing.
 */
import { SlaCheckPayloadSchema, type SlaCheckOutcome } from '#app/sla-check.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';
import { slaServices } from '#app/wiring/sla.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { zodIssues } from '#http/problem.ts';

export const handler = async (event: unknown): Promise<SlaCheckOutcome> => {
  const parsed = SlaCheckPayloadSchema.safeParse(event);
  if (!parsed.success) throw new ValidationFailed('Invalid SLA check payload', zodIssues(parsed.error));
  // Plans on the current directory and calendar (≤ 60 s old, decisions 055, 056).
  await runtimeConfig().refresh();
  return slaServices().check.run(parsed.data);
};
