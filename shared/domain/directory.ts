/**
 * The unit directory (who handles, who leads, who is told of escalations) and the routing
 * suggestion (category + region / waybill prefix → unit). Both are configuration, validated here.
 */
import * as z from './zod.ts';
import { calendarOverrideSchema } from './calendar/calendar.ts';
import { sameStaff } from './ids.ts';
import { CATEGORIES, type Category } from './model.ts';

const person = z.strictObject({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  email: z.email(),
  /** A mainland mobile in E.164 for staff SMS (the leaders' notice, decision 049); optional. */
  mobile: z.optional(z.string().check(z.regex(/^\+861[3-9]\d{9}$/, 'a mainland mobile in E.164 (+861…)'))),
});
export type Person = z.infer<typeof person>;

export const UnitDirectorySchema = z.strictObject({
  organisation: z.strictObject({
    name: z.string(),
    centreName: z.string(),
    consoleUrl: z.string(),
    operationsDirectors: z.array(person).check(z.minLength(1)),
    qualityManagers: z.array(person).check(z.minLength(1)),
  }),
  units: z
    .array(
      z.strictObject({
        id: z.string().check(z.minLength(1)),
        name: z.string().check(z.minLength(1)),
        kind: z.enum(['branch', 'delivery_station', 'hub', 'centre']),
        region: z.string(),
        leaders: z.array(person).check(z.minLength(1)),
        handlers: z.array(person).check(z.minLength(1)),
        /** Works every day including weekends and holidays (seed 000: 08:30–18:30, weekends included). */
        everyDay: z._default(z.boolean(), true),
        /** The unit's own adjustments to the office calendar (extra closures, other hours); admin-managed (decision 056). */
        calendar: z.optional(calendarOverrideSchema),
      }),
    )
    .check(z.minLength(1)),
});
export type UnitDirectory = z.infer<typeof UnitDirectorySchema>;
export type Unit = UnitDirectory['units'][number];

export const RoutingSchema = z.strictObject({
  rules: z.array(
    z.strictObject({
      categories: z.optional(z.array(z.enum(CATEGORIES))),
      regionContains: z.optional(z.array(z.string().check(z.minLength(1)))),
      waybillPrefixes: z.optional(z.array(z.string().check(z.minLength(1)))),
      unitId: z.string().check(z.minLength(1)),
      why: z.optional(z.string()),
    }),
  ),
  defaultUnitId: z.string().check(z.minLength(1)),
});
export type Routing = z.infer<typeof RoutingSchema>;

export function findUnit(directory: UnitDirectory, unitId: string | undefined): Unit | undefined {
  return unitId ? directory.units.find((u) => u.id === unitId) : undefined;
}

/** The unit's handler or leader with this id, compared case-insensitively (`sameStaff`). */
export function unitMember(unit: Unit, personId: string): Person | undefined {
  return [...unit.handlers, ...unit.leaders].find((p) => sameStaff(p.id, personId));
}

/** First matching rule wins: every condition a rule names must hold. */
export function suggestUnit(
  routing: Routing,
  c: { category: Category; region?: string | undefined; waybillNo?: string | undefined },
): { unitId: string; rule: number | 'default' } {
  const index = routing.rules.findIndex(
    (r) =>
      (!r.categories || r.categories.includes(c.category)) &&
      (!r.regionContains || r.regionContains.some((part) => c.region?.includes(part))) &&
      (!r.waybillPrefixes || r.waybillPrefixes.some((p) => c.waybillNo?.toUpperCase().startsWith(p.toUpperCase()))),
  );
  const rule = routing.rules[index];
  return rule ? { unitId: rule.unitId, rule: index } : { unitId: routing.defaultUnitId, rule: 'default' };
}

/** Checks that every routing target exists in the directory. */
export function checkRouting(routing: Routing, directory: UnitDirectory): string[] {
  const ids = new Set(directory.units.map((u) => u.id));
  return [...routing.rules.map((r) => r.unitId), routing.defaultUnitId].filter((id) => !ids.has(id));
}
