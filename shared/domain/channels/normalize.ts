/**
 * Text and phone-number normalisation for inbound SMS / IVR content.
 *
 * Pure functions, no I/O. Everything downstream (waybill extraction, category keywords, severity cues)
 * runs on the output of {@link normalizeText}, so the rules there only need to know half-width ASCII and
 * simplified Chinese.
 */

/**
 * Traditional → simplified pairs, one character each, position by position.
 *
 * Deliberately small: the characters of the complaint keywords we match (category taxonomy of seed 002 /
 * seed 003, the escalation cues of seed 000 “重大、紧急投诉”) plus the most common characters around them.
 * Seed 003 (003_722d3150981659d8.txt) is itself written in traditional characters (郵政行業…投訴…): complaints
 * in traditional script do reach mainland lines, which is why this exists.
 * Characters whose simplified form depends on the word (乾/幹, 著, 覆, 髮…) are left out on purpose:
 * a character-level map must never turn a correct word into a wrong one.
 */
const PAIRS =
  '遺遗 丟丢 誤误 損损 壞坏 態态 郵邮 遞递 訴诉 證证 報报 體体 賠赔 償偿 還还 沒没 務务 話话 電电 聯联 ' +
  '員员 罵骂 煩烦 騷骚 擾扰 個个 資资 費费 護护 記记 訪访 協协 師师 訟讼 達达 時时 間间 簽签 驛驿 門门 ' +
  '錯错 貨货 內内 壓压 號号 碼码 單单 詢询 訂订 問问 題题 處处 緊紧 馬马 網网 點点 運运 貴贵 錢钱 麼么 ' +
  '為为 們们 樣样 說说 謝谢 幫帮 買买 賣卖 東东 發发 轉转 隱隐 騙骗 應应 該该 經经 過过 後后 見见 裡里 ' +
  '裏里 這这 對对 給给 讓让 請请 誰谁 認认 識识 實实 際际 無无 與与 專专 業业 區区 縣县 鎮镇 廣广 國国 ' +
  '開开 關关 長长 現现 產产 機机 傷伤 幾几 週周 遲迟 嚴严 權权 監监 屬属 洩泄 標标 準准 質质 滿满 錄录 ' +
  '廳厅 櫃柜 濕湿 溼湿 隨随 聽听 條条 據据 稱称 執执 勞劳 視视 臺台 紙纸 蹤踪 絡络 兇凶 搶抢 竊窃 詐诈 ' +
  '嚇吓 脅胁 額额 價价 稅税 貼贴 書书 鑰钥 寶宝 歸归 積积 險险 衆众 眾众 訊讯 軟软';

function buildMap(): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const pair of PAIRS.split(' ')) {
    const [from, to, ...rest] = [...pair];
    if (from === undefined || to === undefined || rest.length > 0) {
      // A typo in the table above; fail at import time, never on a customer's message.
      throw new Error(`bad traditional/simplified pair “${pair}”`);
    }
    map.set(from, to);
  }
  return map;
}

/** The traditional → simplified character map used by {@link toSimplified} (read-only). */
export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = buildMap();

/** Replaces the traditional characters of {@link TRADITIONAL_TO_SIMPLIFIED}; every other character is kept. */
export function toSimplified(text: string): string {
  let out = '';
  for (const ch of text) out += TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch;
  return out;
}

/**
 * Made on first use: constructing a segmenter loads ICU's break-iterator data (~9 ms, measured in the
 * `track` bundle's import profile), and only a text outside {@link PLAIN_TEXT} needs one.
 */
let graphemes: Intl.Segmenter | undefined;

/**
 * A grapheme that is (part of) an emoji: pictographs, keycaps (1️⃣), variation-selector-16 sequences and
 * flags. NFKC would otherwise rewrite some of them (㊙️ → 秘, ℹ️ → i, Ⓜ️ → M, 🈶 → 有).
 */
const EMOJI_GRAPHEME = /\p{Extended_Pictographic}|\u20E3|\uFE0F|\p{Regional_Indicator}/u;

