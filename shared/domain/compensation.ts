/**
 * The compensation calculator (赔偿计算): a pure function of the seed rules that says whether the
 * company is liable, how much it owes, to whom, and why — every step with the rule it applies.
 * It computes a quote; paying is not this system's business (SPEC "Compensation rules").
 *
 * Sources, cited on every step:
 * - express (快递): seed 001_ac9bde20c1bec4e1.txt 《快件赔偿规定》 and 《快递赔偿办法》 (赔付对象, 赔偿条件/负责条款,
 *   赔偿原则 延误/丢失/损毁/内件不符, 索赔处理时限);
 * - post (邮政): 《中华人民共和国邮政法》 第四十五条–第四十九条, as seed 002_16700b939b2bfea6.txt applies it
 *   (“根据《邮政法》规定，赔偿金额应为邮费的三倍，而非物品声称价值”).
 * Where the SPEC's summary and a seed's text differ, the seed wins (issue 12): an uninsured postal item
 * is paid its real loss capped at 3× postage, a registered letter 3× postage (邮政法 第四十七条), and an
 * ordinary (unregistered) postal letter is not compensated (第四十六条).
 *
 * Money is computed in fen (分, integers) and returned in yuan with two decimals, so no float drift.
 */
import * as z from './zod.ts';

export const COMPENSATION_CAUSES = ['delay', 'loss', 'damage', 'contents_mismatch'] as const;
export type CompensationCause = (typeof COMPENSATION_CAUSES)[number];
export const COMPENSATION_CAUSE_LABELS: Record<CompensationCause, string> = {
  delay: '延误',
  loss: '丢失',
  damage: '损毁',
  contents_mismatch: '内件不符',
};

/** Why the company may owe nothing (seed 001 赔偿条件 / 负责条款; 邮政法 第四十八条). */
export const EXEMPTIONS = ['item_nature', 'force_majeure', 'sender_fault', 'recipient_fault'] as const;
export type Exemption = (typeof EXEMPTIONS)[number];
export const EXEMPTION_LABELS: Record<Exemption, string> = {
  item_nature: '所寄物品本身的自然性质或者合理损耗',
  force_majeure: '不可抗力',
  sender_fault: '寄件人的过错',
  recipient_fault: '收件人的过错',
};

const yuan = z
  .number()
  .check(z.nonnegative())
  .check(z.maximum(10_000_000))
  .check(z.refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, { message: 'at most two decimals (元, to the fen)' }));
const isoDate = z.iso.date();

