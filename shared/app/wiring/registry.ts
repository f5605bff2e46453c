/**
 * The one injection point of the per-function factories (docs/decisions/042): the local stack and
 * the tests hand in a whole {@link Container} with `setContainer`, and every factory serves its part
 * of it before building anything from the environment. So the local stack runs the very same
 * handlers, while a Lambda builds only what its own handler asks for.
 *
 * Only a type is imported from `container.ts`: importing its builder here would pull every port and
 * service into every bundle again.
 */
import type { Container } from '../container.ts';
import { systemClock, type Clock } from '../ports.ts';

let injected: Container | undefined;

/** Serve `next` to every factory of this process (`undefined`: build from the environment again). */
export function setContainer(next: Container | undefined): void {
  injected = next;
}

/** The container the local stack or a test injected, if any. */
export function injectedContainer(): Container | undefined {
  return injected;
}

/** The clock of this process: the injected one (a `ManualClock` in tests), else the system clock. */
export function clock(): Clock {
  return injected?.clock ?? systemClock;
}
