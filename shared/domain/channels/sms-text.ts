/**
 * Reading a complainant's free text (SMS body, IVR transcript): waybill numbers, category, callback phone,
 * escalation cues and the intent of the message. Pure functions; nothing here decides severity — the
 * cues it reports come from the one severity vocabulary (`#domain/severity.ts`) that intake applies.
 *
 * All matching runs on {@link normalizeText} output, so full-width digits, traditional characters and
 * stray whitespace have already been dealt with.
 *
 * Seeds cited below: seed 000 = 000_a1eb924360c3e548.txt (广州邮政速递 投诉处理办法, 重大、紧急投诉),
 * seed 001 = 001_ac9bde20c1bec4e1.txt (申诉电话 12305), seed 002 = 002_16700b939b2bfea6.txt (邮政业务投诉培训:
 * 常见投诉类型, cases), seed 003 = 003_722d3150981659d8.txt (投诉类型分析, traditional characters).
 */
import type { Category, Kind } from '../model.ts';
import { normalizePhone, normalizeText } from '#domain/channels/normalize.ts';
import { COMPLAINT_CATEGORIES } from './categories.ts';
import { findCues, kw, rx, type Cue } from '#domain/cues.ts';
import { findSeverityCues, type CueKind } from '#domain/severity.ts';

// ---------------------------------------------------------------------------------------------------------
// Taxonomy
// ---------------------------------------------------------------------------------------------------------

/** One complaint category. */
export type ComplaintCategory = Category;

/** One kind of escalation cue: a kind of the severity vocabulary. */
export type SignalKind = CueKind;

/** What an inbound message asks for. */
export type SmsIntent = 'complaint' | 'status_query' | 'unsubscribe';

// ---------------------------------------------------------------------------------------------------------
// Waybill numbers
// ---------------------------------------------------------------------------------------------------------

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/**
 * Whether a code is a valid UPU S10 item identifier (EMS / international registered mail), e.g.
 * `RR473124829GB`: 2 letters, 8 serial digits, 1 check digit, 2-letter country code. Check digit: weights
 * 8 6 4 2 3 5 9 7 over the serial digits, `11 − sum mod 11`, where 10 → 0 and 11 → 5.
 * Spaces and hyphens are ignored, letters are case-insensitive.
 */
export function isValidS10(code: string): boolean {
  const m = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/.exec(code.replace(/[\s-]/g, '').toUpperCase());
  if (!m) return false;
  const serial = m[2] as string;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * (S10_WEIGHTS[i] as number);
  const raw = 11 - (sum % 11);
  const check = raw === 10 ? 0 : raw === 11 ? 5 : raw;
  return check === Number(m[3]);
}

/** S10: 2 letters, 9 digits (spaces/hyphens between digit groups tolerated), 2 letters. */
const S10_CANDIDATE = /(?<![A-Z0-9])([A-Z]{2})[ -]?(\d(?:[ -]?\d){8})[ -]?([A-Z]{2})(?![A-Z0-9])/g;
/** SF Express: “SF” + 12–15 digits (seed 002 quotes SF123456789485). */
const SF_CANDIDATE = /(?<![A-Z0-9])SF[ -]?(\d{12,15})(?!\d)/g;
/**
 * Domestic numeric waybills: a contiguous run of 10–15 digits, not glued to letters (another code),
 * a decimal point, a currency sign or a “+” (international phone). Digit groups separated by spaces are
 * NOT joined: “2024-10-12 10:30” or “138 0013 8000” must never become a waybill.
 */
const DIGIT_CANDIDATE = /(?<![\dA-Z.+¥$€])\d{10,15}(?![\dA-Z]|\.\d)/g;

/** A date-time written as digits: YYYYMMDDhh, YYYYMMDDhhmm or YYYYMMDDhhmmss. */
const DIGIT_DATETIME = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])(?:[0-5]\d(?:[0-5]\d)?)?$/;
const AMOUNT_AFTER = /^\s*(?:元|块|圆|万|RMB|YUAN|CNY)/;

