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

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * A grapheme that is (part of) an emoji: pictographs, keycaps (1️⃣), variation-selector-16 sequences and
 * flags. NFKC would otherwise rewrite some of them (㊙️ → 秘, ℹ️ → i, Ⓜ️ → M, 🈶 → 有).
 */
const EMOJI_GRAPHEME = /\p{Extended_Pictographic}|\u20E3|\uFE0F|\p{Regional_Indicator}/u;

/** Zero-width characters that only get in the way of matching (ZWJ U+200D is kept: emoji sequences need it). */
const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u00AD]/g;

/**
 * Full-width → half-width (digits, Latin letters, ASCII punctuation, the ideographic space) via NFKC,
 * applied grapheme by grapheme so that emoji are never touched and surrogate pairs are never split.
 */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    out += EMOJI_GRAPHEME.test(segment) ? segment : segment.normalize('NFKC');
  }
  return out;
}

/**
 * Canonical form of a complainant's free text:
 * full-width → half-width (NFKC, emoji kept intact), traditional → simplified for the keywords that matter,
 * zero-width characters removed, whitespace (newlines, U+3000 included) collapsed to one space, trimmed.
 * Letter case is kept (the text is shown to agents); matchers lower- or upper-case their own copy.
 *
 * @example normalizeText('　郵件ＥＡ１２３  遺失了😭 ') === '邮件EA123 遗失了😭'
 */
export function normalizeText(text: string): string {
  return toSimplified(toHalfWidth(text)).replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/** Mainland mobile numbers: 11 digits, 1 then 3–9 (all current carrier prefixes). */
export const CN_MOBILE = /^1[3-9]\d{9}$/;

/**
 * Normalises a phone number to E.164.
 *
 * Accepts `+8613800138000`, `008613800138000`, `8613800138000`, `13800138000`, `138 0013 8000`,
 * `138-0013-8000`, full-width digits, landlines with trunk prefix (`010-12345678` → `+861012345678`) and
 * any other E.164 number written with `+` or `00` (`+85291234567`). Returns `undefined` for anything else
 * (short codes such as 95543 or 10690000, words, too short or too long).
 */
export function normalizePhone(input: string): string | undefined {
  const compact = toHalfWidth(input).replace(/[\s\-().]/g, '');
  let international: string | undefined;
  if (/^\+\d+$/.test(compact)) international = compact.slice(1);
  else if (/^00\d+$/.test(compact)) international = compact.slice(2);

  if (international !== undefined) {
    if (international.startsWith('86')) return normalizeNational(international.slice(2));
    // E.164: country code + subscriber number, at most 15 digits, never starting with 0.
    return /^[1-9]\d{6,14}$/.test(international) ? `+${international}` : undefined;
  }
  if (!/^\d+$/.test(compact)) return undefined;
  // 86 + mobile written without '+' (13 digits): common in carrier payloads.
  if (/^861[3-9]\d{9}$/.test(compact)) return `+${compact}`;
  if (CN_MOBILE.test(compact)) return `+86${compact}`;
  // Landline: trunk 0 + area code (2–3 digits, not starting with 0) + subscriber number (7–8 digits).
  if (/^0[1-9]\d{8,10}$/.test(compact)) return `+86${compact.slice(1)}`;
  return undefined;
}

/** The part after +86 / 0086: a mobile, or a landline written with or without the trunk 0. */
function normalizeNational(national: string): string | undefined {
  if (CN_MOBILE.test(national)) return `+86${national}`;
  const landline = national.startsWith('0') ? national.slice(1) : national;
  // Area code (2–3 digits, not starting with 0) + subscriber number (7–8 digits); an 11-digit number
  // starting with 1 that is not a mobile is not a landline either (Beijing 10 + 8 digits is 10 long).
  if (/^[1-9]\d{8,10}$/.test(landline) && !(landline.length === 11 && landline.startsWith('1'))) {
    return `+86${landline}`;
  }
  return undefined;
}
