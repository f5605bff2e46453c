/**
 * Escalation e-mails in Chinese, as pure functions of (message, complaint, directory, now).
 * SPEC "Escalation": subject = number, severity, what is overdue and by how much;
 * SPEC "Non-negotiables": phone and name masked in e-mails — the complainant's full identity never
 * leaves the console. The complainant's tracking code is their secret and is not shown either.
 */
import { assistLabel, assistTaskOf, taskIdOf } from '#domain/assist.ts';
import { findUnit, type Person, type UnitDirectory } from '#domain/directory.ts';
import { WITHDRAWAL_CONTESTED, type EscalationLevel, type EscalationMessage } from '#domain/escalation.ts';
import { maskName, maskPhone } from '#domain/ids.ts';
import { maskFreeText } from '#domain/masking.ts';
import {
  CALLBACK_WAIVER_LABELS,
  CATEGORY_LABELS,
  SEVERITY_LABELS,
  STATUS_LABELS,
  SUSPENSION_LABELS,
  type SuspensionReason,
  type Channel,
  type Complaint,
  type ComplaintEvent,
  type Deadline,
  type EventType,
  type Severity,
  type Source,
} from '#domain/model.ts';
import { LEADERS_CONFIRM, MEDIA_NOTICE } from '#domain/leader-notice.ts';
import { MILESTONE_LABELS } from '#domain/public-view.ts';
import { durationZh, shanghaiTime } from '#domain/shanghai-time.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The levels that are e-mailed to staff; `complainant` goes by SMS (`complainant-sms.ts`). */
export type MailLevel = Exclude<EscalationLevel, 'complainant'>;

export const CHANNEL_LABELS: Record<Channel, string> = {
  web: '网页',
  sms: '短信',
  ivr: '电话语音(IVR)',
  phone: '电话',
  walk_in: '现场',
  letter: '信函',
  transfer: '转办',
};

export const SOURCE_LABELS: Record<Source, string> = {
  customer: '客户直接投诉',
  external: '上级/监管部门转办',
};

export const LEVEL_LABELS: Record<EscalationLevel, string> = {
  warning: '时限预警',
  breach: '超时升级',
  quality: '超时督办',
  leaders: '重大紧急投诉通报',
  complainant: '进展告知',
};

/** Whom an e-mail of each level went to, for the history line of a sent escalation. */
const SENT_TO: Partial<Record<EscalationLevel, string>> = {
  warning: '提醒处理人',
  breach: '通报分管领导和业务运行总监',
  quality: '通报网运和质量监控部',
  leaders: '通报分管领导和业务运行总监',
};

/** The bracketed tag that opens the subject, e.g. 【投诉超时·重大】. */
const SUBJECT_TAGS: Record<MailLevel, string> = {
  warning: '投诉预警',
  breach: '投诉超时',
  quality: '超时督办',
  leaders: '重大紧急投诉',
};

/** Notice kinds that are not SLA milestones. */
const NOTICE_LABELS: Record<string, string> = {
  major_notice: '重大紧急投诉通报',
  leaders_notified: '通报分管领导',
  progress_update: '向投诉人告知进展',
  result: '向投诉人告知处理结果',
  suspension: '向投诉人告知暂结原因',
  withdrawal_contested: '撤诉非自愿',
  unit_notice: '重大紧急投诉转单位通报',
  media_notice: '媒体介入通报',
};

export const milestoneLabel = (milestone: string): string => {
  const taskId = taskIdOf(milestone);
  return taskId !== undefined ? `协办任务${taskId}` : (MILESTONE_LABELS[milestone] ?? NOTICE_LABELS[milestone] ?? milestone);
};

const MINUTE = 60_000;

/** The deadline this message is about, as the complaint has it now. */
export function deadlineOf(m: Pick<EscalationMessage, 'milestone' | 'round'>, c: Complaint): Deadline | undefined {
  return c.deadlines.find((d) => d.milestone === m.milestone && d.round === m.round);
}

/** How late (breach, quality) or how much time is left (warning), measured when the e-mail is written. */
export function timing(m: EscalationMessage, c: Complaint, now: Date): { dueAt?: string; overdueMillis: number; leftMillis: number } {
  const dueAt = m.dueAt ?? deadlineOf(m, c)?.dueAt;
  if (!dueAt) return { overdueMillis: m.overdueMillis, leftMillis: 0 };
  const delta = now.getTime() - Date.parse(dueAt);
  return { dueAt, overdueMillis: Math.max(m.overdueMillis, delta), leftMillis: Math.max(0, -delta) };
}