/** Words right before a number that say it is a waybill. */
const WAYBILL_CONTEXT = ['单号', '运单', '邮件号', '快递号', '包裹号', '挂号', '条码', '快递', '邮件', '包裹', 'WAYBILL', 'TRACKING', 'EMS'];
/** Words right before a number that say it is something else (order, phone, account, ID card…). */
const NON_WAYBILL_CONTEXT = [
  '订单',
  '订单号',
  'QQ',
  '微信',
  '身份证',
  '卡号',
  '账号',
  '帐号',
  '工号',
  '电话',
  '手机',
  '座机',
  '联系',
  '回电',
  '回拨',
  'TEL',
  'PHONE',
  'ORDER',
  'MOBILE',
];
const CONTEXT_WINDOW = 8;

/**
 * The cue closest before `index` within the window decides; of two cues ending at the same place the longer
 * one wins (“订单号” beats the “单号” inside it); no cue → neutral.
 */
function numberContext(upper: string, index: number): 'waybill' | 'other' | 'neutral' {
  const before = upper.slice(Math.max(0, index - CONTEXT_WINDOW), index);
  let best: { end: number; length: number; kind: 'waybill' | 'other' } | undefined;
  for (const [list, kind] of [
    [WAYBILL_CONTEXT, 'waybill'],
    [NON_WAYBILL_CONTEXT, 'other'],
  ] as const) {
    for (const word of list) {
      const at = before.lastIndexOf(word);
      if (at < 0) continue;
      const end = at + word.length;
      if (best === undefined || end > best.end || (end === best.end && word.length > best.length)) {
        best = { end, length: word.length, kind };
      }
    }
  }
  return best?.kind ?? 'neutral';
}

/**
 * Why a digit run is not a waybill, or `undefined` when it may be one.
 *
 * The phone rule: an 11-digit run `1[3-9]xxxxxxxxx` is ALWAYS a mobile number, with or without a cue such
 * as 电话/手机/联系/回电 — complainants put their own number in nearly every SMS, and a mobile read as a
 * waybill would both misroute the case and copy a phone number into a field shown unmasked. The price:
 * an 11-digit domestic waybill that happens to start 13–19 is missed (the agent still sees the text).
 * The same holds for `86` + mobile (13 digits), landlines with trunk 0 (10–12 digits starting 0) and
 * 400/800 hotlines.
 */
function nonWaybillReason(digits: string, upper: string, index: number): string | undefined {
  if (/^1[3-9]\d{9}$/.test(digits) || /^861[3-9]\d{9}$/.test(digits)) return 'mobile';
  if (/^0\d{9,11}$/.test(digits)) return 'landline';
  if (/^[48]00\d{7}$/.test(digits)) return 'hotline';
  if (DIGIT_DATETIME.test(digits)) return 'datetime';
  if (AMOUNT_AFTER.test(upper.slice(index + digits.length))) return 'amount';
  if (numberContext(upper, index) === 'other') return 'context';
  return undefined;
}

/** Waybill numbers found in a text, see {@link extractWaybills}. */
export interface ExtractedWaybills {
  /** Valid numbers, canonical form (upper case, no separators), in order of first appearance, unique. */
  valid: string[];
  /** S10-shaped numbers whose check digit is wrong (probably a typo; the agent should confirm them). */
  invalid: string[];
}

/**
 * Finds waybill / mail numbers: UPU S10 (`EA123456785CN`, check digit validated), SF Express
 * (`SF` + 12–15 digits) and domestic numeric waybills (10–15 digits, e.g. China Post 11/13 digits,
 * EMS domestic 1 + 12 digits), excluding phone numbers, dates, amounts and numbers introduced as
 * orders/accounts/ID cards (see `nonWaybillReason`). 16+ digit runs (bank cards, ID cards) never match.
 */
