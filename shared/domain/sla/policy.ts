/**
 * SLA policy (时限) as data, and the deadline arithmetic on a {@link WorkCalendar}.
 *
 * The policy is plain JSON-able data validated by {@link slaPolicySchema}; {@link DEFAULT_POLICY}
 * encodes the SPEC "Time limits (SLA)" table and an organisation can change any part of it with
 * {@link applyPolicyOverride}. {@link computeDue} is pure: no clock, no I/O.
 *
 * Which calendar to pass is the caller's choice and should be the calendar of whoever owns the
 * clock: the customer-service centre for dispatch and callback, the handling unit (often
 * `everyDay`, seed 000_a1eb924360c3e548.txt) for contact and reply, the organisation's office
 * calendar for compensation payment.
 */
import * as z from '../zod.ts';
import type { WorkCalendar } from '#domain/calendar/calendar.ts';
import { ValidationFailed, type FieldIssue } from '#domain/errors.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { isMajorOrUrgent, type Severity, type Source } from '#domain/model.ts';

export type { Severity, Source };

/** The clocks the policy tracks, in lifecycle order. */
export const MILESTONES = [
  'leaders_notified',
  'dispatch',
  'first_contact',
  'reply',
  'callback',
  'appeal_risk',
  'rectification',
  'claim_ack',
  'claim_settle',
  'claim_pay',
  'leaders_confirm',
  'sign',
  /** The next contact an unresolved reply promised (seed 000 五1(1)): due at that instant, no policy limit (decision 050). */
  'next_contact',
  /** 协办: one deadline per assist task, named `assist:<taskId>` on the complaint (decision 048). */
  'assist',
] as const;
/** One tracked deadline of a complaint. */
export type Milestone = (typeof MILESTONES)[number];

/**
 * `minutes`, `calendar_hours`, `calendar_days`: wall-clock time, 24/7.
 * `working_minutes`, `working_hours`, `working_days`: working time of the calendar passed to {@link computeDue}
 * (`working_minutes` exactly, for the 20 minutes of 签收: 1/3 of a working hour is not a finite number);
 * `working_days` count as the Civil Code counts periods (the start day does not count, the period
 * ends at the close of business of its last working day — `WorkCalendar.addWorkingDays`).
 */