/** What the subject says after the complaint number. */
function headline(m: EscalationMessage & { level: MailLevel }, c: Complaint, now: Date, directory?: UnitDirectory): string {
  const what = assistLabel(c, m.milestone) ?? milestoneLabel(m.milestone);
  const t = timing(m, c, now);
  switch (m.level) {
    case 'warning':
      return `${what} 即将到期${t.leftMillis >= MINUTE ? ` 剩余${durationZh(t.leftMillis)}` : ''}`;
    case 'breach':
      return `${what} 已超时 ${durationZh(t.overdueMillis)}`;
    case 'quality':
      if (m.milestone === WITHDRAWAL_CONTESTED) return '投诉人表示撤诉非自愿，请调查';
      if (m.milestone === MEDIA_NOTICE) return '投诉涉及媒体，请立即关注';
      if (m.milestone === LEADERS_CONFIRM) return `重大紧急投诉通报超过30分钟未确认收到：${unconfirmed(m, c, directory).join('、') || '—'}`;
      return `${what} 已超时 ${durationZh(t.overdueMillis)}，超时逾1个工作日仍未办结`;
    case 'leaders':
      return `${SEVERITY_LABELS[c.severity]}投诉，请分管领导及业务运行总监知悉督办`;
  }
}

/** `【投诉超时·重大】C8KX… 答复处理意见 已超时 2小时15分` */
export function escalationSubject(m: EscalationMessage & { level: MailLevel }, c: Complaint, now: Date, directory?: UnitDirectory): string {
  return `【${SUBJECT_TAGS[m.level]}·${SEVERITY_LABELS[c.severity]}】${c.id} ${headline(m, c, now, directory)}`;
}

/** Who has not confirmed the notice of an unconfirmed-notice escalation, by name and role (decision 049). */
export function unconfirmed(m: Pick<EscalationMessage, 'milestone' | 'round'>, c: Complaint, directory: UnitDirectory | undefined): string[] {
  const awaiting = deadlineOf(m, c)?.notice?.awaiting ?? [];
  if (!directory) return awaiting;
  return awaiting.map((id) => {
    const unit = directory.units.find((u) => u.leaders.some((p) => p.id === id));
    const role = unit ? `${unit.name}分管领导` : directory.organisation.operationsDirectors.some((p) => p.id === id) ? '业务运行总监' : undefined;
    return `${personName(directory, id) ?? id}${role ? `（${role}）` : ''}`;
  });
}

/** What one recipient's copy of a leaders' notice adds: their own confirm link. */
export interface NoticeCopy {
  confirmUrl: string;
  recipientName: string;
}

const ROLE_WORDS: Record<string, string> = {
  public: '投诉人',
  system: '系统',
  agent: '客服',
  handler: '处理人',
  leader: '领导',
  quality: '质量管理',
  admin: '管理员',
};

const ATTITUDE_LABELS: Record<string, string> = { satisfied: '满意', accepted: '接受', dissatisfied: '不满意' };