/**
 * Characters that are each their own grapheme, a starter, outside every emoji class and without a neighbour
 * to compose with: tab, LF, printable ASCII, the middle dot, the punctuation U+2010–2027, CJK symbols
 * U+3000–301F (not the tone marks U+302A–302F nor 〰 〽), CJK Unified Ideographs, full-width ASCII
 * U+FF01–FF5E. (`test/unit/channels/normalize-fast.test.ts` checks every one against the grapheme path.)
 */
const PLAIN_TEXT = /^[\t\n\x20-\x7e\u00b7\u2010-\u2027\u3000-\u301f\u4e00-\u9fff\uff01-\uff5e]*$/;

/** Zero-width characters that only get in the way of matching (ZWJ U+200D is kept: emoji sequences need it). */
const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u00AD]/g;

/**
 * Full-width → half-width (digits, Latin letters, ASCII punctuation, the ideographic space) via NFKC,
 * applied grapheme by grapheme so that emoji are never touched and surrogate pairs are never split.
 */
export function toHalfWidth(text: string): string {
  // The common text (Han, ASCII, full-width ASCII, CJK and general punctuation): no emoji, no combining
  // mark, nothing that composes with a neighbour, so NFKC of the whole equals NFKC grapheme by grapheme.
  if (PLAIN_TEXT.test(text)) return text.normalize('NFKC');
  let out = '';
  graphemes ??= new Intl.Segmenter('zh', { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    out += EMOJI_GRAPHEME.test(segment) ? segment : segment.normalize('NFKC');
  }
  return out;
}

/** An unpaired UTF-16 surrogate half (broken text from a bad encoder); a well-formed pair is an emoji, kept. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Characters that carry no text: C0 controls but tab and newline (NUL included), DEL, C1 controls, and the
 * bidirectional overrides / isolates / marks that can make a message display differently from what it says
 * (“Trojan source”, CVE-2021-42574).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to find and strip control characters
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes any inbound string safe to store and show, never refusing it: a lone surrogate becomes U+FFFD (so an
 * agent sees that something was lost there), CR/CRLF become LF, and the characters of {@link NOT_TEXT} are
 * dropped. Everything else — Chinese, emoji, tabs, newlines — is kept as it was.
 */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/\r\n?/g, '\n').replace(NOT_TEXT, '');
}

/** Whether a (cleaned) text says anything: at least one letter or digit of any script; emoji alone do not. */
export function hasUsableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * Canonical form of a complainant's free text: {@link cleanText} first, then
 * full-width → half-width (NFKC, emoji kept intact), traditional → simplified for the keywords that matter,
 * zero-width characters removed, whitespace (newlines, U+3000 included) collapsed to one space, trimmed.
 * Letter case is kept (the text is shown to agents); matchers lower- or upper-case their own copy.
 *
 * @example normalizeText('　郵件ＥＡ１２３  遺失了😭 ') === '邮件EA123 遗失了😭'
 */
