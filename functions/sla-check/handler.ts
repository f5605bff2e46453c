/**
 * The SLA check Lambda, invoked by the complaint's one EventBridge Scheduler schedule (or the local
 * scheduler) with a `SlaCheckPayload` (`{ complaintId, at }`, decision 053). A payload that fails validation can never succeed: it is thrown,
 * so that after the retries it lands in the scheduler's dead-letter queue instead of vanishing.
 */
import type { Context } from 'aws-lambda';
import { backgroundInvocation, correlate, runInvocation } from '#app/correlation.ts';
import { SlaCheckPayloadSchema, type SlaCheckOutcome } from '#app/sla-check.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';
import { slaServices } from '#app/wiring/sla.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { fieldIssues } from '#domain/field-issues.ts';

/** Every line of one check carries its complaint id as the correlation id (Lambda's id when the payload has none). */
export const handler = async (event: unknown, context?: Context): Promise<SlaCheckOutcome> => {
  const parsed = SlaCheckPayloadSchema.safeParse(event);
  const correlationId = parsed.success ? parsed.data.complaintId : (context?.awsRequestId ?? 'invalid-payload');
  return runInvocation(correlationId, backgroundInvocation('sla-check', context), async () => {
    if (!parsed.success) throw new ValidationFailed('Invalid SLA check payload', fieldIssues(parsed.error));
    correlate({ complaintId: parsed.data.complaintId });
    // Plans on the current directory and calendar (≤ 60 s old, decisions 055, 056).
    await runtimeConfig().refresh();
    return slaServices().check.run(parsed.data);
  });
};
