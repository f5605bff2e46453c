/** The leaders' notice confirmations (`functions/notices`, decision 049): store, clock, SLA planner, notice keys. */
import { noticeKeysFromEnv } from '#adapters/aws/notice-keys.ts';
import { log } from '#adapters/log.ts';
import type { Container } from '../container.ts';
import { NoticeConfirmations } from '../leader-notice.ts';
import { slaPlanner } from './lifecycle.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let built: NoticeConfirmations | undefined;
const forInjected = new WeakMap<Container, NoticeConfirmations>();

export function noticeConfirmations(): NoticeConfirmations {
  const injected = injectedContainer();
  if (injected) {
    let served = forInjected.get(injected);
    if (!served) {
      served = new NoticeConfirmations({
        store: injected.store,
        clock: injected.clock,
        planner: injected.lifecycle.deadlines,
        keys: noticeKeysFromEnv(),
        logger: log,
      });
      forInjected.set(injected, served);
    }
    return served;
  }
  built ??= new NoticeConfirmations({ store: tableFromEnv().store, clock: clock(), planner: slaPlanner(), keys: noticeKeysFromEnv(), logger: log });
  return built;
}
