/**
 * Request schemas of the quality half of the loop (issue 12 items 1–3): the justified determination
 * and its review, the monthly rectification notice, the 分析整改表 and its review, the compensation
 * claim, agreement and payment, and the two worklists. Kept apart from `schemas.ts`, which every
 * function loads, so that only the functions serving these routes carry them (decision 042).
 * Decisions 058 and 059.
 */
import * as z from './zod.ts';
import { JUSTIFIED_GROUNDS } from './model.ts';
import { identifier, text } from './text-schemas.ts';

/** Letters of any script (汉字 included), so that a text of emoji or punctuation alone is refused. */
const LETTER = /\p{L}/gu;

/**
 * A written reason or finding: free text (`text`) that also holds at least `minLetters` letters
 * (汉字 or other scripts) — 6 emoji or “。。。。” say nothing a quality manager can act on.
 */
const words = (max: number, minLetters: number) =>
  text(max).check(
    z.refine((s) => (s.match(LETTER)?.length ?? 0) >= minLetters, {
      message: `Needs at least ${minLetters} characters of words (汉字 or letters), not only symbols`,
    }),
  );

/** A calendar date `YYYY-MM-DD` that exists. */
const calendarDate = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date YYYY-MM-DD'))
  .check(
    z.refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, 'Not a calendar date'),
  );

/** A statistics month `YYYY-MM`: the 26th of the month before to the 25th (seed 000 (七)). */
const StatisticsPeriod = z.string().check(z.regex(/^(20\d{2})-(0[1-9]|1[0-2])$/, 'Expected a statistics month YYYY-MM'));

const complaintIdPattern = /^C[0-9A-HJKMNP-TV-Z]{16}$/;

/** The centre's determination (初步界定, seed 000 (六)1): justified or not, on which ground, why. */
export const DeterminationRequest = z
  .strictObject({
    justified: z.boolean().check(z.meta({ description: '有理由投诉: the centre’s determination' })),
    ground: z.enum(JUSTIFIED_GROUNDS).check(
      z.meta({
        description:
          'our_fault: 投诉属实且属我方过错或责任 (seed 000 四(二)5(1)); uncooperative_unit: 非被投诉单位过错，但不配合处理、延误处理时机导致投诉升级 (5(2); a 协办 task answered late counts); not_justified',
      }),
    ),
    reason: words(1000, 4).check(z.meta({ description: 'Why: the facts the determination rests on' })),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.justified === (v.ground === 'not_justified')) {
        ctx.addIssue({
          code: 'custom',
          path: ['ground'],
          message: v.justified ? 'A justified complaint needs one of the two grounds' : 'Not justified: the ground is not_justified',
        });
      }
    }),
  );
export type DeterminationRequest = z.infer<typeof DeterminationRequest>;

/** Quality's review (复核) of the determination: confirm or override, always with a reason. */
export const DeterminationReviewRequest = z.strictObject({
  justified: z.boolean().check(z.meta({ description: 'The reviewed finding; may differ from the determination (override)' })),
  reason: words(1000, 4),
});
export type DeterminationReviewRequest = z.infer<typeof DeterminationReviewRequest>;

/** Quality publishes the month's notice (通报): every justified case of the month, or those named. */
export const RectificationNoticeRequest = z.strictObject({
  period: StatisticsPeriod.check(z.meta({ description: 'Statistics month of the justified list (26th of the month before – 25th)' })),
  complaintIds: z
    .optional(
      z
        .array(z.string().check(z.regex(complaintIdPattern, 'Not a complaint id')))
        .check(z.minLength(1))
        .check(z.maxLength(200)),
    )
    .check(z.meta({ description: 'Default: every complaint determined justified in the period (by index)' })),
});
export type RectificationNoticeRequest = z.infer<typeof RectificationNoticeRequest>;

const measure = z.strictObject({
  measure: words(500, 4).check(z.meta({ description: 'What will be done' })),
  owner: words(50, 2).check(z.meta({ description: '责任人: who sees it done' })),
  dueOn: calendarDate.check(z.meta({ description: 'By when (Shanghai date); not before the day of filing' })),
});

/** 客户有理由投诉分析整改表 (seed 000 (六)2–3, 附件3): every field the SPEC names. */
export const RectificationRequest = z.strictObject({
  directCause: words(1000, 6).check(z.meta({ description: '直接原因' })),
  managementWeakness: words(1000, 6).check(z.meta({ description: '管理层面的隐患和短板' })),
  responsibleUnitId: identifier.check(z.meta({ description: '责任单位' })),
  responsibleManager: words(50, 2).check(z.meta({ description: '责任管理者' })),
  responsiblePerson: words(50, 2).check(z.meta({ description: '直接责任人' })),
  education: words(1000, 6).check(z.meta({ description: '教育情况: 对照规章、指出错误、提出整改要求 (教育为主)' })),
  assessment: z.optional(words(500, 2)).check(z.meta({ description: '考核情况 (考核为辅: for the more serious cases)' })),
  corrective: z
    .array(measure)
    .check(z.minLength(1))
    .check(z.maxLength(10))
    .check(z.meta({ description: '纠正措施, each with owner and date' })),
  preventive: z
    .array(measure)
    .check(z.minLength(1))
    .check(z.maxLength(10))
    .check(z.meta({ description: '预防措施, each with owner and date' })),
});
export type RectificationRequest = z.infer<typeof RectificationRequest>;