export function extractWaybills(text: string): ExtractedWaybills {
  let upper = normalizeText(text).toUpperCase();
  const found: { value: string; index: number }[] = [];
  const invalid: { value: string; index: number }[] = [];
  // Blank out what a pass consumed so later passes cannot read the same digits again (indices stay put).
  const mask = (index: number, length: number): void => {
    upper = upper.slice(0, index) + ' '.repeat(length) + upper.slice(index + length);
  };

  for (const m of [...upper.matchAll(S10_CANDIDATE)]) {
    const value = `${m[1]}${(m[2] as string).replace(/[ -]/g, '')}${m[3]}`;
    (isValidS10(value) ? found : invalid).push({ value, index: m.index });
    mask(m.index, m[0].length);
  }
  for (const m of [...upper.matchAll(SF_CANDIDATE)]) {
    found.push({ value: `SF${m[1]}`, index: m.index });
    mask(m.index, m[0].length);
  }
  for (const m of [...upper.matchAll(DIGIT_CANDIDATE)]) {
    if (nonWaybillReason(m[0], upper, m.index) === undefined) found.push({ value: m[0], index: m.index });
  }

  const ordered = (list: { value: string; index: number }[]): string[] => [...new Set(list.sort((a, b) => a.index - b.index).map((x) => x.value))];
  return { valid: ordered(found), invalid: ordered(invalid) };
}

/** Valid waybill numbers in order of first appearance, unique. Shorthand for `extractWaybills(text).valid`. */
export function extractWaybillNos(text: string): string[] {
  return extractWaybills(text).valid;
}

// ---------------------------------------------------------------------------------------------------------
// Category
// ---------------------------------------------------------------------------------------------------------

type Scored = Exclude<ComplaintCategory, 'other'>;

/**
 * Category keywords with weights: 3 = names the problem (丢失, 破损, 代签), 2 = strong hint (没收到, 少了),
 * 1 = weak hint (慢, 贵). Sources: seed 002 “邮政业务常见投诉类型” (丢失或无法跟踪 / 延误超出承诺时效 /
 * 损毁或内容缺失 / 投递不规范(乱扔、代签) / 服务态度 / 未通知 / 资费争议或重复收费 / 隐私信息泄露 /
 * 广告骚扰或信息骚扰) and its case “系统显示已签收,但收件人否认收到…确认是否存在代签或错投”.
 */
