/**
 * Reply quality (seed 000_a1eb924360c3e548.txt 答复要素): a reply must state the basic situation,
 * the handling process (who contacted the complainant, when, how) and the result. Vague replies
 * such as “已经妥投”, “我局正常发出”, “已处理” on their own are rejected.
 */
import type { FieldIssue } from './errors.ts';
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

/** Minimum substantive length (characters, punctuation excluded) of the situation and the result. */
export const MIN_ELEMENT_CHARS = 8;

/** Every problem with a reply's three elements, each naming the field. Empty when the reply is acceptable. */
export function checkReply(reply: ReplyRequest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const element = (path: string, label: string, value: string) => {
    if (isVague(value)) {
      issues.push({ path, message: `${label}过于笼统（如“已经妥投”“已处理”），请写明具体情况 / too vague on its own` });
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
  return issues;
}
