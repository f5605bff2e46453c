/**
 * The bodies of the extension-request routes (decision 069), apart from the rules (extension-request.ts):
 * the console checks its form with the same schemas before it sends (no drift), and bundles only
 * zod/mini and the text schema, not the rules.
 */
import * as z from './zod.ts';
import { text } from './text-schemas.ts';

export const ExtensionAsk = z.strictObject({
  reason: text(500, 2).check(z.meta({ description: 'Why the unit needs more time; checked against the vague phrases' })),
  requestedDueAt: z.iso.datetime({ offset: true }).check(z.meta({ description: 'The new reply time the unit asks for (ISO 8601)' })),
});
export type ExtensionAsk = z.infer<typeof ExtensionAsk>;

export const ExtensionDecision = z.strictObject({
  approve: z.boolean().check(z.meta({ description: 'true approves (the reply limit is extended), false refuses' })),
  reason: text(500, 2).check(
    z.meta({ description: 'The leader’s answer, shown to the handler; on approval the complainant sees the request’s reason on the extended limit' }),
  ),
});
export type ExtensionDecision = z.infer<typeof ExtensionDecision>;
