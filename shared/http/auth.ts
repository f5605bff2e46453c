/**
 * The actor of a staff request, from the JWT claims that API Gateway's authorizer verified and put
 * in `requestContext.authorizer.jwt.claims` (the local stack verifies its own tokens and injects
 * the same claims). Roles come from a `role` claim or Cognito groups; the unit from `custom:unitId`.
 */
import * as z from '#domain/zod.ts';
import { Forbidden, Unauthenticated } from '#domain/errors.ts';
import { ROLES, type Actor, type Role } from '#domain/model.ts';

type Claims = Record<string, string | number | boolean | string[] | undefined>;

const unitId = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/));

/** Cognito puts groups in the access token as an array; API Gateway flattens them to "[a b]". */
function groupsOf(value: Claims[string]): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function actorFromClaims(claims: Claims | undefined): Actor {
  const sub = claims?.['sub'];
  if (!claims || typeof sub !== 'string' || sub.length === 0) throw new Unauthenticated('A valid bearer token is required');
  const declared = [claims['role'], claims['custom:role'], ...groupsOf(claims['cognito:groups'])].filter(
    (r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r),
  );
  // With several groups the most powerful role applies; unit roles need a unit.
  const role = (['admin', 'agent', 'quality', 'leader', 'handler'] as const).find((r) => declared.includes(r));
  if (!role) throw new Forbidden('The token carries no known role');
  const rawUnit = claims['custom:unitId'] ?? claims['unit_id'];
  const parsedUnit = unitId.safeParse(rawUnit);
  if ((role === 'handler' || role === 'leader') && !parsedUnit.success) throw new Forbidden('A unit role needs a unit (custom:unitId)');
  // Staff ids match the unit directory; Cognito users carry theirs in custom:staffId.
  const staffId = [claims['custom:staffId'], claims['username'], claims['cognito:username']].find((v): v is string => typeof v === 'string' && v.length > 0);
  return {
    id: staffId ?? sub,
    role,
    ...(parsedUnit.success && { unitId: parsedUnit.data }),
  };
}