export function normalizeText(text: string): string {
  return toSimplified(toHalfWidth(cleanText(text)))
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Mainland mobile numbers (national part, after +86): 11 digits, 1 then 3–9 (all current carrier prefixes). */
export const CN_MOBILE = /^1[3-9]\d{9}$/;

// ---------------------------------------------------------------------------------------------------------
// Phone numbers. One grammar, written once over "digit tokens", gives both the pattern the intake schema
// (and from it the web form, docs/decisions/020) checks and the parser below: a number is valid for a
// complaint exactly when {@link PHONE_PATTERN} matches, everywhere (intake, SMS, IVR). docs/decisions/032.
// ---------------------------------------------------------------------------------------------------------

/** Separators people put between digits: spaces, hyphens, dots, brackets (half- and full-width). */
const SEP = '[\\s.()\\-\u2010-\u2015\uFF08\uFF09\uFF0D]*';
const FULL_WIDTH_DIGIT_OFFSET = 0xff10 - 0x30;
const fw = (d: string): string => String.fromCharCode(d.charCodeAt(0) + FULL_WIDTH_DIGIT_OFFSET);
/** One digit from `from`–`to` (half- or full-width), then any separators. */
const digit = (from = '0', to = '9'): string => `[${from === to ? `${from}${fw(from)}` : `${from}-${to}${fw(from)}-${fw(to)}`}]${SEP}`;
/** The literal digits of `s`, each followed by any separators. */
const lit = (s: string): string => [...s].map((d) => digit(d, d)).join('');
const digits = (min: number, max = min): string => `(?:${digit()}){${min}${max === min ? '' : `,${max}`}}`;

const MOBILE_G = `${lit('1')}${digit('3', '9')}${digits(9)}`;
/**
 * Area code + subscriber number, without the trunk 0: area codes are 10, 2x or three digits from 3xx–9xx,
 * subscriber numbers 7–8 digits. 400 / 800 are nationwide service numbers, not area codes.
 */
const LANDLINE_G = `(?!${lit('400')}|${lit('800')})(?:${lit('10')}|${lit('2')}${digit()}|${digit('3', '9')}${digits(2)})${digits(7, 8)}`;
/** `+` or `00` (international prefix). */
const PLUS_G = `(?:[+\uFF0B]${SEP}|${lit('00')})`;
/** Any other country: E.164, country code not starting with 0, 8–15 digits in all. */
const FOREIGN_G = `(?!${lit('86')})${digit('1', '9')}${digits(7, 14)}`;

/**
 * Every way of writing a phone number we accept for a complainant (after trimming): a mainland mobile
 * (`13800138000`, `+86 138-0013-8000`, `8613800138000`), a mainland landline **with** its area code
 * (`020-12345678`, `(020)12345678`, `0755-1234567`, `+86-20-12345678`, `+86 (0)20 …`), or an international
 * number with `+`/`00` (`+85291234567`, `+1 212 555 0100`). Half- or full-width digits and separators.
 * Refused: a bare 7–8 digit number (a landline must carry its area code), short codes and service numbers
 * (95543, 10086, 400/800…), which are never a complainant's own line.
 */
export const PHONE_PATTERN = new RegExp(
  `^${SEP}(?:${PLUS_G}(?:${lit('86')}(?:${MOBILE_G}|(?:${lit('0')})?${LANDLINE_G})|${FOREIGN_G})|(?:${lit('86')})?${MOBILE_G}|${lit('0')}${LANDLINE_G})$`,
);

/** Why a string is not a phone number, in words for a problem body (one message per shape of mistake). */
export function phoneProblem(input: string): string | undefined {
  if (PHONE_PATTERN.test(input.trim())) return undefined;
  const compact = toHalfWidth(input)
    .replace(/[^\d+]/g, '')
    .replace(/^(?:\+|00)86/, '');
  if (/^\d{7,8}$/.test(compact)) return 'a landline needs its area code, e.g. 020-12345678';
  if (/^(?:400|800)\d{7}$/.test(compact) || /^(?:95|96|10|12)\d{1,6}$/.test(compact)) return 'a service number or short code is not a complainant’s phone';
  return 'expected a mobile (13800138000), a landline with area code (020-12345678) or an international number (+85291234567)';
}

/**
 * Normalises a phone number to E.164 (`+8613800138000`, `+862012345678`, `+85291234567`): the one canonical
 * form stored and compared everywhere (repeat complaints match on it). `undefined` exactly when
 * {@link PHONE_PATTERN} does not match.
 */
export function normalizePhone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!PHONE_PATTERN.test(trimmed)) return undefined;
  // The pattern admits only digits, separators and `+` here: a plain full-width shift is enough (no NFKC).
  const half = trimmed.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const plus = /^[\s.()\-\u2010-\u2015]*\+/.test(half);
  let number = half.replace(/\D/g, '');
  if (!plus && number.startsWith('00')) number = number.slice(2);
  else if (!plus && !number.startsWith('86')) {
    // National: a mobile, or trunk 0 + area code + subscriber.
    return `+86${number.startsWith('0') ? number.slice(1) : number}`;
  }
  if (!number.startsWith('86')) return `+${number}`;
  const national = number.slice(2);
  return `+86${national.startsWith('0') ? national.slice(1) : national}`;
}

/**
 * Whether a phone number is a mainland mobile, i.e. can receive our SMS (receipts go only to mobiles).
 * Takes a canonical (E.164) number or anything {@link normalizePhone} reads.
 */
export function isMobile(phone: string | undefined): phone is string {
  if (phone === undefined) return false;
  const e164 = normalizePhone(phone);
  return e164?.startsWith('+86') === true && CN_MOBILE.test(e164.slice(3));
}
