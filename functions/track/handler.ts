/** GET /track/{code}: the complainant's view of progress (public, masked). */
import { complaintReader } from '#app/wiring/reads.ts';
import { NotFound } from '#domain/errors.ts';
import { TrackingCodeParam } from '#domain/requests/params.ts';
import { httpHandler } from '#http/handler.ts';

export const handler = httpHandler({
  auth: 'public',
  handle: async ({ params }) => {
    const code = TrackingCodeParam.safeParse(params['code']);
    if (!code.success) throw new NotFound('No complaint with this tracking code');
    return { status: 200, body: await complaintReader().track(code.data) };
  },
});
