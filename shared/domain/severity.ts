/**
 * Severity rules (SPEC "Classification", seed 000_a1eb924360c3e548.txt 重大、紧急投诉): major/urgent when
 * the complainant threatens a regulator or an upper level (12315/12305/12345, 信访/上访, 省公司, 集团公司,
 * 市长热线), the police, the media (曝光, 发到网上) or court; wide or group impact (邻居的件也一样); a key
 * account (我是你们的大客户); strong dissatisfaction (非常不满意, 太差劲), above all when it demands an
 * immediate answer; urgent content (ID papers, certificates, valuables); an external source; a high
 * declared value. Rules only see what text can show; an agent can raise or lower the result with a reason.
 *
 * This is the ONE vocabulary of severity cues: web, staff, SMS and IVR intake all classify with
 * {@link assessSeverity}, and the SMS/IVR reader reports its cues from {@link SEVERITY_CUES} too.
 * Text is matched after {@link normalizeText} (full-width → half-width, traditional → simplified).
 */
import { normalizeText } from './channels/normalize.ts';
import { findCues, kw, rx, type Cue } from './cues.ts';
import type { Severity, Source } from './model.ts';
import { severityRank } from './model.ts';

/** Kinds of severity cue, each with the severity it implies (seed 000 重大、紧急投诉 (1)–(6)). */
export const CUE_KINDS = {
  regulator: { severity: 'urgent', label: '扬言向监管部门/上级申诉' },
  police: { severity: 'urgent', label: '扬言报警' },
  media: { severity: 'urgent', label: '扬言曝光/媒体介入' },
  court: { severity: 'urgent', label: '扬言起诉/法律途径' },
  urgent_content: { severity: 'urgent', label: '紧急内件（证件、证书、急用物品）' },
  immediate_answer: { severity: 'urgent', label: '强烈不满，要求立即答复' },
  strong_dissatisfaction: { severity: 'major', label: '强烈不满' },
  group_impact: { severity: 'major', label: '影响面广/群体投诉' },
  key_account: { severity: 'major', label: '重要客户/大客户' },
  valuables: { severity: 'major', label: '贵重物品' },
} as const satisfies Record<string, { severity: Extract<Severity, 'major' | 'urgent'>; label: string }>;
export type CueKind = keyof typeof CUE_KINDS;

const words = <K extends CueKind>(kind: K, list: readonly string[]): Cue<K>[] => list.map((k) => kw(kind, k));

/**
 * The vocabulary. Hotline numbers need digit boundaries, so a waybill containing “12345” is no regulator
 * threat; “110” needs a verb (打110), so “运费110元太贵了” is not the police. Bare “急”/“着急” are left out on
 * purpose: nearly every complainant is in a hurry; the seed's urgency is about what the item is (证照, 急用).
 */