/** What the calculator needs (SPEC: postage, service, insurance and declared value; seed rules for the rest). */
export const CompensationQuoteRequest = z
  .strictObject({
    cause: z.enum(COMPENSATION_CAUSES).check(z.meta({ description: '延误 / 丢失 / 损毁 / 内件不符' })),
    network: z.enum(['express', 'post']).check(z.meta({ description: 'express: 快递 (seed 001 rules); post: 邮政 (邮政法 第四十五条起)' })),
    itemType: z.enum(['letter', 'parcel']).check(z.meta({ description: '信件类 / 包裹类' })),
    registered: z._default(z.boolean(), true).check(z.meta({ description: 'Post only: 给据邮件 (挂号/包裹…); false = 平常邮件' })),
    scope: z._default(z.enum(['domestic', 'hk_mo_tw', 'international']), 'domestic').check(z.meta({ description: '国内 / 港澳台 / 国际' })),
    postage: yuan.check(z.meta({ description: '本次服务费用 (元), without insurance or other extra fees' })),
    insured: z._default(z.boolean(), false).check(z.meta({ description: '保价 (保险)' })),
    declaredValue: z.optional(yuan).check(z.meta({ description: '保价金额 (元); required when insured' })),
    actualLoss: z
      .optional(yuan)
      .check(z.meta({ description: '实际损失 (元), as established; required for an uninsured parcel or postal item and for partial damage' })),
    itemValue: z.optional(yuan).check(z.meta({ description: '邮件全部价值 (元): insured postal items with partial damage (邮政法 第四十七条)' })),
    damage: z.optional(z.enum(['total', 'partial'])).check(z.meta({ description: 'damage: 完全损毁 / 部分损毁' })),
    lostShare: z
      .optional(z.number().check(z.gt(0)).check(z.maximum(1)))
      .check(z.meta({ description: 'partial damage: the share of the value lost (0–1); else actualLoss ÷ itemValue' })),
    mismatch: z
      .optional(z.enum(['name', 'quantity']))
      .check(z.meta({ description: 'contents mismatch: 品名不符 (as total damage) / 数量、重量不符 (as partial damage)' })),
    delayDestroyedValue: z._default(z.boolean(), false).check(z.meta({ description: 'delay: 由于延误导致内件直接价值丧失 (then as loss/damage)' })),
    exemption: z.optional(z.enum(EXEMPTIONS)),
    postedOn: isoDate.check(z.meta({ description: '交寄日期 (YYYY-MM-DD, Asia/Shanghai)' })),
    claimedOn: isoDate.check(z.meta({ description: '查询或提出赔偿要求的日期 (YYYY-MM-DD)' })),
    payee: z
      ._default(z.enum(['sender', 'addressee', 'beneficiary']), 'sender')
      .check(z.meta({ description: '寄件人, or the addressee / a beneficiary the sender designates' })),
    senderAgrees: z._default(z.boolean(), false).check(z.meta({ description: 'The sender agrees that the addressee or a beneficiary is paid' })),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.insured && q.declaredValue === undefined) ctx.addIssue({ code: 'custom', path: ['declaredValue'], message: 'required when insured' });
      if (q.cause === 'damage' && q.damage === undefined) ctx.addIssue({ code: 'custom', path: ['damage'], message: 'required for damage: total or partial' });
      if (q.cause === 'contents_mismatch' && q.mismatch === undefined)
        ctx.addIssue({ code: 'custom', path: ['mismatch'], message: 'required for contents mismatch: name or quantity' });
      if (q.claimedOn < q.postedOn) ctx.addIssue({ code: 'custom', path: ['claimedOn'], message: 'before the posting date' });
      if (q.payee !== 'sender' && !q.senderAgrees)
        ctx.addIssue({ code: 'custom', path: ['payee'], message: 'the addressee or a beneficiary is paid only when the sender agrees (seed 001 赔付对象)' });
    }),
  );
export type CompensationQuoteRequest = z.output<typeof CompensationQuoteRequest>;
export type CompensationQuoteInput = z.input<typeof CompensationQuoteRequest>;

/** One step of the reasoning: what was applied, the amount it gives (元) where it gives one, and its source. */
export interface QuoteStep {
  rule: string;
  text: string;
  source: string;
  amount?: number;
}

export interface CompensationQuote {
  liable: boolean;
  /** Total owed (元): refund of the service fee plus compensation. */
  amount: number;
  /** Refund of the service fee (免除本次服务费用, 元), part of `amount`. */
  refund: number;
  /** Compensation for the item (元), part of `amount`. */
  compensation: number;
  payee: 'sender' | 'addressee' | 'beneficiary';
  payeeLabel: string;
  /** The claim's clocks once a claim is filed (seed 001 索赔程序). */
  clocks: { acknowledgeHours: number; settleCalendarDays: number; payWorkingDaysAfterAgreement: number };
  steps: QuoteStep[];
}

const SRC = {
  expressRules: 'seed 001_ac9bde20c1bec4e1.txt 《快件赔偿规定》',
  expressMeasures: 'seed 001_ac9bde20c1bec4e1.txt 《快递赔偿办法》',
  postalLaw47: '《邮政法》第四十七条 (seed 002_16700b939b2bfea6.txt)',
  postalLaw46: '《邮政法》第四十六条',
  postalLaw48: '《邮政法》第四十八条',
  postalLaw49: '《邮政法》第四十九条',
  spec: 'SPEC “Compensation rules”',
  /** Seed 002 常见赔偿标准解读: 保价邮件 实际损失，最高不超过保价金额. */
  postalLaw47Seed: 'seed 002_16700b939b2bfea6.txt 常见赔偿标准解读',
} as const;

/*
 * No 10,000 元 cap on insured express items: 《快递赔偿办法》 四.2(2) names one, but it is one company's
 * contract term (赔偿原则 1: 有约定的从约定), and seed 002's own case (a vase insured for 20,000 元, seriously
 * damaged) was paid the full insured amount by the court. The seed's case wins; a contract cap is a note.
 */

const PAYEE_LABELS = { sender: '寄件人', addressee: '收件人（经寄件人同意）', beneficiary: '寄件人指定的受益人' } as const;

