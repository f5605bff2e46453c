/**
 * The directory as admins edit it at run time: units, staff (handlers, leaders, operations directors,
 * quality managers), the organisation and the routing rules, each its own entry (one DynamoDB item).
 * Pure: validation of each entry, assembly of the entries into the `UnitDirectory` + `Routing` the
 * lifecycle and the escalations read, and the check of a whole directory (a seed: the deploy-time
 * `directorySeed` file, the local demo's `units.json` + `routing.json`).
 * See docs/decisions/056-directory-at-runtime.md.
 */
import * as z from './zod.ts';
import { calendarOverrideSchema } from './calendar/calendar.ts';
import { fieldIssues } from './field-issues.ts';
import { checkRouting, RoutingSchema, type Person, type Routing, type Unit, type UnitDirectory } from './directory.ts';
import { canonicalPhone, sameStaff, staffKey } from './ids.ts';
import { identifier, text } from './text-schemas.ts';

/** What a staff member is in the directory (their sign-in role comes from the identity provider). */
export const STAFF_ROLES = ['handler', 'leader', 'operations_director', 'quality_manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Roles that belong to a unit (and need `unitId`). */
export const UNIT_STAFF_ROLES: readonly StaffRole[] = ['handler', 'leader'];

const UNIT_KINDS = ['branch', 'delivery_station', 'hub', 'centre'] as const;

/** A mainland mobile (13800138000 or +8613800138000), stored as E.164 for the SMS port. */
const mobile = z.pipe(
  z.string().check(z.trim(), z.regex(/^(\+86)?1[3-9]\d{9}$/, 'expected a mainland mobile such as 13800138000')),
  z.transform((m: string) => canonicalPhone(m)),
);

/** The body of `PUT /admin/units/{id}` (the id comes from the path). */
export const UnitEntryRequest = z.strictObject({
  name: text(60),
  kind: z.enum(UNIT_KINDS),
  region: text(120),
  /** Works every day including weekends and holidays (seed 000: 08:30–18:30, 含周六、日). */
  everyDay: z.boolean(),
  /** The unit's own calendar adjustments on top of the office calendar (extra closures, other hours). */
  calendar: z.optional(calendarOverrideSchema),
});
export type UnitEntryRequest = z.infer<typeof UnitEntryRequest>;

/** The body of `PUT /admin/staff/{id}`. */
export const StaffEntryRequest = z
  .strictObject({
    name: text(40),
    role: z.enum(STAFF_ROLES),
    unitId: z.optional(identifier),
    email: z.email(),
    /** For urgent SMS notices to leaders and directors (seed 000 五3(1): 电话或短信). */
    mobile: z.optional(mobile),
  })
  .check(
    z.superRefine((s, ctx) => {
      const inUnit = UNIT_STAFF_ROLES.includes(s.role);
      if (inUnit && !s.unitId) ctx.addIssue({ code: 'custom', path: ['unitId'], message: `a ${s.role} belongs to a unit` });
      if (!inUnit && s.unitId) ctx.addIssue({ code: 'custom', path: ['unitId'], message: `a ${s.role} belongs to the organisation, not a unit` });
    }),
  );
export type StaffEntryRequest = z.infer<typeof StaffEntryRequest>;

/** The body of `PUT /admin/organisation`. */
export const OrganisationEntryRequest = z.strictObject({ name: text(60), centreName: text(60), consoleUrl: z.url({ protocol: /^https?$/ }) });
export type OrganisationEntryRequest = z.infer<typeof OrganisationEntryRequest>;

/** The body of `PUT /admin/routing`: the same rules file as `routing.json`. */
export const RoutingRequest = RoutingSchema;

export type UnitEntry = UnitEntryRequest & { id: string };
export type StaffEntry = StaffEntryRequest & { id: string };

/** Everything the directory is made of. */
export interface DirectoryEntries {
  organisation: OrganisationEntryRequest;
  units: UnitEntry[];
  staff: StaffEntry[];
  routing: Routing;
}

/** A person as the escalations read them; `mobile` only when known. */
function person(s: StaffEntry): Person {
  return { id: s.id, name: s.name, email: s.email, ...(s.mobile !== undefined && { mobile: s.mobile }) };
}

/** The unit directory and routing the lifecycle reads, from the entries. */
export function assembleDirectory(e: DirectoryEntries): { directory: UnitDirectory; routing: Routing } {
  const of = (role: StaffRole, unitId?: string) => e.staff.filter((s) => s.role === role && (unitId === undefined || s.unitId === unitId)).map(person);
  const units: Unit[] = e.units.map((u) => ({
    id: u.id,
    name: u.name,
    kind: u.kind,
    region: u.region,
    leaders: of('leader', u.id),
    handlers: of('handler', u.id),
    everyDay: u.everyDay,
    ...(u.calendar !== undefined && { calendar: u.calendar }),
  }));
  return {
    directory: {
      organisation: { ...e.organisation, operationsDirectors: of('operations_director'), qualityManagers: of('quality_manager') },
      units,
    },
    routing: e.routing,
  };
}

/** The entries of a `units.json` + `routing.json` pair (the local demo directory): what a fresh local table is seeded with. */
export function seedEntries(directory: UnitDirectory, routing: Routing): DirectoryEntries {
  const staff = (role: StaffRole, people: readonly Person[], unitId?: string): StaffEntry[] =>
    people.map((p) => ({ id: p.id, name: p.name, role, email: p.email, ...(unitId !== undefined && { unitId }), ...mobileOf(p) }));
  const { operationsDirectors, qualityManagers, ...organisation } = directory.organisation;
  return {
    organisation,
    units: directory.units.map((u) => ({ id: u.id, name: u.name, kind: u.kind, region: u.region, everyDay: u.everyDay, ...calendarOf(u) })),
    staff: [
      ...staff('operations_director', operationsDirectors),
      ...staff('quality_manager', qualityManagers),
      ...directory.units.flatMap((u) => [...staff('leader', u.leaders, u.id), ...staff('handler', u.handlers, u.id)]),
    ],
    routing,
  };
}

/** A person's mobile when the file has one (units.json gains `mobile` for urgent SMS notices). */
function mobileOf(p: Person): { mobile?: string } {
  const m: unknown = (p as Record<string, unknown>)['mobile'];
  return typeof m === 'string' ? { mobile: m } : {};
}

function calendarOf(u: Unit): { calendar?: UnitEntry['calendar'] } {
  return u.calendar !== undefined ? { calendar: u.calendar } : {};
}

/** A directory problem an admin change would cause, with the field it concerns. */
export interface DirectoryIssue {
  path: string;
  message: string;
}

/**
 * What is wrong with the directory these entries make (empty when consistent): staff in units that
 * do not exist, routing to units that do not exist, a staff id used twice. Used on every change so a
 * change that would leave the directory broken is refused before it is written.
 */
export function directoryIssues(e: DirectoryEntries): DirectoryIssue[] {
  const issues: DirectoryIssue[] = [];
  const unitIds = new Set(e.units.map((u) => u.id));
  for (const s of e.staff) if (s.unitId !== undefined && !unitIds.has(s.unitId)) issues.push({ path: 'unitId', message: `no unit “${s.unitId}”` });
  for (const id of checkRouting(e.routing, {
    organisation: { ...e.organisation, operationsDirectors: [], qualityManagers: [] },
    units: [...unitIds].map(stubUnit),
  })) {
    issues.push({ path: 'routing', message: `routing names the unit “${id}”, which does not exist` });
  }
  const keys = new Set<string>();
  for (const s of e.staff) {
    const k = staffKey(s.id);
    if (keys.has(k)) issues.push({ path: 'id', message: `staff id “${s.id}” is used twice` });
    keys.add(k);
  }
  return issues;
}

function stubUnit(id: string): Unit {
  return { id, name: id, kind: 'branch', region: '', leaders: [], handlers: [], everyDay: true };
}

/** The staff entry with this id (case-insensitively, like every staff comparison). */
export function findStaff(e: DirectoryEntries, id: string): StaffEntry | undefined {
  return e.staff.find((s) => sameStaff(s.id, id));
}

/**
 * A whole directory in one JSON document — the deploy-time seed (`cdk deploy -c directorySeed=<file>`,
 * decision 056) — in exactly the shape of `GET /admin/directory`'s `entries`, so one stage's directory can
 * seed another. Each entry is checked with the admin routes' own schemas (`UnitEntryRequest`,
 * `StaffEntryRequest`, …), then the whole as an admin change would be, plus what an admin cannot remove
 * (one operations director and one quality manager) and one entry per unit id. Paths name the entry:
 * `staff[3].email`.
 */
export function checkDirectorySeed(raw: unknown): { entries?: DirectoryEntries; issues: DirectoryIssue[] } {
  const shape = SEED_SHAPE.safeParse(raw);
  if (!shape.success) return { issues: fieldIssues(shape.error, { root: '(file)' }) };
  const issues: DirectoryIssue[] = [];
  const each = <T>(kind: 'units' | 'staff', i: number, schema: z.ZodMiniType<T>, value: Record<string, unknown>): T | undefined => {
    const { id: _id, ...rest } = value;
    const parsed = schema.safeParse(rest);
    if (parsed.success) return parsed.data;
    issues.push(...fieldIssues(parsed.error, { prefix: [`${kind}[${i}]`] }).map((f) => ({ path: f.path, message: f.message })));
    return undefined;
  };
  const units: UnitEntry[] = [];
  shape.data.units.forEach((u, i) => {
    const entry = each('units', i, UnitEntryRequest, u);
    if (entry) units.push({ id: u.id, ...entry });
  });
  const staff: StaffEntry[] = [];
  shape.data.staff.forEach((s, i) => {
    const entry = each('staff', i, StaffEntryRequest, s);
    if (entry) staff.push({ id: s.id, ...entry });
  });
  if (issues.length > 0) return { issues };
  const entries: DirectoryEntries = { organisation: shape.data.organisation, routing: shape.data.routing, units, staff };
  issues.push(...directoryIssues(entries));
  const unitIds = new Set<string>();
  for (const u of units) {
    if (unitIds.has(u.id)) issues.push({ path: 'units', message: `unit id “${u.id}” is used twice` });
    unitIds.add(u.id);
  }
  for (const role of ['operations_director', 'quality_manager'] as const) {
    if (!staff.some((s) => s.role === role)) issues.push({ path: 'staff', message: `no ${role.replace('_', ' ')}: escalations need one` });
  }
  return issues.length > 0 ? { issues } : { entries, issues };
}

const SEED_SHAPE = z.strictObject({
  organisation: OrganisationEntryRequest,
  units: z.array(z.looseObject({ id: identifier })),
  staff: z.array(z.looseObject({ id: identifier })),
  routing: RoutingRequest,
});