export const SEVERITY_CUES: readonly Cue<CueKind>[] = [
  ...['12305', '12345', '12315', '12366'].map((n) => rx('regulator' as const, n, new RegExp(`(?<!\\d)${n}(?!\\d)`))),
  ...words('regulator', [
    '信访',
    '上访',
    '邮政管理局',
    '邮管局',
    '国家邮政局',
    '消协',
    '消费者协会',
    '市长热线',
    '市长信箱',
    '政府热线',
    '市场监管',
    '工商局',
    '监管部门',
    '上级部门',
    '省公司',
    '集团公司',
    '总公司',
    '总部',
  ]),
  rx('regulator', '向上级', /(?:向|找|到|去)上级/),
  ...words('regulator', ['regulator', 'state post bureau', 'consumer association', 'ombudsman', 'head office', 'headquarters']),
  ...words('police', ['报警', '报案', '警察', '派出所', '公安']),
  rx('police', '110', /(?:打|拨打?|找|叫|call)\s*110(?!\d)/),
  ...words('police', ['police', 'cops']),
  ...words('media', ['媒体', '记者', '曝光', '微博', '抖音', '小红书', '电视台', '报社', '上新闻', '热搜', '发朋友圈']),
  rx('media', '发到网上', /(?:发|挂|放|传)(?:到|在|上)?网上|网上(?:发|曝|挂)/),
  ...words('media', ['media', 'journalist', 'reporter', 'newspaper', 'weibo', 'douyin', 'tiktok', 'go public', 'social media', 'post it online']),
  ...words('court', ['起诉', '法院', '律师', '诉讼', '打官司', '法律途径', '告你们']),
  ...words('court', ['court', 'lawyer', 'attorney', 'sue', 'lawsuit', 'legal action']),
  ...words('urgent_content', [
    '证件',
    '身份证',
    '护照',
    '户口本',
    '驾驶证',
    '通行证',
    '毕业证',
    '学位证',
    '录取通知书',
    '准考证',
    '证书',
    '证照',
    '签证',
    '合同原件',
    '公章',
    '银行卡',
    '药品',
    '药物',
    '急用',
    '急需',
    '急件',
    '加急',
  ]),
  ...words('urgent_content', ['passport', 'id card', 'certificate', 'visa', 'medicine']),
  ...words('immediate_answer', ['马上', '立刻', '立即', '今天必须', '限你', '非常愤怒', '极其不满', '忍无可忍', '紧急']),
  ...words('immediate_answer', ['immediately', 'right now', 'asap', 'urgent', 'furious']),
  ...words('strong_dissatisfaction', ['非常不满', '很不满意', '十分不满', '特别不满', '强烈不满', '太差劲', '差劲', '太差了', '太过分', '气愤', '垃圾服务']),
  ...words('strong_dissatisfaction', ['very dissatisfied', 'terrible service', 'unacceptable', 'disgusting', 'outrageous']),
  ...words('group_impact', ['很多人', '大家都', '集体', '群体', '整个小区', '整栋楼', '好几个人', '多人', '一批']),
  rx('group_impact', '邻居/别人也', /(?:邻居|隔壁|楼上|楼下|同事|别人|其他人|好多人)(?:家)?的?(?:件|快递|包裹|邮件)?(?:也|都)/),
  ...words('group_impact', ['everyone', 'many customers', 'whole building', 'neighbours', 'neighbors', 'all of us']),
  ...words('key_account', ['大客户', '重要客户', '协议客户', '月结客户', 'vip']),
  ...words('key_account', ['key account', 'big customer', 'major customer']),
  ...words('valuables', ['贵重', '金饰', '黄金', '首饰', '手表', '名表', '现金', '珠宝', '钻戒']),
  ...words('valuables', ['jewel', 'jewelry', 'jewellery', 'gold', 'cash']),
];

/** One cue found in a text: its kind and the keyword, in text order. */
export interface CueFound {
  kind: CueKind;
  keyword: string;
}

/** The severity cues of a text, in text order, unique by kind + keyword; negation is not understood. */
export function findSeverityCues(text: string): CueFound[] {
  const hits = findCues(normalizeText(text).toLowerCase(), SEVERITY_CUES);
  const seen = new Set<string>();
  const found: CueFound[] = [];
  for (const hit of hits) {
    const id = `${hit.cue.key}:${hit.cue.label}`;
    if (seen.has(id)) continue;
    seen.add(id);
    found.push({ kind: hit.cue.key, keyword: hit.cue.label });
  }
  return found;
}

/** Declared values at or above this (CNY) make a complaint major (seed 000: valuables). */
export const HIGH_VALUE_CNY = 2000;

export interface SeverityInput {
  content: string;
  demand?: string;
  source: Source;
  declaredValue?: number;
  keyAccount?: boolean;
}

export interface SeverityAssessment {
  severity: Severity;
  /** One per kind found, `kind: label（keywords）`, e.g. `regulator: 扬言向监管部门/上级申诉（12345）`. */
  reasons: string[];
}

/** Apply every cue; the highest severity wins and every kind found is kept as a reason. */
export function assessSeverity(input: SeverityInput): SeverityAssessment {
  const byKind = new Map<CueKind, string[]>();
  for (const { kind, keyword } of findSeverityCues(`${input.content}\n${input.demand ?? ''}`)) {
    byKind.set(kind, [...(byKind.get(kind) ?? []), keyword]);
  }
  const hits: { severity: Severity; reason: string }[] = [...byKind].map(([kind, keywords]) => ({
    severity: CUE_KINDS[kind].severity,
    reason: `${kind}: ${CUE_KINDS[kind].label}（${keywords.join('、')}）`,
  }));
  if (input.source === 'external') hits.push({ severity: 'major', reason: 'external_source: 上级/监管部门转办' });
  if (input.keyAccount && !byKind.has('key_account')) hits.push({ severity: 'major', reason: 'key_account: 重要客户/敏感客户' });
  if ((input.declaredValue ?? 0) >= HIGH_VALUE_CNY) {
    hits.push({ severity: 'major', reason: `high_value: 声明价值 ≥ ${HIGH_VALUE_CNY} 元` });
  }
  const severity = hits.reduce<Severity>((max, h) => (severityRank(h.severity) > severityRank(max) ? h.severity : max), 'general');
  return { severity, reasons: hits.map((h) => h.reason) };
}