const CATEGORY_CUES: readonly Cue<Scored>[] = [
  // loss
  ...['丢失', '丢了', '丢件', '遗失', '弄丢', '搞丢', '被偷'].map((k) => kw('loss', k, 3)),
  ...['找不到', '没收到', '未收到', '没有收到', '收不到', '不见了', '查不到', '无法跟踪'].map((k) => kw('loss', k, 2)),
  kw('loss', 'lost', 3),
  kw('loss', 'missing', 2),
  kw('loss', 'never arrived', 3),
  kw('loss', 'not received', 2),
  kw('loss', "didn't receive", 2),
  // delay
  ...['延误', '延迟', '耽误', '超时', '迟迟'].map((k) => kw('delay', k, 3)),
  ...['太慢', '很慢', '还没到', '还没送到', '一直没到', '还没有到', '几天了', '好几天', '物流不更新', '没有更新', '不更新', '时效'].map((k) =>
    kw('delay', k, 2),
  ),
  kw('delay', '慢', 1),
  kw('delay', '停滞', 1),
  kw('delay', 'delay', 3),
  kw('delay', 'late', 2),
  kw('delay', 'slow', 2),
  kw('delay', 'not arrived', 2),
  kw('delay', "hasn't arrived", 2),
  kw('delay', 'still waiting', 2),
  // damage
  ...['破损', '损坏', '损毁', '摔坏', '压坏', '碎了', '摔碎', '压碎', '内件短少', '短少', '少件', '内件不符', '漏液'].map((k) => kw('damage', k, 3)),
  ...['坏了', '少了', '缺少', '变形', '淋湿', '受潮', '湿了', '划痕', '缺了'].map((k) => kw('damage', k, 2)),
  kw('damage', 'damage', 3),
  kw('damage', 'broken', 3),
  kw('damage', 'crushed', 3),
  kw('damage', 'missing items', 3),
  kw('damage', 'wet', 2),
  // wrong_delivery (投递不规范)
  ...[
    ...['代签', '冒签', '放驿站', '放在驿站', '放到驿站', '扔驿站', '放快递柜', '放丰巢', '放门口'],
    ...['没送上门', '没有送上门', '不送上门', '不送货上门', '没有送货上门'],
    ...['投错', '送错', '错投', '乱扔', '随意放置', '显示签收', '显示已签收'],
  ].map((k) => kw('wrong_delivery', k, 3)),
  ...['驿站', '快递柜', '丰巢', '乱放', '不是本人签收', '别人签收'].map((k) => kw('wrong_delivery', k, 2)),
  kw('wrong_delivery', 'wrong address', 3),
  kw('wrong_delivery', 'signed by someone else', 3),
  kw('wrong_delivery', 'left at', 2),
  kw('wrong_delivery', 'locker', 2),
  // attitude
  ...['态度', '骂人', '不耐烦', '很凶', '爱答不理', '恶劣', '服务差', '甩脸'].map((k) => kw('attitude', k, 3)),
  ...['凶', '骂我', '挂电话', '吵架', '脾气', '不理人', '敷衍'].map((k) => kw('attitude', k, 2)),
  kw('attitude', 'rude', 3),
  kw('attitude', 'impolite', 3),
  kw('attitude', 'attitude', 3),
  kw('attitude', 'yelled', 2),
  // notification
  ...['没通知', '未通知', '不通知', '没有通知', '不打电话', '没打电话', '没有打电话', '没收到短信', '没有短信', '不提前联系'].map((k) =>
    kw('notification', k, 3),
  ),
  ...['没联系', '没有联系', '不联系'].map((k) => kw('notification', k, 2)),
  kw('notification', 'no notice', 3),
  kw('notification', 'not notified', 3),
  kw('notification', 'without notice', 3),
  kw('notification', "didn't call", 3),
  kw('notification', 'no call', 2),
  // fee
  ...['多收', '乱收费', '重复收费', '资费', '多扣'].map((k) => kw('fee', k, 3)),
  ...['收费', '运费', '邮费', '扣费', '加钱', '到付'].map((k) => kw('fee', k, 2)),
  kw('fee', '贵', 1),
  kw('fee', 'overcharge', 3),
  kw('fee', 'charged twice', 3),
  rx('fee', 'fee', /\bfees?\b/, 2), // not kw(): “feed” is no fee
  kw('fee', 'shipping cost', 2),
  // privacy
  ...['泄露', '泄漏', '隐私', '信息被卖', '被卖信息'].map((k) => kw('privacy', k, 3)),
  kw('privacy', '个人信息', 2),
  kw('privacy', 'privacy', 3),
  kw('privacy', 'leak', 3),
  kw('privacy', 'data breach', 3),
  kw('privacy', 'personal information', 2),
  // harassment
  ...['骚扰', '辱骂', '威胁', '恐吓'].map((k) => kw('harassment', k, 3)),
  ...['纠缠', '垃圾短信', '广告短信', '跟踪'].map((k) => kw('harassment', k, 2)),
  kw('harassment', 'harass', 3),
  kw('harassment', 'harassment', 3),
  kw('harassment', 'threaten', 3),
  kw('harassment', 'spam', 2),
];

/** Result of {@link detectCategory}. */
export interface CategoryDetection {
  category: ComplaintCategory;
  /** Summed weights per category (0 where nothing matched); `other` is always 0. */
  scores: Record<ComplaintCategory, number>;
  /** The keywords that contributed, in text order. */
  keywords: string[];
}

/**
 * Picks the category with the highest keyword score.
 *
 * Every occurrence counts (a complaint that says 丢了 twice is more about loss). Ties are broken by the order
 * of {@link COMPLAINT_CATEGORIES}: mail problems first (loss > damage > wrong_delivery > delay — they
 * decide compensation and the unit the case goes to, seed 002/003), then the legally sensitive ones
 * (privacy > harassment, 个人信息保护法 in seed 002), then service (attitude > notification), then fee.
 * So “没通知就放驿站” (3 : 3) is wrong_delivery, “延误了还没通知” is delay. No keyword → `other`.
 * Negation is not understood (“没有破损” still counts as damage): the agent confirms the category.
 */
