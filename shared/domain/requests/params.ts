/** Path parameters: a complaint id, a tracking code. */
import * as z from '../zod.ts';

export const ComplaintIdParam = z.string().check(z.regex(/^C[0-9A-HJKMNP-TV-Z]{16}$/, 'Not a complaint id'));
export const TrackingCodeParam = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[0-9A-HJKMNP-TV-Z]{12}$/, 'Not a tracking code'));
