/** The `{id}` path parameter of the complaint routes (its own module: the read functions must not import the command wiring). */
import { NotFound } from '#domain/errors.ts';
import { ComplaintIdParam } from '#domain/requests/params.ts';

/** The complaint id of the route, or 404 for one that cannot exist. */
export function complaintIdFrom(params: Record<string, string>): string {
  const parsed = ComplaintIdParam.safeParse(params['id']);
  if (!parsed.success) throw new NotFound(`Complaint ${params['id'] ?? ''} not found`);
  return parsed.data;
}
