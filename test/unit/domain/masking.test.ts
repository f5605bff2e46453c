import { describe, expect, it } from 'vitest';
import { maskFreeText, maskTextDeep } from '#domain/masking.ts';

/** [sentence as a complainant or handler writes it, what a masked viewer sees]. */
const SENTENCES: [string, string][] = [
  // Mainland mobiles in every common spelling.
  ['我的手机13800138000，请尽快联系', '我的手机138****8000，请尽快联系'],
  ['电话：+86 138 0013 8000', '电话：138****8000'],
  ['请拨+86-138-0013-8000找我', '请拨138****8000找我'],
  ['0086 13800138000 是我爱人的号码', '138****8000 是我爱人的号码'],
  ['(+86)13800138000', '138****8000'],
  ['手机１３８００１３８０００（全角）', '手机138****8000（全角）'],
  ['回电138-0013-8000或138 0013 8000', '回电138****8000或138****8000'],
  ['两个号码13800138000/13900139000都打不通', '两个号码138****8000/139****9000都打不通'],
  ['86-15012345678', '150****5678'],
  ['tel:18912345678.', 'tel:189****5678.'],
  // Landlines with an area code.
  ['座机020-12345678，白天有人', '座机020-******78，白天有人'],
  ['单位电话(0755)1234567', '单位电话(0755)*****67'],
  ['单位电话（0755）1234567', '单位电话（0755）*****67'],
  ['固话0755 1234 567', '固话0755 *****67'],
  ['直接拨02012345678', '直接拨020******78'],
  ['北京010-8888-6666转总机', '北京010-******66转总机'],
  ['Tel: 020 8765 4321', 'Tel: 020 ******21'],
  // Resident ID numbers.
  ['身份证号440106199001011234', '身份证号******************'],
  ['证件号码11010519491231002X，请核对', '证件号码******************，请核对'],
  ['身份证 44010619900101123x', '身份证 ******************'],
  // E-mail addresses.
  ['邮箱zhang.san@example.com，谢谢', '邮箱z***@example.com，谢谢'],
  ['mail me at li_si+post@163.com.', 'mail me at l***@163.com.'],
  ['QQ邮箱12345678@qq.com', 'QQ邮箱1***@qq.com'],
  // International numbers.
  ['香港电话+852 9123 4567', '香港电话+*********67'],
  ['call +1 (415) 555-0100 after 6pm', 'call +*********00 after 6pm'],
  ['London +44 20 7946 0958', 'London +**********58'],
  // Waybills next to phones: the waybill stays.
  ['邮件号EA123456789CN，手机13912345678', '邮件号EA123456789CN，手机139****5678'],
  ['顺丰SF1234567890123，联系电话020-87654321', '顺丰SF1234567890123，联系电话020-******21'],
  ['EMS单号1234567890123与手机15012345678', 'EMS单号1234567890123与手机150****5678'],
  ['SF1380013800012不是电话号码', 'SF1380013800012不是电话号码'],
  ['圆通YT1234567890123、京东JDVA01234567890、中通731234567890均未到', '圆通YT1234567890123、京东JDVA01234567890、中通731234567890均未到'],
  ['挂号信1151234567890（13位）已超时', '挂号信1151234567890（13位）已超时'],
  ['运单号 9876543210987 于2026年11月21日妥投', '运单号 9876543210987 于2026年11月21日妥投'],
  // Money, dates, times and public numbers stay.
  ['赔偿金额1380元，保价20000元', '赔偿金额1380元，保价20000元'],
  ['金额 ¥13,800.00，邮费23.5元', '金额 ¥13,800.00，邮费23.5元'],
  ['2026-11-20 10:05 寄出，08:30-18:30 可投递', '2026-11-20 10:05 寄出，08:30-18:30 可投递'],
  ['再不处理我就打12315、12305，还要打110报警', '再不处理我就打12315、12305，还要打110报警'],
  ['订单2026112012345已付款', '订单2026112012345已付款'],
  ['客服热线11183、95338、400-820-8888', '客服热线11183、95338、400-820-8888'],
  // Everything at once.
  [
    '投诉人（13800138000，zhangsan@qq.com，身份证440106199001011234）称邮件EA123456789CN未到，单位座机020-12345678',
    '投诉人（138****8000，z***@qq.com，身份证******************）称邮件EA123456789CN未到，单位座机020-******78',
  ],
];

describe('free-text masking (SPEC "Personal data"; issue 8 item 5)', () => {
  it.each(SENTENCES)('%s', (sentence, masked) => {
    expect(maskFreeText(sentence)).toBe(masked);
  });

  it('has at least 30 real-looking sentences', () => {
    expect(SENTENCES.length).toBeGreaterThanOrEqual(30);
  });

  it('is idempotent: masking masked text changes nothing', () => {
    for (const [, masked] of SENTENCES) expect(maskFreeText(masked)).toBe(masked);
  });

  it('masks the complainant’s own name where it appears', () => {
    expect(maskFreeText('找欧阳娜娜，电话13800138000', { name: '欧阳娜娜' })).toBe('找欧***，电话138****8000');
  });

  it('masks every string inside a nested value and keeps its shape', () => {
    const masked = maskTextDeep({ note: '回电13800138000', n: 3, list: ['zhang@example.com', { deep: '020-12345678' }], flag: true });
    expect(masked).toEqual({ note: '回电138****8000', n: 3, list: ['z***@example.com', { deep: '020-******78' }], flag: true });
  });
});
