/**
 * One vocabulary of severity cues for every channel (SPEC "Classification", seed 000 重大、紧急投诉):
 * real-looking sentences with the severity and the reason kinds they must get, and the SMS reader
 * reporting exactly the cues intake classifies by.
 */
import { describe, expect, it } from 'vitest';
import { detectSignals } from '#domain/channels/sms-text.ts';
import { assessSeverity } from '#domain/severity.ts';

type Row = [content: string, severity: 'general' | 'major' | 'urgent', kinds: string[]];

const ROWS: Row[] = [
  // general: ordinary complaints, numbers that only look like threats
  ['邮件十天没到，麻烦查一下', 'general', []],
  ['运费110元太贵了', 'general', []],
  ['单号1101234567890一直没有物流信息', 'general', []],
  ['我的电话是13812305123，请回电', 'general', []],
  ['快递员态度不好，说话很冲', 'general', []],
  ['营业员态度恶劣', 'general', []],
  ['包裹外包装破了，里面的杯子碎了', 'general', []],
  ['没打电话就放驿站了', 'general', []],
  ['我有点着急，请尽快派送', 'general', []],
  ['The parcel is late, please check', 'general', []],
  ['Package arrived damaged, box crushed', 'general', []],
  ['邮件号EA123456789CN查不到', 'general', []],
  ['收费比网上报价多了5元', 'general', []],
  // regulator and upper levels (seed 000 (1))
  ['再不给说法我就打12345', 'urgent', ['regulator']],
  ['我已经向邮政管理局申诉了', 'urgent', ['regulator']],
  ['不处理我就向省公司投诉', 'urgent', ['regulator']],
  ['我要到集团公司去投诉你们', 'urgent', ['regulator']],
  ['我要去上访', 'urgent', ['regulator']],
  ['我已经打了市长热线', 'urgent', ['regulator']],
  ['我会向上级反映这件事', 'urgent', ['regulator']],
  ['打12305申诉', 'urgent', ['regulator']],
  ['12315已经登记了', 'urgent', ['regulator']],
  ['I will complain to the State Post Bureau', 'urgent', ['regulator']],
  ['I am writing to your head office', 'urgent', ['regulator']],
  ['再不处理就打１２３４５', 'urgent', ['regulator']],
  ['我要向省公司投訴', 'urgent', ['regulator']],
  // police
  ['我要报警，快递员偷了我的东西', 'urgent', ['police']],
  ['再不赔我就打110', 'urgent', ['police']],
  ['已经去派出所报案了', 'urgent', ['police']],
  ['I will call the police', 'urgent', ['police']],
  // media (曝光, 发到网上)
  ['你们这样我就找记者曝光', 'urgent', ['media']],
  ['我要把这事发到网上', 'urgent', ['media']],
  ['我会在网上曝光你们', 'urgent', ['media']],
  ['发微博让大家看看', 'urgent', ['media']],
  ['我已经发抖音了', 'urgent', ['media']],
  ['I will go public on social media', 'urgent', ['media']],
  ['你們這樣我就找記者', 'urgent', ['media']],
  // court
  ['我会请律师起诉你们', 'urgent', ['court']],
  ['准备走法律途径', 'urgent', ['court']],
  ['I will talk to my lawyer and sue you', 'urgent', ['court']],
  // urgent content (seed 000 (6))
  ['里面是我的护照，下周要出国', 'urgent', ['urgent_content']],
  ['录取通知书丢了', 'urgent', ['urgent_content']],
  ['身份证原件寄丢了', 'urgent', ['urgent_content']],
  ['里面是急用的药品', 'urgent', ['urgent_content']],
  ['合同原件明天开庭要用', 'urgent', ['urgent_content']],
  ['My passport was in that envelope', 'urgent', ['urgent_content']],
  ['護照不見了', 'urgent', ['urgent_content']],
  // immediate answer
  ['今天必须给我答复', 'urgent', ['immediate_answer']],
  ['马上给我处理', 'urgent', ['immediate_answer']],
  ['I need an answer immediately', 'urgent', ['immediate_answer']],
  // strong dissatisfaction
  ['我对你们的服务非常不满意', 'major', ['strong_dissatisfaction']],
  ['你们的服务太差劲了', 'major', ['strong_dissatisfaction']],
  ['态度这么差，太过分了', 'major', ['strong_dissatisfaction']],
  ['This is unacceptable', 'major', ['strong_dissatisfaction']],
  // group impact, also without the fixed keywords
  ['整个小区的快递都放驿站不送上门', 'major', ['group_impact']],
  ['邻居的件也一样，都没送上门', 'major', ['group_impact']],
  ['别人也没收到，肯定是你们的问题', 'major', ['group_impact']],
  ['好几个人都遇到了', 'major', ['group_impact']],
  ['Everyone in our building has the same problem', 'major', ['group_impact']],
  // key account
  ['我是你们的大客户，每月寄几百件', 'major', ['key_account']],
  ['我们是协议客户', 'major', ['key_account']],
  ['We are a key account of yours', 'major', ['key_account']],
  // valuables
  ['里面有一块名表', 'major', ['valuables']],
  ['包裹里有黄金首饰', 'major', ['valuables']],
  // several at once: the highest wins, every kind is a reason
  ['我是你们的大客户，再不处理我就打12345并找记者曝光', 'urgent', ['key_account', 'regulator', 'media']],
  ['非常不满意，邻居的件也一样，我要向集团公司投诉', 'urgent', ['strong_dissatisfaction', 'group_impact', 'regulator']],
];

describe('one vocabulary of severity cues (seed 000 重大、紧急投诉)', () => {
  it('has at least 60 sentences', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ROWS)('“%s” → %s %j', (content, severity, kinds) => {
    const result = assessSeverity({ content, source: 'customer' });
    expect(result.severity).toBe(severity);
    expect(result.reasons.map((r) => r.slice(0, r.indexOf(':')))).toEqual(kinds);
  });

  it.each(ROWS)('the SMS reader reports the cues intake classifies by: “%s”', (content, _severity, kinds) => {
    expect(detectSignals(content).kinds).toEqual(kinds);
  });

  it('names the keywords in the reason, e.g. regulator: …（12345）', () => {
    expect(assessSeverity({ content: '再不给说法我就打12345', source: 'customer' }).reasons).toEqual(['regulator: 扬言向监管部门/上级申诉（12345）']);
  });

  it('counts a key account said in text and flagged by staff once', () => {
    const result = assessSeverity({ content: '我是你们的大客户', source: 'customer', keyAccount: true });
    expect(result.reasons.filter((r) => r.startsWith('key_account'))).toHaveLength(1);
  });
});
