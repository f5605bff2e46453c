/** POST /complaints/{id}/callbacks: the centre's callback (回访) — closes, re-dispatches or is waived. */
import { decideCallback, decideWith } from '#domain/lifecycle.ts';
import { CallbackRequest } from '#domain/requests/callback.ts';
import { transitionHandler } from '#http/transition.ts';

export const handler = transitionHandler(CallbackRequest, (body) => ({ type: 'callback', ...body }), decideWith({ callback: decideCallback }));