export function detectCategory(text: string): CategoryDetection {
  const lower = normalizeText(text).toLowerCase();
  const scores = Object.fromEntries(COMPLAINT_CATEGORIES.map((c) => [c, 0])) as Record<ComplaintCategory, number>;
  const hits = findCues(lower, CATEGORY_CUES);
  for (const hit of hits) scores[hit.cue.key] += hit.cue.weight;
  let category: ComplaintCategory = 'other';
  for (const c of COMPLAINT_CATEGORIES) {
    if (scores[c] > scores[category]) category = c;
  }
  return { category, scores, keywords: hits.map((h) => h.cue.label) };
}

// ---------------------------------------------------------------------------------------------------------
// Kind (受理类型)
// ---------------------------------------------------------------------------------------------------------

/** Words that make a message a complaint whatever else it says (“有意见” is a grievance, not a suggestion). */
const COMPLAINT_WORDS: readonly Cue<'complaint'>[] = [
  ...['投诉', '举报', '有意见', '不满', '差评', '索赔', '赔偿'].map((k) => kw('complaint', k)),
  ...['complain', 'complaint'].map((k) => kw('complaint', k)),
];
/** 意见反映 / 建议 (seed 000 三来: 意见反映; seed 001 客户建议类). */
const FEEDBACK_WORDS: readonly Cue<'feedback'>[] = [
  ...['建议', '提个意见', '提意见', '提点意见', '意见反映', '意见反馈', '反映个意见', '意见和建议', '意见建议', '希望你们', '希望能'].map((k) =>
    kw('feedback', k),
  ),
  ...['suggest', 'suggestion', 'feedback', 'it would be nice'].map((k) => kw('feedback', k)),
];
/** 查询 / 咨询 (seed 000 三来: 查询; seed 001 客户咨询类): where is it, when will it come, how much. */
const INQUIRY_WORDS: readonly Cue<'inquiry'>[] = [
  ...[
    '查询',
    '查件',
    '查一下',
    '查下',
    '帮我查',
    '咨询',
    '请问',
    '问一下',
    '问下',
    '到哪',
    '在哪',
    '什么时候到',
    '什么时候能到',
    '几时到',
    '多久能到',
    '怎么寄',
    '多少钱',
  ].map((k) => kw('inquiry', k)),
  ...['where is', 'when will', 'how much', 'inquiry', 'enquiry', 'track my'].map((k) => kw('inquiry', k)),
];
/** Severity cue kinds that voice a grievance (a threat, anger, a group), unlike those about the item or customer. */
const GRIEVANCE_KINDS: ReadonlySet<SignalKind> = new Set([
  'regulator',
  'police',
  'media',
  'court',
  'immediate_answer',
  'strong_dissatisfaction',
  'group_impact',
]);
/** Weight-3 category cues that name a topic rather than a problem (“咨询资费” asks the price). */
const TOPIC_ONLY: ReadonlySet<string> = new Set(['资费']);

/**
 * The 受理类型 of a message (decision 050). In doubt it is a complaint, the case with the most at stake:
 * 1. a complaint word (投诉, 举报, 有意见, 不满 …), a grievance cue of the severity vocabulary (12345,
 *    曝光, 报警 …) or a word that names a problem (丢失, 破损, 代签, 态度恶劣 — category cues of weight 3)
 *    → `complaint`;
 * 2. else a feedback word (建议, 提个意见, 意见反映 …) → `feedback`;
 * 3. else an inquiry word (查询, 查件, 咨询, 请问, 到哪了 …) → `inquiry`;
 * 4. else `complaint`.
 * A bare “查询 <code>” never gets here: {@link detectIntent} reads it as a status query first.
 */
export function detectKind(text: string): Kind {
  const lower = normalizeText(text).toLowerCase();
  const grievance =
    findCues(lower, COMPLAINT_WORDS).length > 0 ||
    findSeverityCues(text).some((c) => GRIEVANCE_KINDS.has(c.kind)) ||
    findCues(lower, CATEGORY_CUES).some((h) => h.cue.weight >= 3 && !TOPIC_ONLY.has(h.cue.label));
  if (grievance) return 'complaint';
  if (findCues(lower, FEEDBACK_WORDS).length > 0) return 'feedback';
  if (findCues(lower, INQUIRY_WORDS).length > 0) return 'inquiry';
  return 'complaint';
}

