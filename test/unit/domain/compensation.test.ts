/**
 * The compensation calculator against the seeds' own rules and examples (seed 001 快件赔偿规定 /
 * 快递赔偿办法, seed 002 's cases and 常见赔偿标准解读, 邮政法 第四十六–四十九条).
 */
import { describe, expect, it } from 'vitest';
import { CompensationQuoteRequest, quoteCompensation, type CompensationQuoteInput } from '#domain/compensation.ts';

const base = { postedOn: '2026-03-02', claimedOn: '2026-03-20' } as const;
type Partial0 = Omit<CompensationQuoteInput, 'postedOn' | 'claimedOn'> & Partial<Pick<CompensationQuoteInput, 'postedOn' | 'claimedOn'>>;
const quote = (input: Partial0) => quoteCompensation(CompensationQuoteRequest.parse({ ...base, ...input }));
const rules = (input: Partial0) => quote(input).steps.map((s) => s.rule);

describe('compensation calculator — the seeds’ rules, one row each', () => {
  const table: { name: string; input: Partial0; liable: boolean; amount: number; refund?: number; rule: string }[] = [
    // seed 001 快件赔偿规定 三.2: 延误的赔偿应为免除本次服务费用(不含保价等附加费用)
    {
      name: 'express delay refunds the service fee, not the insurance fee',
      input: { cause: 'delay', network: 'express', itemType: 'parcel', postage: 23, insured: true, declaredValue: 500 },
      liable: true,
      amount: 23,
      refund: 23,
      rule: 'delay.refund',
    },
    // 三.3 a) + refund: 保价快件 按照被保价金额进行赔偿, 免除本次服务费用
    {
      name: 'insured express loss pays the declared value and refunds the fee',
      input: { cause: 'loss', network: 'express', itemType: 'parcel', postage: 18, insured: true, declaredValue: 3000 },
      liable: true,
      amount: 3018,
      refund: 18,
      rule: 'express.insured',
    },
    // SPEC: insured → declared value, never above the real loss
    {
      name: 'insured express loss is never above the real loss',
      input: { cause: 'loss', network: 'express', itemType: 'parcel', postage: 18, insured: true, declaredValue: 3000, actualLoss: 1200 },
      liable: true,
      amount: 1218,
      rule: 'insured.real_loss',
    },
    // 快递赔偿办法 四.2(3): 无保价信件类快件丢失，按照本次服务费用的2倍
    {
      name: 'uninsured express letter: 2× the service fee',
      input: { cause: 'loss', network: 'express', itemType: 'letter', postage: 12.5 },
      liable: true,
      amount: 37.5,
      rule: 'express.uninsured_letter',
    },
    // 无保价包裹类快件丢失，按照实际损失的价值进行赔偿，但最高不超过本次服务费用的5倍
    {
      name: 'uninsured express parcel: the real loss capped at 5× the fee',
      input: { cause: 'loss', network: 'express', itemType: 'parcel', postage: 20, actualLoss: 800 },
      liable: true,
      amount: 120,
      rule: 'express.uninsured_parcel',
    },
    {
      name: 'uninsured express parcel: a real loss under the cap is paid in full',
      input: { cause: 'loss', network: 'express', itemType: 'parcel', postage: 20, actualLoss: 60 },
      liable: true,
      amount: 80,
      rule: 'express.uninsured_parcel',
    },
    // 三.4 b) 部分损毁: 按照快件丢失赔偿额度的相同比例
    {
      name: 'partial damage of an insured express item: the lost share of the loss amount',
      input: { cause: 'damage', network: 'express', itemType: 'parcel', postage: 30, insured: true, declaredValue: 2000, damage: 'partial', lostShare: 0.25 },
      liable: true,
      amount: 500,
      refund: 0,
      rule: 'damage.partial_share',
    },
    // 三.5 a) 内件品名不符 → 完全损毁
    {
      name: 'contents mismatch of name counts as total damage',
      input: { cause: 'contents_mismatch', network: 'express', itemType: 'parcel', postage: 15, insured: true, declaredValue: 400, mismatch: 'name' },
      liable: true,
      amount: 415,
      rule: 'mismatch.name',
    },
    // 三.5 b) 数量和重量不符 → 部分损毁
    {
      name: 'contents mismatch of quantity counts as partial damage',
      input: {
        cause: 'contents_mismatch',
        network: 'express',
        itemType: 'parcel',
        postage: 15,
        insured: true,
        declaredValue: 400,
        mismatch: 'quantity',
        lostShare: 0.5,
      },
      liable: true,
      amount: 200,
      rule: 'mismatch.quantity',
    },
    // 三.2: 由于延误导致内件直接价值丧失，应按照快件丢失或损毁进行赔偿
    {
      name: 'a delay that destroyed the value is paid as a loss',
      input: { cause: 'delay', network: 'express', itemType: 'parcel', postage: 40, insured: true, declaredValue: 900, delayDestroyedValue: true },
      liable: true,
      amount: 940,
      rule: 'delay.destroyed_value',
    },
    // 邮政法 第四十七条: 挂号信件丢失、损毁 → 所收取资费的三倍
    {
      name: 'registered postal letter: 3× postage',
      input: { cause: 'loss', network: 'post', itemType: 'letter', postage: 8 },
      liable: true,
      amount: 24,
      refund: 0,
      rule: 'post.registered_letter',
    },
    // 第四十六条: 平常邮件的损失不承担赔偿责任
    {
      name: 'ordinary postal letter: no liability',
      input: { cause: 'loss', network: 'post', itemType: 'letter', registered: false, postage: 1.2 },
      liable: false,
      amount: 0,
      rule: 'post.ordinary',
    },
    // 第四十七条: 保价的给据邮件 部分损毁 → 按照保价额与邮件全部价值的比例对实际损失予以赔偿
    {
      name: 'partially damaged insured postal item: the real loss × declared ÷ full value',
      input: {
        cause: 'damage',
        network: 'post',
        itemType: 'parcel',
        postage: 25,
        insured: true,
        declaredValue: 1000,
        itemValue: 2000,
        actualLoss: 600,
        damage: 'partial',
      },
      liable: true,
      amount: 300,
      rule: 'post.insured_partial',
    },
    // seed 002 常见赔偿标准解读: 保价邮件 实际损失，最高不超过保价金额
    {
      name: 'lost insured postal item: the declared value, never above the real loss',
      input: { cause: 'loss', network: 'post', itemType: 'parcel', postage: 25, insured: true, declaredValue: 1000, actualLoss: 700 },
      liable: true,
      amount: 700,
      rule: 'insured.real_loss',
    },
    // seed 001 二 b): 不可抗力 (保价快件除外)
    {
      name: 'force majeure exempts an uninsured item',
      input: { cause: 'loss', network: 'express', itemType: 'parcel', postage: 20, actualLoss: 100, exemption: 'force_majeure' },
      liable: false,
      amount: 0,
      rule: 'exemption.force_majeure',
    },
    {
      name: 'force majeure does not exempt an insured item',
      input: { cause: 'loss', network: 'express', itemType: 'parcel', postage: 20, insured: true, declaredValue: 600, exemption: 'force_majeure' },
      liable: true,
      amount: 620,
      rule: 'exemption.force_majeure_insured',
    },
    // 二 a) c): the item's own nature, the sender's or recipient's fault
    {
      name: 'the item’s own nature exempts',
      input: {
        cause: 'damage',
        network: 'express',
        itemType: 'parcel',
        postage: 20,
        insured: true,
        declaredValue: 600,
        damage: 'total',
        exemption: 'item_nature',
      },
      liable: false,
      amount: 0,
      rule: 'exemption.item_nature',
    },
    {
      name: 'the sender’s fault exempts',
      input: { cause: 'damage', network: 'post', itemType: 'parcel', postage: 20, actualLoss: 50, damage: 'total', exemption: 'sender_fault' },
      liable: false,
      amount: 0,
      rule: 'exemption.sender_fault',
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const q = quote(row.input);
      expect({ liable: q.liable, amount: q.amount }).toEqual({ liable: row.liable, amount: row.amount });
      if (row.refund !== undefined) expect(q.refund).toBe(row.refund);
      expect(q.steps.map((s) => s.rule)).toContain(row.rule);
      expect(q.amount).toBeCloseTo(q.refund + q.compensation, 2);
    });
  }
});

