/** POST /complaints/{id}/contact: the unit records contact with the complainant. */
import { decideContact, decideWith } from '#domain/lifecycle.ts';
import { ContactRequest } from '#domain/requests/contact.ts';
import { transitionHandler } from '#http/transition.ts';

export const handler = transitionHandler(ContactRequest, (body) => ({ type: 'contact', ...body }), decideWith({ contact: decideContact }));