export const RectificationReviewRequest = z.strictObject({
  outcome: z.enum(['verified', 'returned']),
  reason: words(1000, 4).check(z.meta({ description: 'Why verified, or what is missing (shown to the unit)' })),
});
export type RectificationReviewRequest = z.infer<typeof RectificationReviewRequest>;

/** Yuan with at most 2 decimals, as people write amounts; stored as integer fen. */
const yuan = z
  .number()
  .check(z.positive())
  .check(z.maximum(10_000_000))
  .check(z.refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'At most 2 decimals (yuan)'));

/** 赔偿申请 (seed 001 索赔程序): recording it acknowledges it (decision 059). */
export const CompensationClaimRequest = z.strictObject({
  claimant: z.enum(['sender', 'addressee']).check(z.meta({ description: '寄件人, or the addressee (收件人) when the sender agrees' })),
  amountClaimed: yuan.check(z.meta({ description: 'Yuan, 2 decimals' })),
  international: z._default(z.boolean(), false).check(z.meta({ description: 'International item: 60 calendar days to settle instead of 30' })),
  note: words(1000, 2),
  receivedAt: z
    .optional(z.iso.datetime({ offset: true }))
    .check(z.meta({ description: 'When the claim arrived (default now); the 24 h acknowledgement and the 30/60-day settlement count from it' })),
});
export type CompensationClaimRequest = z.infer<typeof CompensationClaimRequest>;

export const CompensationAgreementRequest = z.strictObject({
  amount: z
    .number()
    .check(z.nonnegative())
    .check(z.maximum(10_000_000))
    .check(z.refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'At most 2 decimals (yuan)'))
    .check(z.meta({ description: 'Agreed amount in yuan; starts the 7-working-day payment clock' })),
});
export type CompensationAgreementRequest = z.infer<typeof CompensationAgreementRequest>;

export const CompensationPaidRequest = z.strictObject({
  amount: z
    .number()
    .check(z.nonnegative())
    .check(z.maximum(10_000_000))
    .check(z.refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'At most 2 decimals (yuan)')),
  paidAt: z.iso.datetime({ offset: true }).check(z.meta({ description: 'When it was paid; not in the future, not before the agreement' })),
});
export type CompensationPaidRequest = z.infer<typeof CompensationPaidRequest>;

const listBase = {
  unitId: z.optional(identifier),
  from: z.optional(calendarDate).check(z.meta({ description: 'Shanghai date, inclusive' })),
  to: z.optional(calendarDate).check(z.meta({ description: 'Shanghai date, inclusive' })),
  cursor: z.optional(
    z
      .string()
      .check(z.maxLength(2048))
      .check(z.regex(/^[A-Za-z0-9_-]+$/, 'Not a cursor returned by this list')),
  ),
  limit: z._default(z.coerce.number().check(z.int()).check(z.minimum(1)).check(z.maximum(100)), 50),
  count: z.optional(z.enum(['true', 'false'])).check(z.meta({ description: 'true: also answer `count`, the whole list’s size (same filters)' })),
};

/** `pending`: replied or ended cases awaiting the centre's determination; `determined`: the month's list. */
export const DeterminationListQuery = z.strictObject({
  status: z._default(z.enum(['pending', 'determined']), 'pending'),
  justified: z.optional(z.enum(['true', 'false'])).check(z.meta({ description: 'determined only: the justified list (true) or the others' })),
  ...listBase,
});
export type DeterminationListQuery = z.infer<typeof DeterminationListQuery>;

export const RectificationListQuery = z.strictObject({
  status: z.optional(z.enum(['due', 'filed', 'returned', 'verified'])).check(z.meta({ description: 'Default: due and returned (what the unit still owes)' })),
  unitId: z.optional(identifier),
  dueBefore: z
    .optional(z.iso.datetime({ offset: true }))
    .check(z.meta({ description: 'Only rows whose 5-day deadline (dueAt) is at or before this instant: the overdue ones with now' })),
  cursor: listBase.cursor,
  limit: listBase.limit,
  count: listBase.count,
});
export type RectificationListQuery = z.infer<typeof RectificationListQuery>;
