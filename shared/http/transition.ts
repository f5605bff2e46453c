/** The shared shape of every lifecycle route: validate the id, run one command, return the complaint. */
import type * as z from '#domain/zod.ts';
import { staffView } from '#domain/access.ts';
import type { CommandOf, CommandType, Decide } from '#domain/lifecycle.ts';
import { complaintService } from '#app/wiring/complaints.ts';
import { complaintIdFrom } from './complaint-id.ts';
import { httpHandler, type RequestContext } from './handler.ts';

export { complaintIdFrom };

/**
 * A Lambda handler for one lifecycle command. `decide` is the function's `decideWith(…)` of the
 * commands it issues (decision 074): `toCommand` must build one of them, or this does not type-check.
 */
export function transitionHandler<S extends z.ZodMiniType, K extends CommandType>(
  schema: S,
  toCommand: (body: z.output<S>) => CommandOf<K>,
  decide: Decide<K>,
) {
  return httpHandler<S>({
    auth: 'staff',
    body: schema,
    handle: async (ctx) => runTransition(ctx, toCommand(ctx.body as z.output<S>), decide),
  });
}

export async function runTransition<K extends CommandType>(ctx: RequestContext<unknown>, command: CommandOf<K>, decide: Decide<K>) {
  const complaint = await complaintService().act(complaintIdFrom(ctx.params), command, ctx.actor, ctx.idempotencyKey, decide);
  return { status: 200, body: staffView(ctx.actor, complaint) };
}