describe('compensation calculator — the seeds’ own cases', () => {
  it('seed 002 case 1: an uninsured parcel signed for but not received is paid 3× the postage, not the declared worth', () => {
    // 王女士 … “由于客户未选择保价服务，根据《邮政法》规定，赔偿金额应为邮费的三倍，而非物品声称价值”
    const q = quote({ cause: 'loss', network: 'post', itemType: 'parcel', postage: 22, actualLoss: 1500 });

    expect(q.amount).toBe(66);
    expect(q.steps.find((s) => s.rule === 'post.uninsured')?.source).toContain('邮政法');
  });

  it('seed 002 case 2: a delay caused by a snowstorm (force majeure) owes nothing under the rules', () => {
    // The seed's company refunded the fare as goodwill for not notifying: that is a decision, not a liability.
    const q = quote({ cause: 'delay', network: 'express', itemType: 'parcel', postage: 35, exemption: 'force_majeure' });

    expect(q).toMatchObject({ liable: false, amount: 0 });
    expect(q.steps.at(-1)?.text).toContain('不可抗力');
  });

  it('seed 002 case 3: a vase insured for 20,000 元 and seriously damaged is paid the insured amount in full', () => {
    // “最终判决快递公司赔偿张先生2万元” — no contract cap of 10,000 元/票 applies by default.
    const q = quote({ cause: 'damage', network: 'express', itemType: 'parcel', postage: 60, insured: true, declaredValue: 20_000, damage: 'total' });

    expect(q.compensation).toBe(20_000);
    expect(q.amount).toBe(20_060);
  });
});

