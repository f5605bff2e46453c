/** The escalation consumer's use case (`functions/escalation`): leaders' e-mails and complainant texts, once each. */
import { mailerFromEnv } from '#adapters/aws/mail.ts';
import { noticeKeysFromEnv } from '#adapters/aws/notice-keys.ts';
import { smsFromEnv } from '#adapters/aws/sms.ts';
import { log } from '#adapters/log.ts';
import { EscalationService } from '../escalation.ts';
import { liveDirectory } from '../runtime-config.ts';
import { slaPlanner } from './lifecycle.ts';
import { escalationLedger, escalationOutbox } from './notify.ts';
import { guardedSms } from './sms.ts';
import { clock, injectedContainer } from './registry.ts';
import { runtimeConfig } from './runtime-config.ts';
import { tableFromEnv } from './table.ts';

let built: EscalationService | undefined;

export function escalationConsumer(): EscalationService {
  const injected = injectedContainer();
  if (injected) return injected.escalations;
  built ??= new EscalationService({
    store: tableFromEnv().store,
    ledger: escalationLedger(),
    mailer: mailerFromEnv(),
    sms: guardedSms(),
    clock: clock(),
    // The current snapshot's directory (refreshed by the handler before each batch, decision 056).
    directory: liveDirectory(runtimeConfig()),
    logger: log,
    planner: slaPlanner(),
    queue: escalationOutbox(),
    // Decision 049: staff SMS by the provider itself, apart from the complainant's guarded sender.
    staffSms: smsFromEnv(),
    noticeKeys: noticeKeysFromEnv(),
  });
  return built;
}
