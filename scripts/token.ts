/** `npm run token -- <role> [unitId] [userId]`: prints a local dev token (HS256, 12 h). */
import { ROLES } from '#domain/model.ts';
import { DEV_IDENTITIES, signToken } from '#local/auth.ts';

const [role, unitId, userId] = process.argv.slice(2);
if (!role || !(ROLES as readonly string[]).includes(role)) {
  process.stderr.write(`usage: npm run token -- <${ROLES.join('|')}> [unitId] [userId]\n`);
  process.exit(2);
}
const known = DEV_IDENTITIES.find((i) => i.role === role);
const unit = unitId ?? (known && 'unitId' in known ? known.unitId : undefined);
if ((role === 'handler' || role === 'leader') && !unit) {
  process.stderr.write('handler and leader tokens need a unitId, e.g. gz-tianhe\n');
  process.exit(2);
}
process.stdout.write(`${signToken({ sub: userId ?? known?.sub ?? `${role}-dev`, role, ...(unit !== undefined && { unitId: unit }) })}\n`);
