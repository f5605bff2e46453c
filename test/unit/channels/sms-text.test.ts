import { describe, expect, it } from 'vitest';
import { TRADITIONAL_TO_SIMPLIFIED, normalizeText, toSimplified } from '#domain/channels/normalize.ts';
import {
  type ComplaintCategory,
  type SmsIntent,
  detectCategory,
  detectIntent,
  extractCallbackPhone,
  extractWaybills,
  isValidS10,
  parseComplaintSms,
} from '#domain/channels/sms-text.ts';

describe('normalizeText', () => {
  it('turns full-width digits, letters and punctuation into half-width', () => {
    // Act
    const text = normalizeText('单号：ＥＡ１２３４５６７８５ＣＮ（急）！');

    // Assess
    expect(text).toBe('单号:EA123456785CN(急)!');
  });

  it('maps the traditional characters of the complaint keywords to simplified (seed 003 is traditional)', () => {
    // Act
    const text = normalizeText('郵件遺失、丟失、延誤、損壞、破損、態度、快遞、投訴、證件、報警、媒體、法院、賠償');

    // Assess
    expect(text).toBe('邮件遗失、丢失、延误、损坏、破损、态度、快递、投诉、证件、报警、媒体、法院、赔偿');
  });

  it('trims and collapses every kind of whitespace, the ideographic space and newlines included', () => {
    // Act
    const text = normalizeText('\u3000 快递\n\n丢了\t\t 请  回电\u200B ');

    // Assess
    expect(text).toBe('快递 丢了 请 回电');
  });

  it('keeps emoji intact: ZWJ families, keycaps, flags and emoji NFKC would rewrite (㊙️ 🈶 ℹ️)', () => {
    // Prepare
    const emoji = '👨‍👩‍👧 1️⃣ 🇨🇳 ㊙️ 🈶 ℹ️ 😡📦';

    // Act
    const text = normalizeText(`快递${emoji}丢了`);

    // Assess
    expect(text).toBe(`快递${emoji}丢了`);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no lone surrogate
  });

  it('is idempotent', () => {
    // Prepare
    const once = normalizeText('  郵件ＳＦ１２３４５６７８９０１２３　態度很差😡 ');

    // Act
    const twice = normalizeText(once);

    // Assess
    expect(twice).toBe(once);
  });

  it('has a traditional → simplified table of single, distinct characters only', () => {
    // Act
    const bad = [...TRADITIONAL_TO_SIMPLIFIED].filter(([t, s]) => [...t].length !== 1 || [...s].length !== 1 || t === s);

    // Assess
    expect(bad).toEqual([]);
    expect(toSimplified('法院')).toBe('法院'); // same in both scripts: untouched
  });
});

describe('isValidS10', () => {
  it.each([
    ['RR473124829GB', true], // the worked example of the UPU S10 standard
    ['EA123456785CN', true],
    ['ea 123 456 785 cn', true], // spaces and case ignored
    ['EE123456025CN', true], // 11 − 0 = 11 → check digit 5
    ['EE123456140CN', true], // 11 − 1 = 10 → check digit 0
    ['EA123456789CN', false], // wrong check digit
    ['EE123456020CN', false], // 11 must become 5, not 0
    ['EA12345678CN', false], // 8 digits
    ['E1123456785CN', false],
  ])('%s → %s', (code, valid) => {
    // Act & Assess
    expect(isValidS10(code)).toBe(valid);
  });
});

interface Row {
  /** What the row shows. */
  name: string;
  sms: string;
  waybillNos: string[];
  category: ComplaintCategory;
  signals: string[];
  callbackPhone?: string;
  intent?: SmsIntent;
  invalidWaybillNos?: string[];
}