describe('compensation calculator — the bar, the payee, the clocks', () => {
  it('a claim made more than one year after posting is barred (快递赔偿办法 三.3)', () => {
    const inTime = quote({ cause: 'loss', network: 'express', itemType: 'letter', postage: 10, postedOn: '2025-03-02', claimedOn: '2026-03-02' });
    const late = quote({ cause: 'loss', network: 'express', itemType: 'letter', postage: 10, postedOn: '2025-03-02', claimedOn: '2026-03-03' });

    expect(inTime.liable).toBe(true);
    expect(late).toMatchObject({ liable: false, amount: 0 });
    expect(late.steps.at(-1)?.rule).toBe('bar.time');
  });

  it('a leap-day posting is barred from the 1st of March the next year', () => {
    expect(quote({ cause: 'loss', network: 'express', itemType: 'letter', postage: 10, postedOn: '2024-02-29', claimedOn: '2025-02-28' }).liable).toBe(true);
    expect(quote({ cause: 'loss', network: 'express', itemType: 'letter', postage: 10, postedOn: '2024-02-29', claimedOn: '2025-03-01' }).liable).toBe(false);
  });

  it('an international postal item is barred after 180 days (邮政法 第四十九条)', () => {
    const q = quote({
      cause: 'loss',
      network: 'post',
      itemType: 'letter',
      scope: 'international',
      postage: 30,
      postedOn: '2026-01-01',
      claimedOn: '2026-07-01',
    });

    expect(q.liable).toBe(false);
    expect(q.steps.at(-1)?.source).toContain('第四十九条');
  });

  it('pays the sender unless the sender agrees to the addressee or a beneficiary', () => {
    expect(quote({ cause: 'delay', network: 'express', itemType: 'letter', postage: 10 }).payeeLabel).toBe('寄件人');
    expect(quote({ cause: 'delay', network: 'express', itemType: 'letter', postage: 10, payee: 'addressee', senderAgrees: true }).payee).toBe('addressee');
    const refused = CompensationQuoteRequest.safeParse({ ...base, cause: 'delay', network: 'express', itemType: 'letter', postage: 10, payee: 'addressee' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['payee']);
  });

  it('names the claim clocks: 24 h, 30 days (60 international), 7 working days', () => {
    expect(quote({ cause: 'delay', network: 'express', itemType: 'letter', postage: 10 }).clocks).toEqual({
      acknowledgeHours: 24,
      settleCalendarDays: 30,
      payWorkingDaysAfterAgreement: 7,
    });
    expect(quote({ cause: 'delay', network: 'express', itemType: 'letter', postage: 10, scope: 'hk_mo_tw' }).clocks.settleCalendarDays).toBe(30);
    expect(quote({ cause: 'delay', network: 'express', itemType: 'letter', postage: 10, scope: 'international' }).clocks.settleCalendarDays).toBe(60);
  });

  it('every step names its source', () => {
    for (const step of quote({
      cause: 'damage',
      network: 'express',
      itemType: 'parcel',
      postage: 30,
      insured: true,
      declaredValue: 2000,
      damage: 'partial',
      lostShare: 0.25,
    }).steps) {
      expect(step.source, step.rule).toMatch(/seed 00[12]|邮政法|SPEC/);
    }
    expect(rules({ cause: 'loss', network: 'express', itemType: 'parcel', postage: 18, insured: true, declaredValue: 3000 })).toEqual([
      'bar.time',
      'payee.sender',
      'express.insured',
      'express.loss_refund',
      'total',
    ]);
  });

  it('refuses what it cannot compute, naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ cause: 'loss', network: 'express', itemType: 'parcel', postage: 10, insured: true }, 'declaredValue'],
      [{ cause: 'damage', network: 'express', itemType: 'parcel', postage: 10 }, 'damage'],
      [{ cause: 'contents_mismatch', network: 'express', itemType: 'parcel', postage: 10 }, 'mismatch'],
      [{ cause: 'loss', network: 'express', itemType: 'parcel', postage: 10.001 }, 'postage'],
      [{ cause: 'loss', network: 'express', itemType: 'parcel', postage: -1 }, 'postage'],
      [{ cause: 'loss', network: 'express', itemType: 'parcel', postage: 10, claimedOn: '2026-01-01' }, 'claimedOn'],
    ];
    for (const [input, field] of cases) {
      const parsed = CompensationQuoteRequest.safeParse({ ...base, ...input });
      expect(parsed.success, field).toBe(false);
      expect(
        parsed.error?.issues.map((i) => i.path[0]),
        field,
      ).toContain(field);
    }
  });

  it('computes to the fen without float drift', () => {
    expect(quote({ cause: 'loss', network: 'express', itemType: 'letter', postage: 0.1 }).amount).toBe(0.3);
    expect(
      quote({
        cause: 'damage',
        network: 'express',
        itemType: 'parcel',
        postage: 33.33,
        insured: true,
        declaredValue: 333.33,
        damage: 'partial',
        lostShare: 1 / 3,
      }).amount,
    ).toBe(111.11);
  });
});
