/** POST /complaints/{id}/assignment: dispatch (转发) to the responsible unit and a handler. */
import { decideAssign, decideWith } from '#domain/lifecycle.ts';
import { AssignmentRequest } from '#domain/requests/assignment.ts';
import { transitionHandler } from '#http/transition.ts';

export const handler = transitionHandler(AssignmentRequest, (body) => ({ type: 'assign', ...body }), decideWith({ assign: decideAssign }));