const fen = (yuanAmount: number): number => Math.round(yuanAmount * 100);
const toYuan = (f: number): number => Math.round(f) / 100;
const fmt = (f: number): string => `${(Math.round(f) / 100).toFixed(2)} 元`;

/** Whole days from `from` to `to` (ISO dates). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The date one year (or 180 days) after `posted`: 2025-02-28 + 1 year = 2026-02-28; 2024-02-29 + 1 year = 2025-02-28. */
function claimBarDate(posted: string, international180: boolean): string {
  if (international180) return new Date(Date.parse(`${posted}T00:00:00Z`) + 180 * 86_400_000).toISOString().slice(0, 10);
  const [y, m, d] = posted.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  return `${y + 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** How the item's loss is measured before any partial share: the "loss amount" (丢失赔偿额度). */
interface LossMeasure {
  fen: number;
  steps: QuoteStep[];
}

function expressLoss(q: CompensationQuoteRequest): LossMeasure {
  if (q.insured) {
    const declared = fen(q.declaredValue ?? 0);
    const steps: QuoteStep[] = [
      { rule: 'express.insured', text: `保价快件按照被保价金额赔偿：${fmt(declared)}`, source: `${SRC.expressRules} 三.3 a)`, amount: toYuan(declared) },
    ];
    let owed = declared;
    if (q.actualLoss !== undefined && fen(q.actualLoss) < owed) {
      owed = fen(q.actualLoss);
      steps.push({ rule: 'insured.real_loss', text: `保价赔偿不超过实际损失：${fmt(owed)}`, source: SRC.spec, amount: toYuan(owed) });
    }
    return { fen: owed, steps };
  }
  const postage = fen(q.postage);
  if (q.itemType === 'letter') {
    return {
      fen: 2 * postage,
      steps: [
        {
          rule: 'express.uninsured_letter',
          text: `无保价信件类快件：本次服务费用的 2 倍 = 2 × ${fmt(postage)} = ${fmt(2 * postage)}`,
          source: `${SRC.expressMeasures} 四.2(3)`,
          amount: toYuan(2 * postage),
        },
      ],
    };
  }
  return cappedRealLoss(q, 5, `${SRC.expressMeasures} 四.2(3)`, '无保价包裹类快件');
}

/** Real loss capped at `times` × postage; the real loss must be known. */
function cappedRealLoss(q: CompensationQuoteRequest, times: number, source: string, what: string): LossMeasure {
  const postage = fen(q.postage);
  const cap = times * postage;
  const real = fen(q.actualLoss ?? 0);
  const owed = Math.min(real, cap);
  return {
    fen: owed,
    steps: [
      {
        rule: times === 5 ? 'express.uninsured_parcel' : 'post.uninsured',
        text: `${what}：按照实际损失 ${fmt(real)} 赔偿，最高不超过本次资费的 ${times} 倍 (${fmt(cap)})：${fmt(owed)}`,
        source,
        amount: toYuan(owed),
      },
    ],
  };
}

function postalLoss(q: CompensationQuoteRequest, partialShare: number | undefined): LossMeasure {
  const postage = fen(q.postage);
  if (q.insured) {
    const declared = fen(q.declaredValue ?? 0);
    if (partialShare === undefined) {
      let owed = declared;
      const steps: QuoteStep[] = [
        { rule: 'post.insured', text: `保价的给据邮件丢失或者全部损毁，按照保价额赔偿：${fmt(declared)}`, source: SRC.postalLaw47, amount: toYuan(declared) },
      ];
      if (q.actualLoss !== undefined && fen(q.actualLoss) < owed) {
        owed = fen(q.actualLoss);
        steps.push({ rule: 'insured.real_loss', text: `保价赔偿不超过实际损失：${fmt(owed)}`, source: SRC.postalLaw47Seed, amount: toYuan(owed) });
      }
      return { fen: owed, steps };
    }
    // 部分损毁或者内件短少: 按照保价额与邮件全部价值的比例对邮件的实际损失予以赔偿.
    const real = fen(q.actualLoss ?? 0);
    const value = fen(q.itemValue ?? 0);
    const ratio = value > 0 ? Math.min(1, declared / value) : 1;
    const owed = Math.round(real * ratio);
    return {
      fen: owed,
      steps: [
        {
          rule: 'post.insured_partial',
          text: `保价的给据邮件部分损毁或者内件短少：实际损失 ${fmt(real)} × 保价额与全部价值之比 (${fmt(declared)} ÷ ${fmt(value)}) = ${fmt(owed)}`,
          source: SRC.postalLaw47,
          amount: toYuan(owed),
        },
      ],
    };
  }
  if (q.itemType === 'letter') {
    return {
      fen: 3 * postage,
      steps: [
        {
          rule: 'post.registered_letter',
          text: `挂号信件丢失、损毁：按照所收取资费的 3 倍 = 3 × ${fmt(postage)} = ${fmt(3 * postage)}`,
          source: SRC.postalLaw47,
          amount: toYuan(3 * postage),
        },
      ],
    };
  }
  return cappedRealLoss(q, 3, SRC.postalLaw47, '未保价的给据邮件');
}

/** The share of the value lost by a partial damage: given, or real loss ÷ item value. */
function partialShareOf(q: CompensationQuoteRequest): number {
  if (q.lostShare !== undefined) return q.lostShare;
  if (q.actualLoss !== undefined && q.itemValue !== undefined && q.itemValue > 0) return Math.min(1, q.actualLoss / q.itemValue);
  return 1;
}

/**
 * Whether the case is partial damage (after mapping contents mismatch and a value-destroying delay),
 * and the step that says so.
 */
function damageKind(q: CompensationQuoteRequest, steps: QuoteStep[]): 'total' | 'partial' {
  const source = q.network === 'express' ? SRC.expressRules : SRC.postalLaw47;
  if (q.cause === 'contents_mismatch') {
    const kind = q.mismatch === 'name' ? 'total' : 'partial';
    steps.push({
      rule: `mismatch.${q.mismatch ?? 'quantity'}`,
      text: kind === 'total' ? '内件品名与寄件人填写品名不符，按照完全损毁赔偿' : '内件品名相同，数量和重量不符，按照部分损毁赔偿',
      source: `${source}${q.network === 'express' ? ' 三.5' : ''}`,
    });
    return kind;
  }
  if (q.cause === 'damage') {
    steps.push({
      rule: `damage.${q.damage ?? 'total'}`,
      text: q.damage === 'partial' ? '部分损毁：依据快件丧失价值占总价值的比例，按丢失赔偿额度的相同比例赔偿' : '完全损毁：快件价值完全丧失，参照丢失赔偿',
      source: `${source}${q.network === 'express' ? ' 三.4' : ''}`,
    });
    return q.damage ?? 'total';
  }
  if (q.cause === 'delay') {
    const kind = q.damage === 'partial' ? 'partial' : 'total';
    steps.push({
      rule: 'delay.destroyed_value',
      text: `由于延误导致内件直接价值丧失，按照快件${kind === 'partial' ? '损毁' : '丢失'}进行赔偿`,
      source: `${SRC.expressRules} 三.2`,
    });
    return kind;
  }
  return 'total';
}

/** The quote for one claim: liability, amounts, payee, clocks, and every step with its source. */
export function quoteCompensation(q: CompensationQuoteRequest): CompensationQuote {
  const steps: QuoteStep[] = [];
  const clocks = {
    acknowledgeHours: 24,
    settleCalendarDays: q.scope === 'international' ? 60 : 30,
    payWorkingDaysAfterAgreement: 7,
  };
  const payeeOf = (): CompensationQuote['payee'] => q.payee;
  const none = (step: QuoteStep): CompensationQuote => ({
    liable: false,
    amount: 0,
    refund: 0,
    compensation: 0,
    payee: payeeOf(),
    payeeLabel: PAYEE_LABELS[q.payee],
    clocks,
    steps: [...steps, step],
  });

  // 1. The claim bar: one year from posting (邮政法: international postal items 180 days).
  const international180 = q.network === 'post' && q.scope === 'international';
  const bar = claimBarDate(q.postedOn, international180);
  if (q.claimedOn > bar) {
    return none({
      rule: 'bar.time',
      text: `自交寄之日 ${q.postedOn} 起${international180 ? '一百八十日' : '满一年'}（至 ${bar}）未查询又未提出赔偿要求，不负赔偿责任（${daysBetween(q.postedOn, q.claimedOn)} 天后提出）`,
      source: q.network === 'express' ? `${SRC.expressMeasures} 三.3` : SRC.postalLaw49,
    });
  }
  steps.push({
    rule: 'bar.time',
    text: `在时效内提出：交寄 ${q.postedOn}，提出 ${q.claimedOn}（时效至 ${bar}）`,
    source: q.network === 'express' ? `${SRC.expressMeasures} 三.3` : SRC.postalLaw49,
  });

  // 2. Exemptions. Force majeure does not exempt insured items.
  if (q.exemption !== undefined) {
    const source = q.network === 'express' ? `${SRC.expressRules} 二` : SRC.postalLaw48;
    if (q.exemption === 'force_majeure' && q.insured) {
      steps.push({ rule: 'exemption.force_majeure_insured', text: '不可抗力造成损失，但保价邮件除外：仍应赔偿', source });
    } else {
      return none({ rule: `exemption.${q.exemption}`, text: `${EXEMPTION_LABELS[q.exemption]}造成损失的，不负赔偿责任`, source });
    }
  }

  // 3. Ordinary postal mail is not compensated (邮政法 第四十六条, save intent or gross negligence).
  if (q.network === 'post' && !q.registered && q.cause !== 'delay') {
    return none({ rule: 'post.ordinary', text: '平常邮件的损失，邮政企业不承担赔偿责任（故意或者重大过失造成的除外，须另行认定）', source: SRC.postalLaw46 });
  }

  // 4. Payee.
  steps.push({
    rule: `payee.${q.payee}`,
    text: q.payee === 'sender' ? '赔付对象为寄件人' : `赔付对象为${PAYEE_LABELS[q.payee]}`,
    source: q.network === 'express' ? `${SRC.expressRules} 一` : SRC.spec,
  });

  const postage = fen(q.postage);
  // 5. A plain delay: the service fee is refunded (not insurance or other extra fees).
  if (q.cause === 'delay' && !q.delayDestroyedValue) {
    steps.push({
      rule: 'delay.refund',
      text: `延误：免除本次服务费用（不含保价等附加费用）：${fmt(postage)}`,
      source: q.network === 'express' ? `${SRC.expressRules} 三.2` : SRC.spec,
      amount: toYuan(postage),
    });
    return {
      liable: true,
      amount: toYuan(postage),
      refund: toYuan(postage),
      compensation: 0,
      payee: payeeOf(),
      payeeLabel: PAYEE_LABELS[q.payee],
      clocks,
      steps,
    };
  }

  // 6. Loss, damage, mismatch (and a delay that destroyed the value): measure the loss, then its share.
  const kind = q.cause === 'loss' ? 'total' : damageKind(q, steps);
  const share = kind === 'partial' ? partialShareOf(q) : undefined;
  const measure = q.network === 'express' ? expressLoss(q) : postalLoss(q, share);
  steps.push(...measure.steps);
  let compensation = measure.fen;
  // Express partial damage: the same share of the loss amount. (A postal insured partial damage is already
  // measured on the real loss; an uninsured postal one on the real loss capped at 3×.)
  if (share !== undefined && q.network === 'express') {
    compensation = Math.round(measure.fen * share);
    steps.push({
      rule: 'damage.partial_share',
      text: `按丧失价值比例 ${(share * 100).toFixed(1)}%：${fmt(measure.fen)} × ${(share * 100).toFixed(1)}% = ${fmt(compensation)}`,
      source: `${SRC.expressRules} 三.4 b)`,
      amount: toYuan(compensation),
    });
  }
  // Express loss (and total damage, mismatch of name): the service fee is refunded as well.
  const refund = q.network === 'express' && kind === 'total' ? postage : 0;
  if (refund > 0)
    steps.push({
      rule: 'express.loss_refund',
      text: `丢失（或完全损毁）时免除本次服务费用（不含保价等附加费用）：${fmt(refund)}`,
      source: `${SRC.expressRules} 三.3`,
      amount: toYuan(refund),
    });
  const total = compensation + refund;
  steps.push({ rule: 'total', text: `合计：${fmt(total)}`, source: q.network === 'express' ? SRC.expressRules : SRC.postalLaw47, amount: toYuan(total) });
  return {
    liable: true,
    amount: toYuan(total),
    refund: toYuan(refund),
    compensation: toYuan(compensation),
    payee: payeeOf(),
    payeeLabel: PAYEE_LABELS[q.payee],
    clocks,
    steps,
  };
}