/** Real-looking complaint SMS (wording after seed 002's complaint types and cases, seed 000's escalation cues). */
const TABLE: Row[] = [
  {
    name: 'EMS number with a valid check digit, loss, callback after 回电',
    sms: '我的快递EA123456785CN丢了，一直没收到，请回电13800138000',
    waybillNos: ['EA123456785CN'],
    category: 'loss',
    signals: [],
    callbackPhone: '+8613800138000',
  },
  {
    name: 'full-width waybill and digits, emoji',
    sms: '邮件号ＥＡ１２３４５６７８５ＣＮ，已经延误５天了😡😡',
    waybillNos: ['EA123456785CN'],
    category: 'delay',
    signals: [],
  },
  {
    name: 'traditional characters with a regulator threat',
    sms: '郵件遺失了，單號9876543210123，我要打12345投訴！',
    waybillNos: ['9876543210123'],
    category: 'loss',
    signals: ['regulator:12345'],
  },
  {
    name: '我要打12345投诉 alone is a regulator signal',
    sms: '我要打12345投诉',
    waybillNos: [],
    category: 'other',
    signals: ['regulator:12345'],
  },
  {
    name: 'a mobile number is never a waybill',
    sms: '快递一直没到，我手机13912345678，都好几天了',
    waybillNos: [],
    category: 'delay',
    signals: [],
    callbackPhone: '+8613912345678',
  },
  {
    name: 'two waybills, 已签收但没收到 is wrong delivery (seed 002 case: 代签或错投)',
    sms: '两个单号9876543210123和1122334455667都显示已签收但是我没收到',
    waybillNos: ['9876543210123', '1122334455667'],
    category: 'wrong_delivery',
    signals: [],
  },
  {
    name: 'EMS number with an invalid check digit is reported apart',
    sms: 'EA123456789CN 查不到物流信息，是不是丢了',
    waybillNos: [],
    invalidWaybillNos: ['EA123456789CN'],
    category: 'loss',
    signals: [],
  },
  {
    name: 'English: SF number, damage, call me back on +86',
    sms: 'My parcel SF1234567890123 was damaged, the box was crushed. Call me back on +86 139 0013 9000',
    waybillNos: ['SF1234567890123'],
    category: 'damage',
    signals: [],
    callbackPhone: '+8613900139000',
  },
  {
    name: 'TD is an unsubscribe',
    sms: 'TD',
    waybillNos: [],
    category: 'other',
    signals: [],
    intent: 'unsubscribe',
  },
  {
    name: '退订 with emoji and punctuation is an unsubscribe',
    sms: '退订！🙏',
    waybillNos: [],
    category: 'other',
    signals: [],
    intent: 'unsubscribe',
  },
  {
    name: '退订 inside a complaint stays a complaint',
    sms: '别让我退订，我的快递丢了',
    waybillNos: [],
    category: 'loss',
    signals: [],
  },
  {
    name: '查询 + waybill is a status query',
    sms: '查询 EA123456785CN',
    waybillNos: ['EA123456785CN'],
    category: 'other',
    signals: [],
    intent: 'status_query',
  },
  {
    name: 'attitude beats a single wrong-delivery keyword by score',
    sms: '快递员态度很差，还骂人，直接放驿站了，我电话13912345678',
    waybillNos: [],
    category: 'attitude',
    signals: [],
    callbackPhone: '+8613912345678',
  },
  {
    name: 'courier’s number is not a callback; 放驿站 vs 没通知 tie goes to wrong_delivery',
    sms: '快递员电话13900139000一直打不通，包裹放驿站了也没通知我',
    waybillNos: [],
    category: 'wrong_delivery',
    signals: [],
  },
  {
    name: 'privacy outscores harassment',
    sms: '我的个人信息被泄露了，天天接到骚扰电话',
    waybillNos: [],
    category: 'privacy',
    signals: [],
  },
  {
    name: 'harassment by a courier',
    sms: '快递员加我微信一直骚扰我，还威胁我',
    waybillNos: [],
    category: 'harassment',
    signals: [],
  },
  {
    name: 'an amount of 110 元 is neither police nor a waybill',
    sms: '运费110元，多收了我30元',
    waybillNos: [],
    category: 'fee',
    signals: [],
  },
  {
    name: '打110报警 is a police signal',
    sms: '再不给我处理我就打110报警',
    waybillNos: [],
    category: 'other',
    signals: ['police:110', 'police:报警'],
  },
  {
    name: 'passport, lawyer and media at once (seed 000 重大、紧急 (1)(6)); a bare “很急” is no cue',
    sms: '包裹里的护照丢了，很急，再不处理我就找律师起诉，还要找记者曝光',
    waybillNos: [],
    category: 'loss',
    signals: ['urgent_content:护照', 'court:律师', 'court:起诉', 'media:记者', 'media:曝光'],
  },
  {
    name: 'no phone call before delivery is a notification complaint',
    sms: '派件前不打电话也不发短信，直接给我退回去了',
    waybillNos: [],
    category: 'notification',
    signals: [],
  },
  {
    name: 'order numbers, dates and digit date-times are not waybills',
    sms: '10月12日寄的，订单号1234567890123，快递单号9123456789012，2024-10-12 10:30下单，记录202410121030',
    waybillNos: ['9123456789012'],
    category: 'other',
    signals: [],
  },
  {
    name: 'ZWJ emoji next to an S10 number written with spaces, damage',
    sms: '👨‍👩‍👧 家里人的包裹EA 123 456 785 CN 破损了，内件短少',
    waybillNos: ['EA123456785CN'],
    category: 'damage',
    signals: [],
  },
  {
    name: 'English delay with urgency',
    sms: 'Parcel 1234567890 delayed for two weeks, still waiting. Very urgent!',
    waybillNos: ['1234567890'],
    category: 'delay',
    signals: ['immediate_answer:urgent'],
  },
  {
    name: 'postal regulator and consumer association',
    sms: '如果今天还不解决，我就去邮政管理局和消协投诉',
    waybillNos: [],
    category: 'other',
    signals: ['regulator:邮政管理局', 'regulator:消协'],
  },
  {
    name: 'social media exposure',
    sms: '快递被摔坏了，你们再不处理我就发微博、抖音曝光',
    waybillNos: [],
    category: 'damage',
    signals: ['media:微博', 'media:抖音', 'media:曝光'],
  },
  {
    name: 'not delivered to the door and signed by someone else',
    sms: '明明在家，快递员不送货上门，还冒签了',
    waybillNos: [],
    category: 'wrong_delivery',
    signals: [],
  },
  {
    name: 'landline callback after 联系电话',
    sms: '寄往上海的邮件1098765432109延误了，联系电话021-12345678',
    waybillNos: ['1098765432109'],
    category: 'delay',
    signals: [],
    callbackPhone: '+862112345678',
  },
  {
    name: 'full-width SF number quoted in seed 002 (SF + 12 digits)',
    sms: 'ＳＦ１２３４５６７８９４８５ 春节期间延误，误了商务会议',
    waybillNos: ['SF123456789485'],
    category: 'delay',
    signals: [],
  },
  {
    name: '86 + mobile is a phone; EMS domestic 1 + 12 digits is a waybill',
    sms: '8613800138000是我的号码，EMS 1100123456789 还没到',
    waybillNos: ['1100123456789'],
    category: 'delay',
    signals: [],
    callbackPhone: '+8613800138000',
  },
  {
    name: 'an admission letter is urgent content',
    sms: '录取通知书的EMS一直没到，急！！！',
    waybillNos: [],
    category: 'delay',
    signals: ['urgent_content:录取通知书'],
  },
  {
    name: 'traditional 破損 and 賠償 with 12305',
    sms: '包裹破損嚴重，要求賠償，不然打12305',
    waybillNos: [],
    category: 'damage',
    signals: ['regulator:12305'],
  },
  {
    name: 'a waybill containing 12345 is not a regulator threat',
    sms: '单号9123451234567还没到',
    waybillNos: ['9123451234567'],
    category: 'delay',
    signals: [],
  },
];

