/** The complaint service of intake (`functions/intake`, the inbound channels): the commands' one; the receipt SMS is owed by the intake's own put (decision 051). */
import type { ComplaintService } from '../complaints.ts';
import { plannedService } from './complaints.ts';
import { injectedContainer } from './registry.ts';

let intake: ComplaintService | undefined;

/** Intake answers after its one write; the receipt SMS and the timers follow from the outbox dispatcher. */
export function intakeService(): ComplaintService {
  const injected = injectedContainer();
  if (injected) return injected.service;
  intake ??= plannedService();
  return intake;
}
