/**
 * The SLA check Lambda, invoked by the complaint's one EventBridge Scheduler schedule (or the local
 * scheduler) with a `SlaCheckPayload` (`{ complaintId, at }`, decision 053). A payload that fails validation can never succeed: it is thrown,
 * so that after the retries it lands in the scheduler's dead-letter queue instead of vanishing.
 */
import { SlaCheckPayloadSchema, type SlaCheckOutcome } from '#app/sla-check.ts';
import { slaServices } from '#app/wiring/sla.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { zodIssues } from '#http/problem.ts';

export const handler = async (event: unknown): Promise<SlaCheckOutcome> => {
  const parsed = SlaCheckPayloadSchema.safeParse(event);
  if (!parsed.success) throw new ValidationFailed('Invalid SLA check payload', zodIssues(parsed.error));
  return slaServices().check.run(parsed.data);
};