export const DURATION_UNITS = ['minutes', 'calendar_hours', 'calendar_days', 'working_hours', 'working_days', 'working_minutes'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** Which severities a rule modifier (`external`, `cap`) applies to. */
export const SEVERITY_SCOPES = ['all', 'major_urgent'] as const;
export type SeverityScope = (typeof SEVERITY_SCOPES)[number];

/** A time limit such as `{ amount: 5, unit: 'working_days' }`. */
export const durationSchema = z
  .strictObject({
    amount: z.number().check(z.positive()),
    unit: z.enum(DURATION_UNITS),
  })
  .check(
    z.refine((d) => d.unit !== 'working_days' || Number.isInteger(d.amount), {
      message: 'working_days must be a whole number (use working_hours for fractions)',
      path: ['amount'],
    }),
  );
export type Duration = z.infer<typeof durationSchema>;

/**
 * The time limit of one milestone. Selection in {@link computeDue}, later steps win:
 * 1. `majorUrgent` for major/urgent complaints, else `general` (major/urgent fall back to
 *    `general` when `majorUrgent` is absent; with no applicable limit the milestone does not apply);
 * 2. `external` when the source is external and the severity is in `externalFor` (default `all`);
 * 3. `international` when the context says the item is international;
 * 4. `extended` when an extension was approved — `extendedMajorUrgent` instead for major/urgent
 *    complaints when given; it replaces the limit and lifts the `cap`. An extension never
 *    shortens: when the extended limit ends before the ordinary one, the ordinary one stands.
 * `cap` is an absolute upper bound on the limit for severities in `capFor` (default `all`):
 * the due date is the earlier of the two. `warnAt` sets an explicit warning point instead of
 * the policy's `warnAtFraction`.
 */
export const milestoneRuleSchema = z
  .strictObject({
    general: z.optional(durationSchema),
    majorUrgent: z.optional(durationSchema),
    external: z.optional(durationSchema),
    externalFor: z.optional(z.enum(SEVERITY_SCOPES)),
    international: z.optional(durationSchema),
    extended: z.optional(durationSchema),
    extendedMajorUrgent: z.optional(durationSchema),
    cap: z.optional(durationSchema),
    capFor: z.optional(z.enum(SEVERITY_SCOPES)),
    warnAt: z.optional(durationSchema),
  })
  .check(
    z.refine((r) => r.general !== undefined || r.majorUrgent !== undefined, {
      message: 'a rule needs a general or a majorUrgent limit',
    }),
  );
export type MilestoneRule = z.infer<typeof milestoneRuleSchema>;

/** Milestone → rule. A milestone missing from a non-default profile uses the default profile's rule. */
export const slaProfileSchema = z.partialRecord(z.enum(MILESTONES), milestoneRuleSchema);

/** A whole policy: named profiles (at least `default`) plus the escalation parameters. */
export const slaPolicySchema = z.strictObject({
  version: z.string().check(z.minLength(1)),
  /** Warn the handler at this fraction of every deadline (SPEC "Escalation": 80 %). */
  warnAtFraction: z.number().check(z.gt(0)).check(z.lt(1)),
  /** Still open this long after a breach → the quality manager (SPEC "Escalation"). */
  qualityEscalationAfter: durationSchema,
  profiles: z.catchall(z.object({ default: slaProfileSchema }), slaProfileSchema),
  /**
   * How long after a dispatch the unit may return (退回) it, on the unit's calendar (SPEC "Dispatch":
   * 2 working hours); absent: the default of {@link DEFAULT_POLICY}.
   */
  returnWindow: z.optional(durationSchema),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
/** Profile names: `default`, `administrative_efficiency`, the kinds `inquiry` and `feedback`, or one an organisation adds. */
export type ProfileName = 'default' | 'administrative_efficiency' | 'inquiry' | 'feedback' | (string & {});

const d = (amount: number, unit: DurationUnit): Duration => ({ amount, unit });

/** The SPEC "Time limits (SLA)" defaults. Every row cites the seed it comes from. */
export const DEFAULT_POLICY: SlaPolicy = {
  version: 'spec-2025',
  warnAtFraction: 0.8,
  qualityEscalationAfter: d(1, 'working_days'),
  returnWindow: d(2, 'working_hours'),
  profiles: {
    default: {
      // seed 000_a1eb924360c3e548.txt 五.3(1): 下单后30分钟内电话或短信通知处理单位的分管领导和业务运行总监 —
      // major/urgent only, so no `general` limit.
      leaders_notified: { majorUrgent: d(30, 'minutes') },
      // seed 000_a1eb924360c3e548.txt (四)2 转发 "在规定时限内"; SPEC: 2 working hours, 30 min major/urgent.
      dispatch: { general: d(2, 'working_hours'), majorUrgent: d(30, 'minutes') },
      // seed 002_16700b939b2bfea6.txt: 收到投诉后必须在24小时内首次回应; seed 004_13dcb525fbc75c1b.txt:
      // 重大投诉问题责任部门需要在2小时内响应.
      first_contact: { general: d(24, 'calendar_hours'), majorUrgent: d(2, 'calendar_hours') },
      // seed 002_16700b939b2bfea6.txt: 5个工作日 / 复杂问题可延长至15个工作日; seed 004_13dcb525fbc75c1b.txt:
      // 重大投诉 1个工作日内给出具体解决方案(特殊情况不超过48小时) — the 48 h is what an approved extension
      // for a special case may reach, not a cap on the working day (a cap put the reply of a complaint
      // dispatched on 02-15 on 正月初一). Decision 044.
      reply: {
        general: d(5, 'working_days'),
        majorUrgent: d(1, 'working_days'),
        extended: d(15, 'working_days'),
        extendedMajorUrgent: d(48, 'calendar_hours'),
      },
      // seed 000_a1eb924360c3e548.txt (三)2: 一般投诉在24小时内回访客户、外部投诉在2小时内回访客户.
      // Reading (SPEC table puts "2 h if the source is external" in the major/urgent column, and the
      // SPEC wins over the seed): general → 24 h whatever the source; major/urgent → 2 h when external,
      // 24 h when the complainant came directly. External (regulator) complaints are normally
      // classified major by the severity rules anyway; an organisation that reads the seed literally
      // (every external complaint 2 h) sets `externalFor: 'all'`.
      callback: {
        general: d(24, 'calendar_hours'),
        majorUrgent: d(24, 'calendar_hours'),
        external: d(2, 'calendar_hours'),
        externalFor: 'major_urgent',
      },
      // seed 001_ac9bde20c1bec4e1.txt (邮政业消费者申诉处理办法 第九条): 向企业投诉后7日内未得到答复 → 可申诉.
      // Applies to every severity; the SPEC's own warning point is day 5.
      appeal_risk: { general: d(7, 'calendar_days'), warnAt: d(5, 'calendar_days') },
      // seed 000_a1eb924360c3e548.txt (六)3: 于每月公司通报情况后5天内进行分析整改 — "5天", not "5个工作日",
      // so calendar days, counted from the justified finding / the monthly notice passed as startedAt.
      rectification: { general: d(5, 'calendar_days') },
      // seed 001_ac9bde20c1bec4e1.txt (快件赔偿): 收到索赔申告单24h内答复.
      claim_ack: { general: d(24, 'calendar_hours') },
      // seed 001_ac9bde20c1bec4e1.txt: 同城和国内异地、港澳台 30个日历天; 国际快件 60个日历天.
      claim_settle: { general: d(30, 'calendar_days'), international: d(60, 'calendar_days') },
      // seed 001_ac9bde20c1bec4e1.txt: 达成一致后应在7个工作日内支付赔金 (startedAt = agreement).
      claim_pay: { general: d(7, 'working_days') },
      // seed 000_a1eb924360c3e548.txt 五.3(1) (要确认已收到) + SPEC "Escalation": unconfirmed 30 min after the
      // notice went out → the quality manager. Started only by a notice, so for every severity; the
      // warning point equals the due point: no 80 % e-mail (decision 049).
      leaders_confirm: { general: d(30, 'minutes'), warnAt: d(30, 'minutes') },
      // seed 000_a1eb924360c3e548.txt: 各处理单位每20分钟查看一次系统 (08:30–18:30, weekends included) —
      // SPEC: sign within 20 working minutes of the unit's calendar, whatever the severity. Decision 047.
      sign: { general: d(20, 'working_minutes') },
      // 协办 (decision 048), on the assisting unit's calendar. No seed sets a limit; the findings must come
      // back early enough for the lead unit's own limit: 1 working day (Civil Code count: the day asked does
      // not count, it ends at 18:30 of the next working day) leaves most of the general 5-working-day reply
      // (seed 002); a major/urgent complaint's reply is due in 1 working day (seed 004), so its assistance
      // is due in 4 working hours. Seed 000 四(二)5(2): a unit that delays its help makes the complaint justified.
      assist: { general: d(1, 'working_days'), majorUrgent: d(4, 'working_hours') },
    },
    administrative_efficiency: {
      // seed 001_ac9bde20c1bec4e1.txt 宝山 第十七条: 10个工作日内办理完毕; 经批准可以延长, 最长不得超过30个工作日,
      // 并向投诉人说明理由. Same limit for every severity: the article does not distinguish.
      reply: { general: d(10, 'working_days'), extended: d(30, 'working_days') },
    },
    // 受理类型 查询 (decision 050). seed 001_ac9bde20c1bec4e1.txt (快递 服务质量处罚细则): 客户致电网点公司查询,
    // 网点公司必须在受理2小时内将信息反馈于客户 — first contact 2 h after dispatch; seed 001 (客户咨询类): 不能解答的
    // …在24小时答复客户 — reply 24 h. An inquiry that turns into a long trace may be extended to the
    // complaint limit (5 working days). Major/urgent (a second chase) fall back to these limits: already
    // shorter than an urgent complaint's. Dispatch, callback and the appeal risk are the default's.
    inquiry: {
      first_contact: { general: d(2, 'calendar_hours') },
      reply: { general: d(24, 'calendar_hours'), extended: d(5, 'working_days') },
    },
    // 受理类型 意见反映 (decision 050). seed 001_ac9bde20c1bec4e1.txt (客户建议类): 需要回复的, 要给客户承诺一定回复
    // 期限, 待领导做出批示后向客户答复 — no seed limit: contact and reply keep the complaint defaults (the
    // leader's decision fits 5 working days). No timed callback for general feedback (nothing to verify
    // with the complainant; the centre still records one to close), but a chased or escalated one — now
    // urgent, seed 000 — is called back like a major complaint: 24 h, 2 h when external.
    feedback: {
      callback: { majorUrgent: d(24, 'calendar_hours'), external: d(2, 'calendar_hours'), externalFor: 'major_urgent' },
    },
  },
};

const clockOf = (unit: DurationUnit): 'working' | 'wall' =>
  unit === 'working_minutes' || unit === 'working_hours' || unit === 'working_days' ? 'working' : 'wall';

/** True when the unit counts the calendar's working time (pauses are measured in it too). */
export const isWorkingUnit = (unit: DurationUnit): boolean => clockOf(unit) === 'working';

/** `from` plus `duration` on `calendar` (wall-clock units ignore the calendar). */
export function addDuration(calendar: WorkCalendar, from: Date, duration: Duration): Date {
  switch (duration.unit) {
    case 'minutes':
      return calendar.addCalendarHours(from, duration.amount / 60);
    case 'calendar_hours':
      return calendar.addCalendarHours(from, duration.amount);
    case 'calendar_days':
      return calendar.addCalendarDays(from, duration.amount);
    case 'working_minutes':
      return calendar.addWorkingMinutes(from, duration.amount);
    case 'working_hours':
      return calendar.addWorkingHours(from, duration.amount);
    case 'working_days':
      return calendar.addWorkingDays(from, duration.amount);
  }
}

/** A period during which the clock was stopped (waiting for the complainant's documents). */
export interface PauseInterval {
  from: Date;
  to: Date;
}

/** What {@link computeDue} needs to know about the complaint. */
export interface DueContext {
  milestone: Milestone;
  /** When the clock started (intake, classification, dispatch, reply, agreement …). */
  startedAt: Date;
  severity: Severity;
  source: Source;
  /** Policy profile; default `default`. */
  profile?: ProfileName;
  /** An extension was approved (approver + reason recorded elsewhere). */
  extended?: boolean;
  /** International item (compensation settlement 60 days, seed 001). */
  international?: boolean;
  /**
   * The clock's owner keeps the office hours of `calendar` (a handling unit that does not work
   * every day): a wall-clock deadline falling in its non-working time moves to the next working
   * instant (SPEC "Time limits"). Leave unset for the centre's wall-clock limits and every-day units.
   */
  officeHours?: boolean;
  /**
   * Closed pause periods. Each deadline is pushed back by the pause measured in *its own clock*:
   * working time for working units (a pause from Friday 18:00 to Monday 09:00 costs 1 working
   * hour), wall time otherwise. The part of a pause before `startedAt` is ignored.
   */
  pauses?: readonly PauseInterval[];
  /**
   * Pause time already measured by the caller, in the milestone's own clock (working ms for
   * working units, wall ms otherwise); added to `pauses`. When a rule mixes clocks (a major reply of
   * 1 working day with its 48 h extension) the same amount shifts both — pass `pauses` for exactness.
   */
  pausedMillis?: number;
}

/** Which rule field produced the limit. */
export type DueBasis = 'general' | 'majorUrgent' | 'external' | 'international' | 'extended';

/** A computed deadline. */
export interface Due {
  dueAt: Date;
  /** When the handler is warned; never after `dueAt`. */
  warnAt: Date;
  /** The limit that applied (before the cap). */
  duration: Duration;
  basis: DueBasis;
  /** True when the rule's cap was earlier than the limit and set `dueAt`. */
  capped: boolean;
}

/**
 * The rule for `milestone` under `profile`, falling back to the default profile.
 * @throws RangeError for a profile the policy does not define.
 */
export function ruleFor(policy: SlaPolicy, milestone: Milestone, profile: ProfileName = 'default'): MilestoneRule | undefined {
  const p = policy.profiles[profile];
  if (!p) throw new RangeError(`SLA policy ${policy.version} has no profile “${profile}”`);
  return p[milestone] ?? policy.profiles.default[milestone];
}

const inScope = (scope: SeverityScope | undefined, major: boolean): boolean => (scope ?? 'all') === 'all' || major;

/**
 * Due and warning instants for one milestone, or `undefined` when the milestone does not apply
 * (e.g. `leaders_notified` for a general complaint).
 *
 * The warning is at `warnAtFraction` of the limit *in the limit's own clock* — 80 % of the
 * working time for working units (5 working days → after 4 working days), 80 % of wall time
 * otherwise — unless the rule has an explicit `warnAt`. When the cap wins, the warning is at
 * the fraction of the cap. Pauses shift both instants (see {@link DueContext.pauses}).
 */
export function computeDue(policy: SlaPolicy, calendar: WorkCalendar, ctx: DueContext): Due | undefined {
  const rule = ruleFor(policy, ctx.milestone, ctx.profile);
  if (!rule) return undefined;
  const major = isMajorOrUrgent(ctx.severity);

  let basis: DueBasis;
  let duration: Duration;
  if (major && rule.majorUrgent) [basis, duration] = ['majorUrgent', rule.majorUrgent];
  else if (rule.general) [basis, duration] = ['general', rule.general];
  else return undefined;
  if (ctx.source === 'external' && rule.external && inScope(rule.externalFor, major)) {
    [basis, duration] = ['external', rule.external];
  }
  if (ctx.international && rule.international) [basis, duration] = ['international', rule.international];

  const start = ctx.startedAt;
  let { dueAt, warnAt } = deadline(calendar, start, duration, policy.warnAtFraction, ctx);
  const extension = ctx.extended ? (major && rule.extendedMajorUrgent) || rule.extended : undefined;
  if (extension) {
    const extended = deadline(calendar, start, extension, policy.warnAtFraction, ctx);
    // An extension never shortens: 48 h from a dispatch just before a holiday can end before the
    // working day the complaint already had.
    if (extended.dueAt.getTime() >= dueAt.getTime()) [basis, duration, { dueAt, warnAt }] = ['extended', extension, extended];
  }
  if (rule.warnAt) warnAt = shift(calendar, addDuration(calendar, start, rule.warnAt), rule.warnAt.unit, start, ctx);

  let capped = false;
  if (rule.cap && !extension && inScope(rule.capFor, major)) {
    const cap = deadline(calendar, start, rule.cap, policy.warnAtFraction, ctx);
    if (cap.dueAt.getTime() < dueAt.getTime()) {
      capped = true;
      dueAt = cap.dueAt;
      warnAt = rule.warnAt ? warnAt : cap.warnAt;
    }
  }
  // Working-clock deadlines already end in working time (or at its close); wall-clock ones may not.
  if (ctx.officeHours) dueAt = calendar.nextDeadlineInstant(dueAt);
  if (warnAt.getTime() > dueAt.getTime()) warnAt = dueAt;
  return { dueAt, warnAt, duration, basis, capped };
}

/**
 * When a breached milestone goes to the quality manager: `dueAt` plus the policy's
 * `qualityEscalationAfter` (breach + 1 working day, SPEC "Escalation").
 */
export function qualityEscalationAt(policy: SlaPolicy, calendar: WorkCalendar, dueAt: Date): Date {
  return addDuration(calendar, dueAt, policy.qualityEscalationAfter);
}

/** Due and fractional warning for one duration, both shifted by the pauses in its clock. */
function deadline(calendar: WorkCalendar, start: Date, duration: Duration, fraction: number, ctx: DueContext): { dueAt: Date; warnAt: Date } {
  const rawDue = addDuration(calendar, start, duration);
  const rawWarn =
    clockOf(duration.unit) === 'working'
      ? calendar.addWorkingMillis(start, fraction * calendar.workingMillisBetween(start, rawDue))
      : new Date(start.getTime() + Math.round(fraction * (rawDue.getTime() - start.getTime())));
  return {
    dueAt: shift(calendar, rawDue, duration.unit, start, ctx),
    warnAt: shift(calendar, rawWarn, duration.unit, start, ctx),
  };
}

/** `at` pushed back by the paused time measured in the clock of `unit`. */
function shift(calendar: WorkCalendar, at: Date, unit: DurationUnit, start: Date, ctx: DueContext): Date {
  const working = clockOf(unit) === 'working';
  let paused = ctx.pausedMillis ?? 0;
  if (!Number.isFinite(paused) || paused < 0) throw new RangeError(`pausedMillis must be ≥ 0, got ${paused}`);
  for (const p of ctx.pauses ?? []) {
    const from = new Date(Math.max(p.from.getTime(), start.getTime()));
    if (p.to.getTime() <= from.getTime()) continue;
    paused += working ? calendar.workingMillisBetween(from, p.to) : p.to.getTime() - from.getTime();
  }
  // Zero pause must not move the instant: a working deadline at 18:30 stays at 18:30.
  if (paused === 0) return at;
  return working ? calendar.addWorkingMillis(at, paused) : new Date(at.getTime() + paused);
}

const toIssues = (error: z.core.$ZodError): FieldIssue[] => fieldIssues(error, { unknownKeys: 'whole' });

/**
 * Validate a complete policy (e.g. loaded from JSON).
 * @throws ValidationFailed naming every bad field by dotted path (`profiles.default.reply.general.unit`).
 */
export function parseSlaPolicy(input: unknown): SlaPolicy {
  const parsed = slaPolicySchema.safeParse(input);
  if (!parsed.success) throw new ValidationFailed('invalid SLA policy', toIssues(parsed.error), { cause: parsed.error });
  return parsed.data;
}

const ruleOverrideSchema = z.strictObject({
  general: z.optional(z.nullable(durationSchema)),
  majorUrgent: z.optional(z.nullable(durationSchema)),
  external: z.optional(z.nullable(durationSchema)),
  externalFor: z.optional(z.nullable(z.enum(SEVERITY_SCOPES))),
  international: z.optional(z.nullable(durationSchema)),
  extended: z.optional(z.nullable(durationSchema)),
  extendedMajorUrgent: z.optional(z.nullable(durationSchema)),
  cap: z.optional(z.nullable(durationSchema)),
  capFor: z.optional(z.nullable(z.enum(SEVERITY_SCOPES))),
  warnAt: z.optional(z.nullable(durationSchema)),
});

/**
 * An organisation's override file: a partial policy. Rule fields are merged one by one
 * onto the base rule; `null` removes a field (or, for a whole milestone, the rule — in a
 * non-default profile the default profile's rule then applies). New profiles may be added.
 */
export const slaPolicyOverrideSchema = z.strictObject({
  version: z.optional(z.string().check(z.minLength(1))),
  warnAtFraction: z.optional(z.number().check(z.gt(0)).check(z.lt(1))),
  qualityEscalationAfter: z.optional(durationSchema),
  profiles: z.optional(z.record(z.string().check(z.minLength(1)), z.partialRecord(z.enum(MILESTONES), z.nullable(ruleOverrideSchema)))),
});

/**
 * `base` with an organisation's override JSON applied, validated as a whole.
 * @throws ValidationFailed with the dotted path of each bad field, in the override or in the merged result.
 */
export function applyPolicyOverride(base: SlaPolicy, override: unknown): SlaPolicy {
  const parsed = slaPolicyOverrideSchema.safeParse(override);
  if (!parsed.success) {
    throw new ValidationFailed('invalid SLA policy override', toIssues(parsed.error), { cause: parsed.error });
  }
  const o = parsed.data;
  const profiles: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [name, profile] of Object.entries(base.profiles)) {
    profiles[name] = Object.fromEntries(Object.entries(profile).map(([m, rule]) => [m, { ...rule }]));
  }
  for (const [name, profileOverride] of Object.entries(o.profiles ?? {})) {
    profiles[name] ??= {};
    const target = profiles[name];
    for (const [milestone, ruleOverride] of Object.entries(profileOverride)) {
      if (ruleOverride === null) {
        delete target[milestone];
        continue;
      }
      if (ruleOverride === undefined) continue;
      target[milestone] ??= {};
      const rule = target[milestone];
      for (const [field, value] of Object.entries(ruleOverride)) {
        if (value === null) delete rule[field];
        else if (value !== undefined) rule[field] = value;
      }
    }
  }
  return parseSlaPolicy({
    version: o.version ?? base.version,
    warnAtFraction: o.warnAtFraction ?? base.warnAtFraction,
    qualityEscalationAfter: o.qualityEscalationAfter ?? base.qualityEscalationAfter,
    profiles,
  });
}
