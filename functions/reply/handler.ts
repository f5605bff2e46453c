/** POST /complaints/{id}/replies: the unit's reply with the three required elements (seed 000). */
import { ReplyRequest } from '#domain/schemas.ts';
import { transitionHandler } from '#http/transition.ts';

export const handler = transitionHandler(ReplyRequest, (body) => ({ type: 'reply', ...body }));
