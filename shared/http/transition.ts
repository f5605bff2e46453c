/** The shared shape of every lifecycle route: validate the id, run one command, return the complaint. */
import type { z } from 'zod';
import { staffView } from '#domain/access.ts';
import { NotFound } from '#domain/errors.ts';
import type { Command } from '#domain/lifecycle.ts';
import { ComplaintIdParam } from '#domain/schemas.ts';
import { container } from '#app/container.ts';
import { httpHandler, type RequestContext } from './handler.ts';

export function complaintIdFrom(params: Record<string, string>): string {
  const parsed = ComplaintIdParam.safeParse(params['id']);
  if (!parsed.success) throw new NotFound(`Complaint ${params['id'] ?? ''} not found`);
  return parsed.data;
}

/** A Lambda handler for one lifecycle command. */
export function transitionHandler<S extends z.ZodType>(schema: S, toCommand: (body: z.output<S>) => Command) {
  return httpHandler<S>({
    auth: 'staff',
    body: schema,
    handle: async (ctx) => runTransition(ctx, toCommand(ctx.body as z.output<S>)),
  });
}

export async function runTransition(ctx: RequestContext<unknown>, command: Command) {
  const { service } = container();
  const complaint = await service.act(complaintIdFrom(ctx.params), command, ctx.actor, ctx.idempotencyKey);
  return { status: 200, body: staffView(ctx.actor, complaint) };
}
