import { describe, expect, it } from 'vitest';
import { directory, routing } from '#config/index.ts';
import { checkDirectorySeed, seedEntries } from '#domain/directory-entries.ts';

/** The demo directory as a seed file (what GET /admin/directory's `entries` looks like), as JSON. */
const demo = () => JSON.parse(JSON.stringify(seedEntries(directory, routing)));

describe('a directory seed file', () => {
  it('takes the demo directory whole', () => {
    const { entries, issues } = checkDirectorySeed(demo());
    expect(issues).toEqual([]);
    expect(entries?.units.map((u) => u.id)).toEqual(directory.units.map((u) => u.id));
  });

  it('names the entry and field of a bad value, with the admin routes’ own schemas', () => {
    const seed = demo();
    seed.staff[3].email = 'not-an-address';
    seed.units[0].kind = 'castle';
    const { entries, issues } = checkDirectorySeed(seed);
    expect(entries).toBeUndefined();
    expect(issues.map((i) => i.path).sort()).toEqual(['staff[3].email', 'units[0].kind']);
  });

  it('refuses a file an admin change would refuse: routing to a missing unit, staff in one, a staff id twice', () => {
    const seed = demo();
    seed.routing.defaultUnitId = 'nowhere';
    seed.staff.push({ ...seed.staff.find((s: { role: string }) => s.role === 'handler'), id: 'NEW-1', unitId: 'gone' });
    seed.staff.push({ ...seed.staff[0], id: seed.staff[0].id.toUpperCase() });
    const { issues } = checkDirectorySeed(seed);
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        'no unit “gone”',
        'routing names the unit “nowhere”, which does not exist',
        `staff id “${seed.staff[0].id.toUpperCase()}” is used twice`,
      ]),
    );
  });

  it('refuses a directory without an operations director or a quality manager, a unit id twice, and unknown fields', () => {
    const seed = demo();
    seed.staff = seed.staff.filter((s: { role: string }) => s.role !== 'quality_manager');
    seed.units.push(seed.units[0]);
    expect(checkDirectorySeed(seed).issues.map((i) => i.message)).toEqual(
      expect.arrayContaining(['no quality manager: escalations need one', `unit id “${seed.units[0].id}” is used twice`]),
    );
    expect(checkDirectorySeed({ ...demo(), leaders: [] }).issues.map((i) => i.path)).toEqual(['leaders']);
    expect(checkDirectorySeed([]).entries).toBeUndefined();
  });
});
