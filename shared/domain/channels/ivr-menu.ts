/**
 * The IVR menu's schema, for the checks that stop a broken `shared/config/ivr-menu.json` before it ships
 * (`cdk synth` through `infra/assemble.ts`, the unit tests) and for tests of other menus. The IVR function
 * reads the bundled file as it is (`IVR_MENU`, `ivr-inbound.ts`) and does not carry this module.
 */
import * as z from '../zod.ts';
import menuJson from '#config/ivr-menu.json' with { type: 'json' };
import { COMPLAINT_CATEGORIES } from '#domain/channels/categories.ts';
import { KINDS } from '#domain/model.ts';
import { type ParseResult, validate } from './inbound.ts';
import { DtmfKey, type IvrMenu, type IvrMenuNode } from './ivr-inbound.ts';

const IvrMenuNodeSchema: z.ZodMiniType<IvrMenuNode> = z.lazy(() =>
  z
    .strictObject({
      label: z.string().check(z.minLength(1)),
      prompt: z.optional(z.string().check(z.minLength(1))),
      kind: z.optional(z.enum(KINDS)),
      category: z.optional(z.enum(COMPLAINT_CATEGORIES)),
      action: z.optional(z.literal('agent')),
      options: z.optional(z.record(DtmfKey, IvrMenuNodeSchema)),
    })
    .check(
      z.refine(
        (n) => {
          const isBranch = n.options !== undefined && Object.keys(n.options).length > 0;
          return [isBranch, n.category !== undefined, n.action !== undefined].filter(Boolean).length === 1;
        },
        { message: 'a menu entry has exactly one of: non-empty options, a category, action "agent"' },
      ),
    ),
);

/** The IVR menu file `shared/config/ivr-menu.json`. */
export const IvrMenuSchema: z.ZodMiniType<IvrMenu> = z.strictObject({
  version: z.literal(1),
  greeting: z.string().check(z.minLength(1)),
  prompt: z.string().check(z.minLength(1)),
  options: z.record(DtmfKey, IvrMenuNodeSchema),
});

/** Validates an IVR menu document (config checks, tests of alternative menus). */
export function parseIvrMenu(json: unknown): ParseResult<IvrMenu> {
  return validate(IvrMenuSchema, json);
}

/** `menu` as a valid {@link IvrMenu}, or an error naming each problem's path (for `cdk synth`). */
export function assertIvrMenu(menu: unknown = menuJson): IvrMenu {
  const result = parseIvrMenu(menu);
  if (result.ok) return result.value;
  throw new Error(`shared/config/ivr-menu.json is not a valid IVR menu: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
}