/** Staff names from the directory; unknown ids stay ids (the console shows the rest). */
export function personName(directory: UnitDirectory, id: string | undefined): string | undefined {
  if (!id) return undefined;
  const people: Person[] = [
    ...directory.organisation.operationsDirectors,
    ...directory.organisation.qualityManagers,
    ...directory.units.flatMap((u) => [...u.leaders, ...u.handlers]),
  ];
  return people.find((p) => p.id === id)?.name ?? id;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Integer fen → `12.50元` (decision 059). */
const fen = (v: unknown): string => (typeof v === 'number' ? `${(v / 100).toFixed(2)}元` : '—');

/** One history line in Chinese wording (no free text: notes may carry personal data). */
export function eventWording(e: ComplaintEvent, directory: UnitDirectory): string {
  const d = e.data ?? {};
  const milestone = str(d['milestone']);
  const words: Record<EventType, () => string> = {
    received: () => `受理投诉${str(d['channel']) ? `（${CHANNEL_LABELS[d['channel'] as Channel] ?? d['channel']}）` : ''}`,
    classified: () => `定级为${SEVERITY_LABELS[d['severity'] as Severity] ?? '—'}`,
    severity_changed: () => `严重程度 ${SEVERITY_LABELS[d['from'] as Severity] ?? d['from']} → ${SEVERITY_LABELS[d['to'] as Severity] ?? d['to']}`,
    dispatched: () =>
      `${d['transfer'] ? '改派' : '转发'}至${str(d['unitName']) ?? str(d['unitId']) ?? '处理单位'}，处理人${personName(directory, str(d['handlerId'])) ?? '—'}`,
    contacted: () => (d['first'] ? '处理单位首次联系投诉人' : '处理单位联系投诉人'),
    replied: () => `处理单位答复（${d['resolved'] ? '已解决' : '未解决'}）`,
    callback_unreachable: () => '回访未接通',
    callback_recorded: () => `回访：投诉人${ATTITUDE_LABELS[String(d['attitude'])] ?? '—'}`,
    callback_waived: () => `免回访：${CALLBACK_WAIVER_LABELS[d['reason'] as keyof typeof CALLBACK_WAIVER_LABELS] ?? '—'}`,
    redispatched: () => `重处理（第${String(d['round'] ?? '?')}轮）`,
    closed: () => '办结',
    suspended: () => `暂结${SUSPENSION_LABELS[d['reason'] as SuspensionReason] ? `：${SUSPENSION_LABELS[d['reason'] as SuspensionReason]}` : ''}`,
    reopened: () => '重新受理',
    withdrawn: () => '撤诉',
    withdrawal_contested: () => '投诉人表示撤诉非自愿，投诉继续处理',
    chased: () => `投诉人催办（第${String(d['chaseCount'] ?? '?')}次）`,
    repeat_linked: () => '重复投诉，已并案',
    complaint_escalated: () => (d['via'] === 'transfer' ? '投诉升级：上级/监管部门转办' : '投诉升级：投诉人称已或将向上级/监管部门/媒体反映'),
    case_linked: () => '结案后再次投诉，已另立新单并关联',
    extension_requested: () => '处理单位申请延期',
    extension_decided: () => (d['approved'] ? '延期申请已批准' : '延期申请未批准'),
    extension_cancelled: () => '延期申请已撤销（案件状态变化）',
    deadline_extended: () => `延长时限${milestone ? `：${milestoneLabel(milestone)}` : ''}`,
    deadline_paused: () => `时限暂停${milestone ? `：${milestoneLabel(milestone)}` : ''}`,
    deadline_resumed: () => `时限恢复${milestone ? `：${milestoneLabel(milestone)}` : ''}`,
    deadline_warned: () => `时限预警${milestone ? `：${milestoneLabel(milestone)}` : ''}`,
    deadline_breached: () => `时限超时${milestone ? `：${milestoneLabel(milestone)}` : ''}`,
    // Two kinds: the SLA check's decision, and the consumer's record of what was sent (it has recipients).
    escalated: () =>
      Array.isArray(d['recipients'])
        ? `已邮件${SENT_TO[d['level'] as EscalationLevel] ?? '通报'}${milestone ? `：${milestoneLabel(milestone)}` : ''}`
        : `${LEVEL_LABELS[d['level'] as EscalationLevel] ?? '升级'}${milestone ? `：${milestoneLabel(milestone)}` : ''}`,
    leaders_notified: () => (milestone === 'unit_notice' ? '已通报新处理单位分管领导' : '已通报分管领导和业务运行总监'),
    progress_update_sent: () => '已短信告知投诉人处理进展',
    complainant_informed: () => (milestone === 'suspension' ? '已短信告知投诉人暂结原因' : '已短信告知投诉人处理结果'),
    notice_confirmed: () =>
      `${personName(directory, str(d['recipientId'])) ?? '—'}确认收到重大紧急投诉通报（${d['via'] === 'console' ? '系统内确认' : '短信/邮件链接'}）${d['late'] ? '，已超过30分钟' : ''}`,
    signed: () => `处理单位签收${d['implicit'] ? '（以联系/答复代签收）' : ''}${d['onTime'] === false ? '，已超时' : ''}`,
    returned: () => '处理单位退回，待客服中心裁定',
    return_decided: () => (d['decision'] === 'redispatch' ? '客服中心裁定退回成立，改派' : '客服中心裁定退回不成立，退回原单位处理'),
    assist_requested: () => `请${str(d['unitName']) ?? str(d['unitId']) ?? '其他单位'}协办（${str(d['taskId']) ?? ''}）`,
    assist_replied: () => `${str(d['unitId']) ?? '协办单位'}已回复协办（${str(d['taskId']) ?? ''}）`,
    assist_cancelled: () => `协办（${str(d['taskId']) ?? ''}）已取消${d['auto'] ? '（自动）' : ''}`,
    deadlines_replanned: () => `按国务院办公厅${String(d['year'] ?? '')}年节假日安排通知重算时限`,
    archived: () => `已归档（${String(d['year'] ?? '?')}年度档案）`,
    minimised: () => '保管期满，个人信息已去标识化',
    justified_determined: () => `客服中心初步界定：${d['justified'] ? '有理由投诉' : '非有理由投诉'}`,
    justified_reviewed: () => `质量管理复核：${d['justified'] ? '有理由投诉' : '非有理由投诉'}${d['overridden'] ? '（改变原界定）' : ''}`,
    rectification_noticed: () => `有理由投诉通报（${str(d['period']) ?? ''}），5天内填报分析整改表`,
    rectification_filed: () => `责任单位填报分析整改表（第${String(d['filing'] ?? '?')}次）`,
    rectification_verified: () => '质量管理确认整改',
    rectification_returned: () => '质量管理退回分析整改表，需重新填报',
    compensation_claimed: () => `收到赔偿申请（${fen(d['amountClaimedFen'])}），已受理`,
    compensation_agreed: () => `赔偿协商一致（${fen(d['amountFen'])}），7个工作日内支付`,
    compensation_paid: () => `赔偿款已支付（${fen(d['amountFen'])}）`,
  };
  return words[e.type]?.() ?? e.type;
}

function actorWording(e: ComplaintEvent, directory: UnitDirectory): string {
  if (e.actor.role === 'public' || e.actor.role === 'system') return ROLE_WORDS[e.actor.role] ?? e.actor.role;
  return personName(directory, e.actor.id) ?? e.actor.id;
}

interface Row {
  label: string;
  value: string;
}

/** The e-mail for one escalation to staff. Throws for `complainant`, which is never e-mailed. */
export function renderEscalationMail(m: EscalationMessage, c: Complaint, directory: UnitDirectory, now: Date, copy?: NoticeCopy): RenderedMail {
  if (m.level === 'complainant') throw new Error('Complainant updates go by SMS, not e-mail');
  const message = m as EscalationMessage & { level: MailLevel };
  const subject = escalationSubject(message, c, now, directory);
  // A leaders' notice names the unit it was decided for (decision 049): before dispatch, none.
  const unit = findUnit(directory, m.level === 'leaders' ? m.unitId : (m.unitId ?? c.unitId ?? c.suggestedUnitId));
  const t = timing(m, c, now);
  const deadline = deadlineOf(m, c);
  const task = assistTaskOf(c, m.milestone);
  const name = c.complainant.anonymous ? '匿名' : (maskName(c.complainant.name) ?? '—');
  const phone = maskPhone(c.complainant.phone);
  // Masked before it is cut, so that a number across the cut is still recognised (SPEC: masked in e-mails).
  const masked = Array.from(maskFreeText(c.content, c.complainant));
  const excerpt = masked.slice(0, 150).join('') + (masked.length > 150 ? '…' : '');
  const link = `${directory.organisation.consoleUrl.replace(/\/+$/, '')}/complaints/${encodeURIComponent(c.id)}`;

  const rows: Row[] = [
    { label: '投诉编号', value: c.id },
    { label: '严重程度', value: SEVERITY_LABELS[c.severity] },
    { label: '投诉类别', value: CATEGORY_LABELS[c.category] },
    { label: '受理渠道', value: `${CHANNEL_LABELS[c.channel]} · ${SOURCE_LABELS[c.source]}` },
    { label: '受理时间', value: shanghaiTime(c.createdAt) },
    { label: '邮件号', value: c.waybillNo ?? '—' },
    { label: '投诉人', value: phone ? `${name}（${phone}）` : name },
    { label: '投诉内容', value: excerpt },
    { label: task ? '协办单位' : '处理单位', value: unit?.name ?? '尚未转发' },
    { label: '处理人', value: personName(directory, c.handlerId) ?? '尚未指定' },
    { label: '当前状态', value: STATUS_LABELS[c.status] },
  ];
  // 协办 (decision 048): the assisting unit is told what it was asked and by whom; the lead unit stays responsible.
  if (task)
    rows.push({ label: '主办单位', value: findUnit(directory, c.unitId)?.name ?? '—' }, { label: '协办任务', value: maskFreeText(task.task, c.complainant) });
  if ((m.level !== 'leaders' && m.milestone !== WITHDRAWAL_CONTESTED && m.milestone !== MEDIA_NOTICE) || t.dueAt) {
    rows.push({
      label: '时限',
      // A 签收 clock is numbered by dispatch, not by handling round (decision 047).
      value: `${milestoneLabel(m.milestone)}（第${Math.max(1, m.round)}${m.milestone === 'sign' ? '次转发' : '轮'}）${t.dueAt ? `，应于 ${shanghaiTime(t.dueAt)} 前完成` : ''}${deadline?.extended ? '（已延期）' : ''}${deadline?.provisional ? '（预计：节假日安排尚未公布）' : ''}`,
    });
  }
  if (m.level === 'warning') rows.push({ label: '剩余时间', value: t.leftMillis >= MINUTE ? durationZh(t.leftMillis) : '即将到期' });
  if (m.level === 'breach' || m.level === 'quality') rows.push({ label: '超时', value: durationZh(t.overdueMillis) });
  if (m.level === 'leaders' && c.severityReasons.length > 0)
    rows.push({
      label: '定级依据',
      value: c.severityReasons
        .slice(0, 3)
        .map((r) => maskFreeText(r, c.complainant))
        .join('；'),
    });
  if (m.milestone === LEADERS_CONFIRM) rows.push({ label: '未确认收到', value: unconfirmed(m, c, directory).join('、') || '—' });
  if (m.reason && m.milestone !== LEADERS_CONFIRM) rows.push({ label: '说明', value: maskFreeText(m.reason, c.complainant) });
  if (copy) rows.push({ label: '确认收到', value: `${copy.recipientName}请点击链接确认已收到本通报（30分钟内）：${copy.confirmUrl}` });

  const recent = c.history.slice(-5).map((e) => ({ at: shanghaiTime(e.at), what: eventWording(e, directory), who: actorWording(e, directory) }));
  const intro =
    m.milestone === WITHDRAWAL_CONTESTED
      ? CONTESTED_INTRO
      : m.milestone === MEDIA_NOTICE
        ? MEDIA_INTRO
        : m.milestone === LEADERS_CONFIRM
          ? UNCONFIRMED_INTRO
          : INTRO[message.level];
  const footer = '本邮件由投诉闭环系统自动发送，请勿直接回复。投诉人个人信息已脱敏，完整信息请在系统中查看。';

  const text = [
    subject,
    '',
    intro,
    '',
    ...rows.map((r) => `${r.label}：${r.value}`),
    '',
    '最近处理记录：',
    ...recent.map((r) => `  ${r.at}  ${r.what}（${r.who}）`),
    '',
    `在系统中处理：${link}`,
    '',
    footer,
    '',
  ].join('\n');

  const html = [
    '<!DOCTYPE html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; font-size: 14px; color: #222;">',
    `<h2 style="font-size: 16px;">${escapeHtml(subject)}</h2>`,
    `<p>${escapeHtml(intro)}</p>`,
    '<table cellpadding="4" cellspacing="0" border="1" style="border-collapse: collapse;">',
    ...rows.map((r) => `<tr><th align="left" style="white-space: nowrap;">${escapeHtml(r.label)}</th><td>${escapeHtml(r.value)}</td></tr>`),
    '</table>',
    '<h3 style="font-size: 14px;">最近处理记录</h3>',
    '<ul>',
    ...recent.map((r) => `<li>${escapeHtml(r.at)} ${escapeHtml(r.what)}（${escapeHtml(r.who)}）</li>`),
    '</ul>',
    ...(copy ? [`<p><a href="${escapeHtml(copy.confirmUrl)}">确认已收到本通报</a></p>`] : []),
    `<p><a href="${escapeHtml(link)}">在系统中处理此投诉</a></p>`,
    `<p style="color: #888; font-size: 12px;">${escapeHtml(footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');

  return { subject, text, html };
}

/** Seed 000: major/urgent complaints are notified to the unit's leader and the operations director within 30 min. */
const INTRO: Record<MailLevel, string> = {
  warning: '以下投诉的处理时限即将到期，请抓紧处理。',
  breach: '以下投诉已超过处理时限，请分管领导和业务运行总监督促处理单位立即处理。',
  quality: '以下投诉超过处理时限逾1个工作日仍未办结，请网运和质量监控部督办。',
  leaders: '以下投诉已定为重大/紧急投诉，按规定须在下单后30分钟内通知分管领导和业务运行总监，请知悉并督办。',
};

/** Seed 000 五3(3): media involvement is reported to the quality department at once. */
const MEDIA_INTRO = '以下投诉涉及媒体（投诉人扬言曝光或媒体已介入），按规定须立即报告网运和质量监控部，请关注并指导处理。';

/** Seed 000 五3(1) 要确认已收到: a notice nobody confirmed within 30 minutes goes to the quality department. */
const UNCONFIRMED_INTRO = '以下重大/紧急投诉已通报分管领导和业务运行总监，但超过30分钟仍有人未确认收到，请网运和质量监控部督促。';

/** Seed 004 (撤诉须经投诉人确认系自愿): a withdrawal the complainant did not want is investigated, not filed. */
const CONTESTED_INTRO = '处理过程中有撤诉申请，但投诉人表示并非自愿撤诉。投诉未撤销、继续处理，请网运和质量监控部调查是否存在施压撤诉情况。';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}
