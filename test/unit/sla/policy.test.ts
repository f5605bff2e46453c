import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarFor, localDate, localTime } from '#domain/calendar/calendar.ts';
import { CN_CALENDAR_CONFIG, CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';
import { ValidationFailed } from '#domain/errors.ts';
import {
  DEFAULT_POLICY,
  applyPolicyOverride,
  computeDue,
  parseSlaPolicy,
  qualityEscalationAt,
  type DueContext,
  type Milestone,
  type Severity,
  type Source,
} from '#domain/sla/policy.ts';

/** Shanghai wall-clock time 'YYYY-MM-DD HH:MM' → Date. */
const sh = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+08:00`);
/** Date → Shanghai 'YYYY-MM-DD HH:MM', with leftover seconds/ms shown so mistakes are visible. */
const at = (d: Date | undefined): string | undefined => {
  if (!d) return undefined;
  const rest = d.getTime() % 60_000;
  return `${localDate(d)} ${localTime(d)}${rest === 0 ? '' : `+${rest}ms`}`;
};

const office = CN_WORK_CALENDAR;
const ctx = (milestone: Milestone, startedAt: string, severity: Severity, source: Source = 'customer'): DueContext => ({
  milestone,
  startedAt: sh(startedAt),
  severity,
  source,
});
const due = (c: DueContext, policy = DEFAULT_POLICY, calendar = office) => {
  const r = computeDue(policy, calendar, c);
  return r && { dueAt: at(r.dueAt), warnAt: at(r.warnAt), basis: r.basis, capped: r.capped };
};

describe('SPEC default time limits, row by row', () => {
  it.each<[string, DueContext, string | undefined, string | undefined]>([
    // leaders notified: 30 min, major/urgent only (seed 000)
    ['leaders notified of a major complaint within 30 min', ctx('leaders_notified', '2026-03-02 10:00', 'major'), '2026-03-02 10:30', '2026-03-02 10:24'],
    [
      'leaders notified of an urgent complaint at night within 30 wall-clock min',
      ctx('leaders_notified', '2026-02-15 23:50', 'urgent'),
      '2026-02-16 00:20',
      '2026-02-16 00:14',
    ],
    // dispatch: 2 working hours / 30 min
    [
      'dispatch of a general complaint on Friday 17:00 within 2 working hours (make-up Saturday)',
      ctx('dispatch', '2026-02-13 17:00', 'general'),
      '2026-02-14 09:00',
      '2026-02-14 08:36',
    ],
    [
      'dispatch of a general complaint at 16:30 is due at 18:30 the same day, not next morning',
      ctx('dispatch', '2026-03-02 16:30', 'general'),
      '2026-03-02 18:30',
      '2026-03-02 18:06',
    ],
    ['dispatch of a minor complaint like a general one', ctx('dispatch', '2026-03-02 10:00', 'minor'), '2026-03-02 12:00', '2026-03-02 11:36'],
    [
      'dispatch of a major complaint within 30 wall-clock min, even after hours',
      ctx('dispatch', '2026-03-02 18:20', 'major'),
      '2026-03-02 18:50',
      '2026-03-02 18:44',
    ],
    // first contact: 24 h / 2 h (seed 002, seed 004)
    [
      'first contact on a general complaint within 24 h through the holiday',
      ctx('first_contact', '2026-02-14 17:00', 'general'),
      '2026-02-15 17:00',
      '2026-02-15 12:12',
    ],
    ['first contact on a major complaint within 2 h', ctx('first_contact', '2026-02-14 17:00', 'major'), '2026-02-14 19:00', '2026-02-14 18:36'],
    // reply: 5 working days / 1 working day (seed 002, seed 004), Civil Code days: 18:30 of the last working day
    [
      'reply to a general complaint within 5 working days across Spring Festival 2026',
      ctx('reply', '2026-02-13 17:00', 'general'),
      '2026-02-27 18:30',
      '2026-02-26 18:12',
    ],
    [
      'reply to a general complaint within 5 working days across Spring Festival 2025',
      ctx('reply', '2025-01-24 10:00', 'general'),
      '2025-02-07 18:30',
      '2025-02-06 16:48',
    ],
    ['reply to a major complaint within 1 working day on a plain Monday', ctx('reply', '2026-03-02 10:00', 'major'), '2026-03-03 18:30', '2026-03-03 14:48'],
    // callback after the unit's valid reply (seed 000)
    ['callback of a general customer complaint within 24 h', ctx('callback', '2026-03-02 10:00', 'general'), '2026-03-03 10:00', '2026-03-03 05:12'],
    // appeal risk: 7 days after intake, warning at day 5 (seed 001)
    ['appeal risk 7 calendar days after intake, warned on day 5', ctx('appeal_risk', '2026-02-13 17:00', 'general'), '2026-02-20 17:00', '2026-02-18 17:00'],
    ['appeal risk applies to major complaints too', ctx('appeal_risk', '2026-03-02 10:00', 'major'), '2026-03-09 10:00', '2026-03-07 10:00'],
    // rectification: 5 calendar days after the finding (seed 000 §(六)3 “5天内”)
    ['rectification within 5 calendar days', ctx('rectification', '2026-02-13 17:00', 'general'), '2026-02-18 17:00', '2026-02-17 17:00'],
    // compensation (seed 001 快件赔偿)
    ['compensation claim acknowledged within 24 h', ctx('claim_ack', '2026-03-02 10:00', 'general'), '2026-03-03 10:00', '2026-03-03 05:12'],
    ['compensation settled within 30 calendar days', ctx('claim_settle', '2026-03-02 10:00', 'general'), '2026-04-01 10:00', '2026-03-26 10:00'],
    [
      'compensation paid within 7 working days of agreement across National Day 2025',
      ctx('claim_pay', '2025-09-26 10:00', 'general'),
      '2025-10-13 18:30',
      '2025-10-11 12:48',
    ],
  ])('%s', (_name, context, expectedDue, expectedWarn) => {
    // Act
    const result = due(context);
    // Assess
    expect(result?.dueAt).toBe(expectedDue);
    expect(result?.warnAt).toBe(expectedWarn);
  });

  it.each<Severity>(['minor', 'general'])('does not notify leaders of a %s complaint', (severity) => {
    expect(computeDue(DEFAULT_POLICY, office, ctx('leaders_notified', '2026-03-02 10:00', severity))).toBeUndefined();
  });

  it('settles an international compensation claim within 60 calendar days', () => {
    const result = due({ ...ctx('claim_settle', '2026-03-02 10:00', 'general'), international: true });
    expect(result).toMatchObject({ dueAt: '2026-05-01 10:00', basis: 'international' });
  });
});

describe('callback: 2 h only for major/urgent external complaints (seed 000, SPEC table)', () => {
  it.each<[Severity, Source, string]>([
    ['general', 'customer', '2026-03-03 10:00'],
    ['general', 'external', '2026-03-03 10:00'],
    ['major', 'customer', '2026-03-03 10:00'],
    ['major', 'external', '2026-03-02 12:00'],
    ['urgent', 'external', '2026-03-02 12:00'],
  ])('%s complaint from %s source is called back by %s', (severity, source, expected) => {
    expect(due(ctx('callback', '2026-03-02 10:00', severity, source))?.dueAt).toBe(expected);
  });

  it('applies 2 h to every external complaint when the organisation reads seed 000 literally', () => {
    // Prepare
    const policy = applyPolicyOverride(DEFAULT_POLICY, { profiles: { default: { callback: { externalFor: 'all' } } } });
    // Act
    const result = due(ctx('callback', '2026-03-02 10:00', 'general', 'external'), policy);
    // Assess
    expect(result).toMatchObject({ dueAt: '2026-03-02 12:00', basis: 'external' });
  });
});

describe('major reply: 1 working day; 48 h only by an approved extension for a special case (seed 004, decision 044)', () => {
  it.each([
    ['2026-02-14 17:00', '2026-02-24 18:30', 'make-up Saturday: the next working day after the Spring Festival break, not 02-16'],
    ['2026-02-15 10:00', '2026-02-24 18:30', 'dispatched the day before 除夕: the next working day, not 正月初一 (02-17)'],
    ['2025-09-30 10:00', '2025-10-09 18:30', 'dispatched on the National Day eve 2025: the next working day, not 10-02'],
    ['2026-09-30 10:00', '2026-10-08 18:30', 'dispatched on the National Day eve 2026: Thursday 10-08, the first working day after the break'],
  ])('dispatched %s → due %s (%s)', (from, expected) => {
    expect(due(ctx('reply', from, 'major'))).toMatchObject({ dueAt: expected, basis: 'majorUrgent', capped: false });
  });

  it('is due at the close of the next working day on a plain Monday', () => {
    expect(due(ctx('reply', '2026-03-02 10:00', 'urgent'))).toMatchObject({ dueAt: '2026-03-03 18:30', capped: false });
  });
});

describe('approved extension', () => {
  it('extends a general reply to 15 working days (make-up Saturdays 02-14 and 02-28 count), warning after 12', () => {
    const result = due({ ...ctx('reply', '2026-02-13 17:00', 'general'), extended: true });
    expect(result).toEqual({ dueAt: '2026-03-12 18:30', warnAt: '2026-03-09 18:12', basis: 'extended', capped: false });
  });

  it('grants a major reply at most 48 h from dispatch for a special case', () => {
    const result = due({ ...ctx('reply', '2026-03-02 10:00', 'major'), extended: true });
    expect(result).toMatchObject({ dueAt: '2026-03-04 10:00', basis: 'extended' });
  });

  it('never shortens a major reply: 48 h from the eve of 除夕 would end on 正月初一, the working day stands', () => {
    const result = due({ ...ctx('reply', '2026-02-15 10:00', 'major'), extended: true });
    expect(result).toMatchObject({ dueAt: '2026-02-24 18:30', basis: 'majorUrgent' });
  });

  it('moves the 48 h of a unit that keeps office hours out of its weekend: Thursday → Monday 08:30, not Saturday', () => {
    const result = due({ ...ctx('reply', '2026-03-05 10:00', 'major'), extended: true, officeHours: true });
    expect(result).toMatchObject({ dueAt: '2026-03-09 08:30', basis: 'extended' });
  });

  it('is ignored for a milestone that has no extension', () => {
    const result = due({ ...ctx('first_contact', '2026-03-02 10:00', 'general'), extended: true });
    expect(result).toMatchObject({ dueAt: '2026-03-03 10:00', basis: 'general' });
  });
});

describe('administrative-efficiency profile (seed 001, 宝山 art. 17)', () => {
  it('allows 10 working days for the reply', () => {
    const result = due({ ...ctx('reply', '2026-03-02 10:00', 'general'), profile: 'administrative_efficiency' });
    expect(result).toMatchObject({ dueAt: '2026-03-16 18:30', warnAt: '2026-03-12 16:48' });
  });

  it('allows at most 30 working days with an approved extension', () => {
    const result = due({ ...ctx('reply', '2026-03-02 10:00', 'general'), profile: 'administrative_efficiency', extended: true });
    expect(result).toMatchObject({ dueAt: '2026-04-14 18:30', basis: 'extended' });
  });

  it('uses the default rule for milestones it does not define', () => {
    const result = due({ ...ctx('dispatch', '2026-03-02 10:00', 'general'), profile: 'administrative_efficiency' });
    expect(result?.dueAt).toBe('2026-03-02 12:00');
  });

  it('refuses an unknown profile', () => {
    expect(() => computeDue(DEFAULT_POLICY, office, { ...ctx('reply', '2026-03-02 10:00', 'general'), profile: 'nope' })).toThrow(/no profile “nope”/);
  });
});

describe('working units are counted on the calendar passed in', () => {
  it('gives an everyDay unit 5 calendar days for the reply over Spring Festival', () => {
    const unit = calendarFor(CN_CALENDAR_CONFIG, { everyDay: true });
    expect(due(ctx('reply', '2026-02-13 17:00', 'general'), DEFAULT_POLICY, unit)?.dueAt).toBe('2026-02-18 18:30');
  });
});

describe('pauses (waiting for the complainant) shift the clock in its own unit', () => {
  it('shifts a working-day deadline by the working time of the pause only', () => {
    // Prepare: paused Friday 18:00 → Monday 09:00 = 30 min Friday + 30 min Monday of working time
    const context: DueContext = {
      ...ctx('reply', '2026-03-02 10:00', 'general'),
      pauses: [{ from: sh('2026-03-06 18:00'), to: sh('2026-03-09 09:00') }],
    };
    // Act
    const result = due(context);
    // Assess: 1 working hour past the close of 03-09 (18:30) is 09:30 the next morning
    expect(result).toMatchObject({ dueAt: '2026-03-10 09:30', warnAt: '2026-03-06 17:48' });
  });

  it('shifts a wall-clock deadline by the wall-clock length of the pause', () => {
    const context: DueContext = {
      ...ctx('first_contact', '2026-03-02 10:00', 'general'),
      pauses: [{ from: sh('2026-03-02 20:00'), to: sh('2026-03-02 23:00') }],
    };
    expect(due(context)).toMatchObject({ dueAt: '2026-03-03 13:00', warnAt: '2026-03-03 08:12' });
  });

  it('ignores the part of a pause before the clock started', () => {
    const context: DueContext = {
      ...ctx('first_contact', '2026-03-02 10:00', 'general'),
      pauses: [{ from: sh('2026-03-02 08:00'), to: sh('2026-03-02 11:00') }],
    };
    expect(due(context)?.dueAt).toBe('2026-03-03 11:00');
  });

  it('adds pausedMillis measured in the milestone clock', () => {
    const context: DueContext = { ...ctx('reply', '2026-03-02 10:00', 'general'), pausedMillis: 2 * 3_600_000 };
    expect(due(context)?.dueAt).toBe('2026-03-10 10:30');
  });

  it('shifts both parts of a capped rule, each in its own clock', () => {
    // Prepare: an organisation that caps the major reply at 48 h; make-up Saturday, paused 3 h over the holiday (0 working hours)
    const policy = applyPolicyOverride(DEFAULT_POLICY, {
      profiles: { default: { reply: { cap: { amount: 48, unit: 'calendar_hours' }, capFor: 'major_urgent' } } },
    });
    const context: DueContext = {
      ...ctx('reply', '2026-02-14 17:00', 'major'),
      pauses: [{ from: sh('2026-02-15 10:00'), to: sh('2026-02-15 13:00') }],
    };
    expect(due(context, policy)).toMatchObject({ dueAt: '2026-02-16 20:00', capped: true });
  });

  it('rejects a negative pausedMillis', () => {
    expect(() => computeDue(DEFAULT_POLICY, office, { ...ctx('reply', '2026-03-02 10:00', 'general'), pausedMillis: -1 })).toThrow(RangeError);
  });
});

describe('quality-manager escalation: breach + 1 working day', () => {
  it('escalates one working day after a Friday breach, on the make-up Saturday', () => {
    expect(at(qualityEscalationAt(DEFAULT_POLICY, office, sh('2026-02-13 17:00')))).toBe('2026-02-14 18:30');
  });

  it('escalates after the holiday break when the breach is on its eve', () => {
    expect(at(qualityEscalationAt(DEFAULT_POLICY, office, sh('2026-09-30 15:00')))).toBe('2026-10-08 18:30');
  });
});

describe('policy as validated data', () => {
  it('DEFAULT_POLICY survives a JSON round trip through the schema', () => {
    // Prepare
    const json: unknown = JSON.parse(JSON.stringify(DEFAULT_POLICY));
    // Act
    const parsed = parseSlaPolicy(json);
    // Assess
    expect(parsed).toEqual(DEFAULT_POLICY);
  });

  it('applies an organisation override field by field and keeps the rest', () => {
    // Prepare
    const override = { version: 'org-7', profiles: { default: { reply: { general: { amount: 3, unit: 'working_days' } } } } };
    // Act
    const policy = applyPolicyOverride(DEFAULT_POLICY, override);
    // Assess
    expect(policy.version).toBe('org-7');
    expect(policy.profiles.default.reply).toEqual({ ...DEFAULT_POLICY.profiles.default.reply, general: { amount: 3, unit: 'working_days' } });
    expect(due(ctx('reply', '2026-03-02 10:00', 'general'), policy)?.dueAt).toBe('2026-03-05 18:30');
    expect(policy.profiles.default.dispatch).toEqual(DEFAULT_POLICY.profiles.default.dispatch);
    expect(policy.profiles.administrative_efficiency).toEqual(DEFAULT_POLICY.profiles.administrative_efficiency);
  });

  it('removes a field with null: no 48 h extension for this organisation', () => {
    const policy = applyPolicyOverride(DEFAULT_POLICY, { profiles: { default: { reply: { extendedMajorUrgent: null } } } });
    expect(due({ ...ctx('reply', '2026-03-02 10:00', 'major'), extended: true }, policy)).toMatchObject({ dueAt: '2026-03-23 18:30', basis: 'extended' });
  });

  it('adds a new named profile', () => {
    const policy = applyPolicyOverride(DEFAULT_POLICY, {
      profiles: { vip: { first_contact: { general: { amount: 1, unit: 'calendar_hours' } } } },
    });
    expect(due({ ...ctx('first_contact', '2026-03-02 10:00', 'general'), profile: 'vip' }, policy)?.dueAt).toBe('2026-03-02 11:00');
  });

  it.each<[string, unknown, string]>([
    ['an unknown unit', { profiles: { default: { reply: { general: { amount: 3, unit: 'weeks' } } } } }, 'profiles.default.reply.general.unit'],
    [
      'a negative amount',
      { profiles: { default: { dispatch: { general: { amount: -2, unit: 'working_hours' } } } } },
      'profiles.default.dispatch.general.amount',
    ],
    [
      'fractional working days',
      { profiles: { default: { reply: { general: { amount: 2.5, unit: 'working_days' } } } } },
      'profiles.default.reply.general.amount',
    ],
    ['a misspelt rule field', { profiles: { default: { reply: { genral: { amount: 3, unit: 'working_days' } } } } }, 'profiles.default.reply'],
    ['an unknown milestone', { profiles: { default: { lunch: { general: { amount: 1, unit: 'calendar_hours' } } } } }, 'profiles.default'],
    ['a warning fraction above 1', { warnAtFraction: 1.2 }, 'warnAtFraction'],
    ['a rule left without any limit', { profiles: { default: { dispatch: { general: null, majorUrgent: null } } } }, 'profiles.default.dispatch'],
  ])('rejects an override with %s, naming the field path', (_name, override, path) => {
    // Act
    let error: unknown;
    try {
      applyPolicyOverride(DEFAULT_POLICY, override);
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.path)).toContain(path);
  });

  it('rejects a complete policy without a default profile', () => {
    const { default: _dropped, ...others } = DEFAULT_POLICY.profiles;
    expect(() => parseSlaPolicy({ ...DEFAULT_POLICY, profiles: others })).toThrow(ValidationFailed);
  });
});

describe('no deadline of an office-hours clock inside its non-working time (SPEC "Time limits")', () => {
  it('ends every unit deadline of an office-hours unit in working time or exactly at its close, 2025–2026', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-01-01T00:00:00+08:00'), max: Date.parse('2026-12-20T00:00:00+08:00') }),
        fc.constantFrom<Milestone>('first_contact', 'reply'),
        fc.constantFrom<Severity>('minor', 'general', 'major', 'urgent'),
        fc.boolean(),
        (t, milestone, severity, extended) => {
          const result = computeDue(DEFAULT_POLICY, office, { milestone, startedAt: new Date(t), severity, source: 'customer', extended, officeHours: true });
          expect(result).toBeDefined();
          const dueAt = result?.dueAt ?? new Date(t);
          expect(office.nextDeadlineInstant(dueAt).getTime()).toBe(dueAt.getTime());
        },
      ),
    );
  });

  it('moves 24 h from Friday 15:00 to Monday 08:30 for an office-hours clock, and keeps Saturday 15:00 for a wall clock', () => {
    expect(due({ ...ctx('first_contact', '2026-03-06 15:00', 'general'), officeHours: true })?.dueAt).toBe('2026-03-09 08:30');
    expect(due(ctx('first_contact', '2026-03-06 15:00', 'general'))?.dueAt).toBe('2026-03-07 15:00');
  });
});
