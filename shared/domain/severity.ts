/**
 * Severity rules (SPEC "Classification", seed 000_a1eb924360c3e548.txt 重大、紧急投诉):
 * major/urgent when the complainant threatens a regulator, the police, the media or court; wide
 * or group impact; a key account; strong dissatisfaction demanding an immediate answer; urgent
 * content (ID papers, certificates, valuables); an external (transferred) source; a high declared value.
 * Rules only see what text can show; an agent can raise or lower the result with a reason.
 */
import type { Severity, Source } from './model.ts';
import { severityRank } from './model.ts';

export interface SeverityRule {
  id: string;
  label: string;
  severity: Extract<Severity, 'major' | 'urgent'>;
  pattern: RegExp;
}

/**
 * Keyword rules, Chinese and English. `urgent` where time matters (threats of escalation outside,
 * documents someone needs now); `major` for the rest of seed 000's list. Both share the short limits.
 */
export const SEVERITY_RULES: readonly SeverityRule[] = [
  {
    id: 'regulator',
    label: '扬言向监管部门/上级申诉',
    severity: 'urgent',
    pattern: /(?<!\d)(?:12305|12345|12315)(?!\d)|信访|邮政管理局|邮管局|市场监管|消协|消费者协会|上级部门|国家邮政局|regulator|ombudsman|consumer association/iu,
  },
  { id: 'police', label: '扬言报警', severity: 'urgent', pattern: /报警|报案|(?<!\d)110(?!\d)|警察|公安|派出所|\bpolice\b/iu },
  {
    id: 'media',
    label: '扬言曝光/媒体',
    severity: 'urgent',
    pattern: /媒体|记者|曝光|电视台|报社|微博|抖音|小红书|网上发|\bmedia\b|journalist|newspaper|go public/iu,
  },
  { id: 'court', label: '扬言起诉', severity: 'urgent', pattern: /起诉|法院|律师|打官司|诉讼|\bcourt\b|lawyer|\bsue\b|lawsuit/iu },
  {
    id: 'urgent_content',
    label: '紧急内件（证件、证书、贵重物品）',
    severity: 'urgent',
    pattern: /身份证|护照|证件|通行证|驾驶证|户口本|录取通知书|准考证|毕业证|学位证|证书|合同原件|公章|银行卡|药品|急用|passport|\bID card\b|certificate|visa/iu,
  },
  {
    id: 'immediate_answer',
    label: '强烈不满，要求立即答复',
    severity: 'urgent',
    pattern: /马上|立刻|立即|今天必须|限你|非常愤怒|极其不满|忍无可忍|immediately|right now|furious/iu,
  },
  {
    id: 'group_impact',
    label: '影响面广/群体投诉',
    severity: 'major',
    pattern: /很多人|大家都|集体|群体|整个小区|整栋楼|好几个人|一批|多人|everyone|many customers|whole building/iu,
  },
  { id: 'valuables', label: '贵重物品', severity: 'major', pattern: /贵重|金饰|黄金|首饰|手表|名表|现金|珠宝|jewel|gold|cash/iu },
];

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
  reasons: string[];
}

/** Apply every rule; the highest severity wins and every hit is kept as a reason. */
export function assessSeverity(input: SeverityInput): SeverityAssessment {
  const text = `${input.content}\n${input.demand ?? ''}`;
  const hits: { severity: Severity; reason: string }[] = [];
  for (const rule of SEVERITY_RULES) {
    if (rule.pattern.test(text)) hits.push({ severity: rule.severity, reason: `${rule.id}: ${rule.label}` });
  }
  if (input.source === 'external') hits.push({ severity: 'major', reason: 'external_source: 上级/监管部门转办' });
  if (input.keyAccount) hits.push({ severity: 'major', reason: 'key_account: 重要客户/敏感客户' });
  if ((input.declaredValue ?? 0) >= HIGH_VALUE_CNY) {
    hits.push({ severity: 'major', reason: `high_value: 声明价值 ≥ ${HIGH_VALUE_CNY} 元` });
  }
  const severity = hits.reduce<Severity>((max, h) => (severityRank(h.severity) > severityRank(max) ? h.severity : max), 'general');
  return { severity, reasons: hits.map((h) => h.reason) };
}
