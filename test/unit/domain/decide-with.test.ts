/**
 * `decideWith` (decision 074): a function decides only the commands it carries, and what runs after
 * every command runs whatever the set.
 */
import { describe, expect, it } from 'vitest';
import { directory, routing } from '#config/index.ts';
import { InvalidTransition } from '#domain/errors.ts';
import { decide, decideAssign, decideContact, decideReply, decideWith, intake, type Command, type LifecycleContext } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { actors, intakeInput, replyBody } from '#test/support/fixtures.ts';

const ctx: LifecycleContext = { directory, routing, deadlines: { plan: () => ({ deadlines: [], nextDueAt: undefined }) } };
const t0 = new Date('2026-11-26T01:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const received = () => intake(intakeInput(), actors.public, t0, ctx, { id: 'C0000000000000001', trackingCode: 'ABCDEFGHJK12' }).complaint;
const assign = { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' } as const;

describe('decideWith', () => {
  const assignOnly = decideWith({ assign: decideAssign });

  it('decides its commands exactly as the whole lifecycle does', () => {
    const c = received();
    expect(assignOnly(c, assign, actors.agent, later(5), ctx)).toEqual(decide(c, assign, actors.agent, later(5), ctx));
  });

  it('refuses a command it does not carry, before anything is decided', () => {
    const c = assignOnly(received(), assign, actors.agent, later(5), ctx).complaint;
    const reply = { type: 'reply', ...replyBody() } as unknown as Command & { type: 'assign' };
    // A cast is the only way past the types: `act(command, decide)` types them together.
    expect(() => assignOnly(c, reply, actors.handler, later(5), ctx)).toThrow('No decision for reply in this function');
  });

  it('checks where the command may start first: a wrong status is a 409 whatever the set', () => {
    const closedish: Complaint = { ...received(), status: 'withdrawn' };
    expect(() => assignOnly(closedish, assign, actors.agent, later(5), ctx)).toThrow(InvalidTransition);
  });

  it('runs the rules after every command in a smaller set too: a reply before 签收 signs first, and counts the dispatch once', () => {
    const handling = decideWith({ assign: decideAssign, contact: decideContact, reply: decideReply });
    const dispatched = handling(received(), assign, actors.agent, later(5), ctx).complaint;
    const small = handling(dispatched, { type: 'reply', ...replyBody() }, actors.handler, later(60), ctx);
    const whole = decide(dispatched, { type: 'reply', ...replyBody() }, actors.handler, later(60), ctx);
    expect(small).toEqual(whole);
    expect(small.events.map((e) => e.type)).toContain('signed');
  });
});
