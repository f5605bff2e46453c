/** The complaint service of intake (`functions/intake`, the inbound channels): the commands' one plus the receipt SMS. */
import { log } from '#http/log.ts';
import type { ComplaintService } from '../complaints.ts';
import { ReceiptSmsObserver } from '../progress-updates.ts';
import { plannedService } from './complaints.ts';
import { escalationOutbox } from './notify.ts';
import { clock, injectedContainer } from './registry.ts';
import { guardedSms } from './sms.ts';

let intake: ComplaintService | undefined;

/** Texts the receipt at once, handing it to the escalation queue if the provider fails. */
export function intakeService(): ComplaintService {
  const injected = injectedContainer();
  if (injected) return injected.service;
  intake ??= plannedService([new ReceiptSmsObserver({ sms: guardedSms(), queue: escalationOutbox(), clock: clock(), logger: log })]);
  return intake;
}
