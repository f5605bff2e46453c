/**
 * Reply quality (seed 000_a1eb924360c3e548.txt 答复要素): a reply must state the basic situation,
 * the handling process (who contacted the complainant, when, how) and the result. Vague replies
 * such as “已经妥投”, “我局正常发出”, “已处理” are rejected, on their own and inside a longer text that
 * adds no fact (“经查该邮件已经妥投，客户应该是忘了”). When a loss/delay/non-delivery reply says the item
 * was delivered it must carry the delivery facts (seed 000 回复要素(2): time, method, signer and
 * relation), and an unresolved reply promises the time of the next contact (seed 000 五1(1)).
 */
import type { FieldIssue } from './errors.ts';
import type { Category } from './model.ts';
import type { ReplyRequest } from './schemas.ts';

/** Phrases that say nothing on their own. Matched after removing punctuation and spaces. */
export const VAGUE_PHRASES: readonly string[] = [
  '已经妥投',
  '已妥投',
  '妥投',
  '我局正常发出',
  '正常发出',
  '已正常发出',
  '已处理',
  '已经处理',
  '处理完毕',
  '已处理完毕',
  '已解决',
  '已经解决',
  '已联系',
  '已联系客户',
  '已回复',
  '已答复',
  '按规定处理',
  '正常',
  '无异常',
  '情况属实',
  '不属实',
  '已核实',
  '已投递',
  '已签收',
  'done',
  'handled',
  'resolved',
  'delivered',
  'ok',
];

const PUNCTUATION = /[\s\p{P}\p{S}]/gu;
const normalise = (s: string): string => s.replace(PUNCTUATION, '').toLowerCase();

/** True when the text is nothing but one or more vague phrases (e.g. “已处理。已妥投！”). */
export function isVague(text: string): boolean {
  let rest = normalise(text);
  if (rest.length === 0) return true;
  // Strip vague phrases, longest first, until nothing or something substantive remains.
  const phrases = [...VAGUE_PHRASES].sort((a, b) => b.length - a.length).map(normalise);
  let changed = true;
  while (changed && rest.length > 0) {
    changed = false;
    for (const p of phrases) {
      if (rest.startsWith(p)) {
        rest = rest.slice(p.length);
        changed = true;
      }
    }
    // Filler words that often join vague phrases: 我局/该邮件/此件/经查.
    const filler = rest.match(/^(?:我局|我部|我司|该邮件|该件|此件|邮件|经查|经核实|已经|均|并|且|和)/u);
    if (filler) {
      rest = rest.slice(filler[0].length);
      changed = true;
    }
  }
  return rest.length === 0;
}

/** Says the item was delivered: 妥投, 已投递, 已签收, 送达, delivered — not when negated (未妥投, 没有签收). */
const SAYS_DELIVERED = /(?<![未没无不]|没有|尚未|并未)(?:妥投|投递成功|已投递|已经投递|签收|送达|投交|delivered)/iu;

/**
 * A fact a vague phrase needs beside it (seed 000 回复要素(2) “事实描述应客观、准确”): a time or date, a
 * quantity, a person or place of the handover, a concrete step taken. Speculation (“应该是忘了”) is none.
 */
const FACT =
  /\d{1,2}[:：]\d{2}|\d{1,4}\s*(?:年|月|日|号|时|点|分|天|小时|次|件|元|公斤|kg|克|米)|[一二三四五六七八九十两]+\s*(?:天|小时|次|件|元|日|号|点)|上午|下午|晚上|中午|凌晨|本人|家属|家人|同事|门卫|保安|物业|前台|传达室|收发室|驿站|代投点|代收点|快递柜|快件箱|丰巢|信报箱|信箱|签收人|代签|投递员|快递员|揽收员|营业员|监控|录像|轨迹|扫描|称重|总包|路单|验单|补发|重新投递|改派|赔偿|退还|退款|道歉|致歉|上门|约定|\d{5,}/u;

/** Vague phrases present anywhere in a text (after removing punctuation and spaces). */
function containsVague(text: string): boolean {
  const flat = normalise(text);
  return VAGUE_PHRASES.some((p) => p.length >= 2 && /\p{Script=Han}/u.test(p) && flat.includes(normalise(p)));
}

/** A vague phrase with no fact anywhere beside it: the whole element says nothing checkable. */
export function isVagueInContext(text: string): boolean {
  return isVague(text) || (containsVague(text) && !FACT.test(text));
}

/** Categories where “it was delivered” is the unit's answer to the complaint itself (loss, delay, non-delivery). */
export const DELIVERY_FACT_CATEGORIES: readonly Category[] = ['loss', 'delay', 'wrong_delivery', 'notification'];

/** Clock skew tolerated for times staff report (a phone a little ahead). */
const SKEW_MS = 2 * 60_000;

export interface ReplyContext {
  /** The complaint's category: decides whether “delivered” needs the delivery facts. */
  category?: Category;
  /** Now, to check that delivery lies in the past and the promised next contact in the future. */
  now?: Date;
}

/** Minimum substantive length (characters, punctuation excluded) of the situation and the result. */
export const MIN_ELEMENT_CHARS = 8;

/** Every problem with a reply's three elements, each naming the field. Empty when the reply is acceptable. */
export function checkReply(reply: ReplyRequest, context: ReplyContext = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const element = (path: string, label: string, value: string) => {
    if (isVague(value)) {
      issues.push({ path, message: `${label}过于笼统（如“已经妥投”“已处理”），请写明具体情况 / too vague on its own` });
    } else if (isVagueInContext(value)) {
      issues.push({ path, message: `${label}只有笼统的说法（如“已经妥投”），没有可核实的事实（时间、方式、人员）/ a vague phrase with no fact beside it` });
    } else if (Array.from(normalise(value)).length < MIN_ELEMENT_CHARS) {
      issues.push({ path, message: `${label}至少 ${MIN_ELEMENT_CHARS} 个字 / too short to be a real account` });
    }
  };
  element('situation', '基本情况', reply.situation);
  element('process.summary', '处理过程', reply.process.summary);
  element('result.summary', '处理结果', reply.result.summary);
  if (isVague(reply.process.contactedBy)) {
    issues.push({ path: 'process.contactedBy', message: '请写明联系投诉人的工作人员 / name who contacted the complainant' });
  }
  const now = context.now?.getTime();
  const saysDelivered = [reply.situation, reply.process.summary, reply.result.summary].some((t) => SAYS_DELIVERED.test(t));
  if (saysDelivered && context.category !== undefined && DELIVERY_FACT_CATEGORIES.includes(context.category) && !reply.delivery) {
    issues.push({
      path: 'delivery',
      message: '答复称邮件已妥投，请填写投递时间、投递方式、签收人及与收件人关系（seed 000 回复要素(2)）/ delivery facts required',
    });
  }
  if (reply.delivery && now !== undefined && Date.parse(reply.delivery.deliveredAt) > now + SKEW_MS) {
    issues.push({ path: 'delivery.deliveredAt', message: '投递时间不能晚于现在 / cannot be in the future' });
  }
  if (!reply.result.resolved && reply.result.nextContactAt === undefined) {
    issues.push({ path: 'result.nextContactAt', message: '问题尚未解决，请写明下次联系投诉人的时间（seed 000 五1(1)）/ promise the next contact' });
  }
  if (reply.result.nextContactAt !== undefined && now !== undefined && Date.parse(reply.result.nextContactAt) <= now) {
    issues.push({ path: 'result.nextContactAt', message: '下次联系时间应在将来 / must be in the future' });
  }
  return issues;
}