describe('parseComplaintSms', () => {
  it.each(TABLE)('$name', (row) => {
    // Act
    const parsed = parseComplaintSms(row.sms);

    // Assess
    expect(parsed.waybillNos).toEqual(row.waybillNos);
    expect(parsed.invalidWaybillNos).toEqual(row.invalidWaybillNos ?? []);
    expect(parsed.category).toBe(row.category);
    expect(parsed.signals).toEqual(row.signals);
    expect(parsed.callbackPhone).toBe(row.callbackPhone);
    expect(parsed.intent).toBe(row.intent ?? 'complaint');
  });

  it('has at least 25 messages in its table', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(25);
  });

  it('returns the normalised text and the kinds of signal found', () => {
    // Act
    const parsed = parseComplaintSms(' 郵件遺失，我要報警，還要找媒體😡 ');

    // Assess
    expect(parsed.text).toBe('邮件遗失,我要报警,还要找媒体😡');
    expect(parsed.signalKinds).toEqual(['police', 'media']);
    expect(parsed.signals).toEqual(['police:报警', 'media:媒体']);
  });

  it('reports English cues for regulator, police, lawyer, court and media', () => {
    // Act
    const parsed = parseComplaintSms('Lost parcel. I will contact the regulator, the police, my lawyer, go to court and the media.');

    // Assess
    expect(parsed.signalKinds).toEqual(['regulator', 'police', 'court', 'media']);
    expect(parsed.signals).toEqual(['regulator:regulator', 'police:police', 'court:lawyer', 'court:court', 'media:media']);
  });
});