// ---------------------------------------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------------------------------------

/** Result of {@link detectSignals}. */
export interface SignalDetection {
  /** `<kind>:<cue>` in text order, unique, e.g. `regulator:12345`, `police:报警`, `urgency:passport`. */
  signals: string[];
  /** The kinds present, in text order of their first cue, unique. */
  kinds: SignalKind[];
}

/** Finds the severity vocabulary's cues (regulator, media, police, court, urgent content …); negation is not understood. */
export function detectSignals(text: string): SignalDetection {
  const found = findSeverityCues(text);
  return {
    signals: found.map((f) => `${f.kind}:${f.keyword}`),
    kinds: [...new Set(found.map((f) => f.kind))],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Callback phone
// ---------------------------------------------------------------------------------------------------------

const MOBILE_IN_TEXT = /(?<![\d+])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g;
const LANDLINE_IN_TEXT = /(?<![\d+])0[1-9]\d{1,2}[ -]?\d{7,8}(?!\d)/g;
/** “来电” is left out on purpose: “快递员来电 139…” is the courier calling, not a callback number. */
const CALLBACK_CUES = [
  ...['回电', '回拨', '回个电话', '回复电话', '联系电话', '联系方式', '联系我', '打我电话', '打给我', '致电', '拨打我', '留电'],
  ...['CALL ME', 'CALL BACK', 'CALLBACK', 'CONTACT ME', 'REACH ME'],
];
const PHONE_CUES = ['电话', '手机', '号码', 'TEL', 'PHONE', 'MOBILE'];
/**
 * Someone else's number: “快递员电话 139…”, “收件人的手机是 139…” is not where the complainant wants a
 * callback. Only counts when the third party directly introduces the number.
 */
const THIRD_PARTY_INTRO = new RegExp(
  `(?:快递员|快递小哥|派件员|投递员|送货员|收件人|寄件人|网点|驿站|客服|COURIER)(?:的)?(?:${PHONE_CUES.join('|')})?(?:号)?(?:是|为)?[:\\s]*$`,
);
const PHONE_WINDOW = 12;

/**
 * The phone number the complainant wants to be called back on, in E.164.
 *
 * Preference: a number after a callback cue (回电, 联系电话, 联系我, call me…) → else one after a plain phone
 * cue (电话, 手机, tel…) → else a bare number with no cue at all. A number introduced as someone else's
 * (快递员电话…, 收件人手机…) never counts. The first number of the best kind wins. A cue is looked for in the
 * 12 characters before a number, but never before the previous number (that cue was the previous number's).
 */
export function extractCallbackPhone(text: string): string | undefined {
  const upper = normalizeText(text).toUpperCase();
  const matches = [...upper.matchAll(MOBILE_IN_TEXT), ...upper.matchAll(LANDLINE_IN_TEXT)].sort((a, b) => a.index - b.index);
  const candidates: { phone: string; index: number; rank: number }[] = [];
  let previousEnd = 0;
  for (const m of matches) {
    const phone = normalizePhone(m[0]);
    const before = upper.slice(Math.max(previousEnd, m.index - PHONE_WINDOW), m.index);
    previousEnd = m.index + m[0].length;
    if (phone === undefined) continue;
    const has = (list: readonly string[]): boolean => list.some((w) => before.includes(w));
    const rank = has(CALLBACK_CUES) ? 3 : THIRD_PARTY_INTRO.test(before) ? 0 : has(PHONE_CUES) ? 2 : 1;
    if (rank > 0) candidates.push({ phone, index: m.index, rank });
  }
  candidates.sort((a, b) => b.rank - a.rank || a.index - b.index);
  return candidates[0]?.phone;
}

// ---------------------------------------------------------------------------------------------------------
// Intent
// ---------------------------------------------------------------------------------------------------------

/** Whole-message unsubscribe replies (“回复TD退订” is the convention of Chinese SMS senders). */
const UNSUBSCRIBE = /^(?:TD|T|退订|取消订阅|STOP|UNSUBSCRIBE)+$/;
/**
 * “查询 EA123456785CN”, “查询进度:K7Q2M9”, “CX 1234567890123”, or just “查询”. The code is one token of
 * letters, digits and hyphens with at least one digit, so “STATUS: my parcel is lost” stays a complaint.
 */
/**
 * A query keyword, then at most one code: one with a digit (a waybill, an external reference), or a
 * tracking code, which is 12 random Crockford base32 characters and so has no digit about once in 90
 * (`trackingCode`, ids.ts). Words after the keyword are a complaint.
 */
const STATUS_QUERY =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: ZWJ and VS16 are listed one by one, to drop an emoji's trailing joiners
  /^(?:查询投诉进度|查询进度|查询投诉|进度查询|查进度|查询|进度|查|CX|STATUS|QUERY|TRACK)\s*[:#]?\s*((?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,39}|[0-9A-HJKMNP-TV-Z]{12})?[\s\p{P}\p{S}\u200D\uFE0F]*$/u;

/** Result of {@link detectIntent}. */
export interface IntentDetection {
  intent: SmsIntent;
  /** For `status_query`: the code after the keyword (complaint tracking code or waybill), upper case, as written. */
  queryCode?: string;
}

/**
 * What the message asks for. Only a message that consists of nothing but an unsubscribe word (TD, T, 退订,
 * STOP…, punctuation and emoji ignored) is `unsubscribe`; only a query keyword optionally followed by one
 * code is `status_query`. Everything else — including a bare code with no keyword, and “退订” inside a longer
 * complaint — is a `complaint`: a message is never dropped because it looked like a command.
 */
export function detectIntent(text: string): IntentDetection {
  const upper = normalizeText(text).toUpperCase();
  const compact = upper.replace(/[\s\p{P}\p{S}]/gu, '');
  if (compact.length > 0 && UNSUBSCRIBE.test(compact)) return { intent: 'unsubscribe' };
  const query = STATUS_QUERY.exec(upper);
  if (query) {
    const code = query[1];
    return code ? { intent: 'status_query', queryCode: code } : { intent: 'status_query' };
  }
  return { intent: 'complaint' };
}

// ---------------------------------------------------------------------------------------------------------
// All together
// ---------------------------------------------------------------------------------------------------------

/** Everything read from one complaint SMS. */
export interface ParsedSms {
  /** The normalised text ({@link normalizeText}); store this as the complaint content. */
  text: string;
  intent: SmsIntent;
  queryCode?: string;
  /** 受理类型 read from the words, see {@link detectKind}. */
  kind: Kind;
  /** Valid waybill numbers, order of appearance, unique. */
  waybillNos: string[];
  /** S10 numbers with a wrong check digit (typos to confirm with the complainant). */
  invalidWaybillNos: string[];
  category: ComplaintCategory;
  categoryScores: Record<ComplaintCategory, number>;
  /** E.164 number the complainant asked to be called back on, if any. */
  callbackPhone?: string;
  /** Escalation cues as `<kind>:<cue>`, see {@link detectSignals}. */
  signals: string[];
  signalKinds: SignalKind[];
}

/** Reads a complaint SMS (or IVR transcript): normalised text, intent, waybills, category, callback phone, cues. */
export function parseComplaintSms(rawText: string): ParsedSms {
  const text = normalizeText(rawText);
  const { intent, queryCode } = detectIntent(text);
  const waybills = extractWaybills(text);
  const { category, scores } = detectCategory(text);
  const callbackPhone = extractCallbackPhone(text);
  const { signals, kinds } = detectSignals(text);
  return {
    text,
    intent,
    ...(queryCode === undefined ? {} : { queryCode }),
    kind: detectKind(text),
    waybillNos: waybills.valid,
    invalidWaybillNos: waybills.invalid,
    category,
    categoryScores: scores,
    ...(callbackPhone === undefined ? {} : { callbackPhone }),
    signals,
    signalKinds: kinds,
  };
}
