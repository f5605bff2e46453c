/** The shared shape of every lifecycle route: validate the id, run one command, return the complaint. */
import type * as z from '#domain/zod.ts';
import { staffView } from '#domain/access.ts';
import type { Command } from '#domain/lifecycle.ts';
import { complaintService } from '#app/wiring/complaints.ts';
import { complaintIdFrom } from './complaint-id.ts';
import { httpHandler, type RequestContext } from './handler.ts';

export { complaintIdFrom };

/** A Lambda handler for one lifecycle command. */
export function transitionHandler<S extends z.ZodMiniType>(schema: S, toCommand: (body: z.output<S>) => Command) {
  return httpHandler<S>({
    auth: 'staff',
    body: schema,
    handle: async (ctx) => runTransition(ctx, toCommand(ctx.body as z.output<S>)),
  });
}

export async function runTransition(ctx: RequestContext<unknown>, command: Command) {
  const complaint = await complaintService().act(complaintIdFrom(ctx.params), command, ctx.actor, ctx.idempotencyKey);
  return { status: 200, body: staffView(ctx.actor, complaint) };
}