describe('extractWaybills', () => {
  it('lists a repeated waybill once, in order of first appearance', () => {
    // Act
    const { valid } = extractWaybills('SF1234567890123 和 EA123456785CN，再说一遍 SF 1234567890123');

    // Assess
    expect(valid).toEqual(['SF1234567890123', 'EA123456785CN']);
  });

  it.each([
    ['a landline with trunk prefix', '座机 02112345678'],
    ['a 400 hotline', '打了4008111111没人接'],
    ['an 18-digit ID card number', '身份证110101199003074512'],
    ['a 16-digit bank card', '卡号6222020200112233'],
    ['an amount', '赔了1234567890元'],
    ['a decimal number', '重量1234567890.5公斤'],
    ['a QQ number', 'QQ 1234567890'],
    ['digits glued to letters (another kind of code)', 'JDVA12345678901'],
  ])('ignores %s', (_label, text) => {
    // Act
    const { valid } = extractWaybills(text);

    // Assess
    expect(valid).toEqual([]);
  });
});

describe('detectCategory', () => {
  it('breaks a tie by priority: delay before notification', () => {
    // Act
    const detection = detectCategory('邮件延误了还没通知我');

    // Assess
    expect(detection.scores.delay).toBe(detection.scores.notification);
    expect(detection.category).toBe('delay');
  });

  it('prefers the longer keyword: 没收到短信 is notification, not loss', () => {
    // Act
    const detection = detectCategory('派送前没收到短信');

    // Assess
    expect(detection.category).toBe('notification');
    expect(detection.scores.loss).toBe(0);
  });

  it('counts each occurrence, so the most-mentioned problem wins', () => {
    // Act
    const detection = detectCategory('态度不好，但主要是丢了，真的丢了');

    // Assess
    expect(detection.scores.loss).toBe(6);
    expect(detection.category).toBe('loss');
  });

  it('does not read “feed” as a fee', () => {
    // Act & Assess
    expect(detectCategory('the courier would not feed the cat').scores.fee).toBe(0);
    expect(detectCategory('they overcharged the fees').category).toBe('fee');
  });

  it('falls back to other when no keyword matches', () => {
    // Act & Assess
    expect(detectCategory('你好，请问营业厅几点开门？').category).toBe('other');
  });
});

describe('detectIntent', () => {
  it.each([
    ['T', 'unsubscribe', undefined],
    ['td', 'unsubscribe', undefined],
    ['ＴＤ', 'unsubscribe', undefined],
    ['STOP', 'unsubscribe', undefined],
    ['查询', 'status_query', undefined],
    ['查询进度：TS-2025-ABC1', 'status_query', 'TS-2025-ABC1'],
    ['cx 1234567890123', 'status_query', '1234567890123'],
    ['查询 EA123456785CN 🙏', 'status_query', 'EA123456785CN'],
    // A tracking code is 12 random Crockford base32 characters: about 1 in 90 has no digit at all.
    ['查询 NXDBVQJZGPTX', 'status_query', 'NXDBVQJZGPTX'],
    ['cx nxdbvqjzgptx', 'status_query', 'NXDBVQJZGPTX'],
    // Twelve letters outside that alphabet (I, L, O, U) are no code: a word, and the text is a complaint.
    ['查询 PARCELSTILLOST', 'complaint', undefined],
    ['STATUS: my parcel is lost', 'complaint', undefined],
    ['查一下我的快递怎么还没到', 'complaint', undefined],
    ['EA123456785CN', 'complaint', undefined],
  ])('%s → %s', (text, intent, queryCode) => {
    // Act
    const detection = detectIntent(text);

    // Assess
    expect(detection.intent).toBe(intent);
    expect(detection.queryCode).toBe(queryCode);
  });
});

describe('extractCallbackPhone', () => {
  it('prefers the number after a callback cue over an earlier plain one', () => {
    // Act
    const phone = extractCallbackPhone('收件人手机13700137000，有事请联系我13800138000');

    // Assess
    expect(phone).toBe('+8613800138000');
  });

  it('does not lend the cue of one number to the next one', () => {
    // Act: 回电 belongs to the first number; the second is the courier's.
    const phone = extractCallbackPhone('请回电13800138000，快递员13900139000');

    // Assess
    expect(phone).toBe('+8613800138000');
  });

  it('skips the courier’s number even when it comes first', () => {
    // Act & Assess
    expect(extractCallbackPhone('快递员的电话是13900139000，我的手机13800138000')).toBe('+8613800138000');
  });

  it('takes a bare number when nothing else is there', () => {
    // Act & Assess
    expect(extractCallbackPhone('快递丢了 138-0013-8000')).toBe('+8613800138000');
  });

  it('finds nothing in a text without phone numbers', () => {
    // Act & Assess
    expect(extractCallbackPhone('单号9123456789012还没到')).toBeUndefined();
  });
});
