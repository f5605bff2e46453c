/**
 * Every command form, one table row each: the route it posts to, the permission (shared/domain/access.ts)
 * and the statuses it is allowed from (ALLOWED_FROM in shared/domain/lifecycle.ts), both compiled in
 * from the server's source, and its fields. Field names are body paths ("process.contactedAt"), the
 * same paths the server's problem+json `errors[].path` names, so a problem lands beside its field.
 * A command whose route is not deployed (not in the route table) is not offered.
 */
import shared from 'virtual:shared';
import { ExtensionAsk, ExtensionDecision } from '#domain/extension-schemas.ts';
import { directoryUnits } from './directory.ts';
import { t } from './i18n.ts';

export type FieldKind = 'text' | 'textarea' | 'select' | 'datetime' | 'bool' | 'number';
export type Values = Record<string, string>;

export interface Field {
  name: string;
  label: () => string;
  kind: FieldKind;
  options?: () => [string, string][];
  required?: boolean;
  hint?: () => string;
  /** Shown (and sent) only when this holds for the form's values. */
  when?: (v: Values) => boolean;
  /** A body path this field stands for when the server names it (the "delivered" switch for `delivery`). */
  covers?: string;
  /** Initial value from the complaint. */
  initial?: (c: ComplaintLike) => string;
  /** A path parameter (`{taskId}` of the route), never sent in the body. */
  inPath?: boolean;
}

export interface ComplaintLike {
  id: string;
  status: string;
  unitId?: string;
  handlerId?: string;
  suggestedUnitId?: string;
  signedAt?: string;
  dispatchCount?: number;
  severity: string;
  /** 协办 tasks (decision 048). */
  assists?: { id: string; unitId: string; status: string }[];
  /** 有理由投诉 and 分析整改 (decision 058), the claim (decision 059). */
  determination?: { round: number };
  rectification?: { status: string };
  claim?: { agreement?: unknown; payment?: unknown };
  /** 延期申请 (decision 069) and the reply limit it asks to move. */
  extensionRequest?: { status: string; reason?: string; requestedDueAt?: string };
  round?: number;
  deadlines?: { milestone: string; round: number; dueAt: string; extended?: unknown }[];
}

/** The request body's problems before it is sent, by body path (a shared zod schema, so the client and the server cannot drift). */
export type ClientCheck = (body: Record<string, unknown>) => Record<string, string>;

export interface CommandSpec {
  id: string;
  /** The permission in access.ts; `roles` for a route that checks its caller itself. */
  action?: keyof typeof shared.permissions;
  roles?: string[];
  /** Statuses from ALLOWED_FROM; `statuses` when the command is not in the lifecycle table. */
  lifecycle?: keyof typeof shared.allowedFrom;
  statuses?: string[];
  route: string;
  label: () => string;
  fields: Field[];
  /** Extra availability rule (e.g. 签收 only while unsigned). */
  available?: (c: ComplaintLike) => boolean;
  /** A keyboard shortcut that opens this form (see the help). */
  key?: string;
  /** Sent with every submit of this form, beside the fields (`approve: true` of the approval). */
  fixed?: Record<string, unknown>;
  /** Checked before sending: the server's own schema of the body. */
  check?: ClientCheck;
}

const pairs = (labels: Record<string, string>): [string, string][] => Object.entries(labels);
const CONTACT_LABELS: Record<string, [string, string]> = {
  phone: ['电话', 'Phone'],
  sms: ['短信', 'SMS'],
  visit: ['上门', 'Visit'],
  email: ['电子邮件', 'E-mail'],
  wechat: ['微信', 'WeChat'],
  letter: ['信函', 'Letter'],
  other: ['其他', 'Other'],
};
const contactMethods = (): [string, string][] => shared.contactMethods.map((m) => [m, t(...(CONTACT_LABELS[m] ?? [m, m]))]);
const RELATION_LABELS: Record<string, [string, string]> = {
  addressee: ['收件人本人', 'Addressee'],
  family: ['家属', 'Family'],
  colleague: ['同事', 'Colleague'],
  reception: ['单位收发/传达室', 'Reception'],
  property: ['物业', 'Property office'],
  agent_point: ['代投点', 'Agent point'],
  locker: ['智能快件箱', 'Locker'],
  neighbour: ['邻居', 'Neighbour'],
  other: ['其他', 'Other'],
};
const LIABILITY_LABELS: Record<string, [string, string]> = {
  unit: ['本单位', 'The unit'],
  staff: ['员工个人', 'A staff member'],
  sender: ['寄件人', 'Sender'],
  recipient: ['收件人', 'Recipient'],
  third_party: ['第三方', 'Third party'],
  force_majeure: ['不可抗力', 'Force majeure'],
  none: ['无责任', 'None'],
  undetermined: ['待定', 'Undetermined'],
};
/** The first open 协办 task of a complaint, for the answer and cancel forms. */
const openTask = (c: ComplaintLike): string => c.assists?.find((a) => a.status === 'open')?.id ?? '';
const hasOpenTask = (c: ComplaintLike): boolean => openTask(c) !== '';
/** 延期申请 (decision 069): the current round's reply limit, and whether a request waits for the leader. */
const replyLimit = (c: ComplaintLike) => c.deadlines?.find((d) => d.milestone === 'reply' && d.round === (c.round ?? 1));
const extensionOpen = (c: ComplaintLike): boolean => c.extensionRequest?.status === 'open';
/** The zod issues of a body as messages by path (the same dotted paths as the server's `errors[].path`). */
function schemaCheck(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }): ClientCheck {
  return (body) => {
    const parsed = schema.safeParse(body);
    const out: Record<string, string> = {};
    for (const issue of parsed.success ? [] : (parsed.error?.issues ?? [])) {
      const path = issue.path.map(String).join('.');
      out[path] ??= issue.message;
    }
    return out;
  };
}
const decisionForm = (approve: boolean): CommandSpec => ({
  id: approve ? 'approve-extension' : 'refuse-extension',
  action: 'extension_decision',
  lifecycle: 'extension_decision',
  route: 'POST /complaints/{id}/extension-decision',
  label: () => (approve ? t('批准延期申请', 'Approve the extension request') : t('不批准延期申请', 'Refuse the extension request')),
  available: extensionOpen,
  fixed: { approve },
  check: schemaCheck(ExtensionDecision),
  fields: [
    {
      name: 'reason',
      label: () => (approve ? t('批准意见（处理人可见）', 'Comment (shown to the handler)') : t('不批准理由（处理人可见）', 'Reason (shown to the handler)')),
      kind: 'textarea',
      required: true,
    },
  ],
});
const GROUND_LABELS: Record<string, [string, string]> = {
  our_fault: ['属我方过错或责任', 'Our fault'],
  uncooperative_unit: ['单位不配合、延误处理导致投诉升级', 'Unit failed to cooperate or delayed'],
  not_justified: ['非有理由投诉', 'Not justified'],
};
const rectificationIs =
  (...statuses: string[]) =>
  (c: ComplaintLike): boolean =>
    c.rectification !== undefined && statuses.includes(c.rectification.status);
/** One measure of the 分析整改表: what, who, by when (the first of each list; the API takes up to 10). */
const measureFields = (list: 'corrective' | 'preventive', label: [string, string]): Field[] => [
  area(`${list}.0.measure`, () => t(label[0], label[1])),
  text(`${list}.0.owner`, () => t('责任人', 'Owner')),
  text(`${list}.0.dueOn`, () => t('完成日期', 'Due on'), { hint: () => 'YYYY-MM-DD' }),
];
/** The runtime directory's units and handlers (console/src/directory.ts): empty until `GET /directory` has answered. */
const units = (): [string, string][] => directoryUnits().map((u) => [u.id, u.name]);
const handlersOf = (unitId: string | undefined): [string, string][] =>
  (directoryUnits().find((u) => u.id === unitId)?.handlers ?? []).map((h) => [h.id, h.name]);
const nowLocal = (): string => toLocalInput(new Date());

/** `<input type="datetime-local">` value in Beijing time (the seeds' clock). */
export function toLocalInput(d: Date): string {
  const shifted = new Date(d.getTime() + 8 * 3_600_000);
  return shifted.toISOString().slice(0, 16);
}
/** Back from Beijing wall time to an instant. */
export const fromLocalInput = (v: string): string => new Date(`${v}:00+08:00`).toISOString();

const text = (name: string, label: () => string, extra: Partial<Field> = {}): Field => ({ name, label, kind: 'text', required: true, ...extra });
const area = (name: string, label: () => string, extra: Partial<Field> = {}): Field => ({ name, label, kind: 'textarea', required: true, ...extra });

/** Handler choices follow the unit chosen in the same form. */
export function optionsOf(field: Field, values: Values): [string, string][] {
  if (field.name === 'handlerId') return handlersOf(values['unitId']);
  return field.options?.() ?? [];
}

export const COMMANDS: CommandSpec[] = [
  {
    id: 'assign',
    action: 'assign',
    lifecycle: 'assign',
    route: 'POST /complaints/{id}/assignment',
    label: () => t('派单（转发）', 'Dispatch'),
    key: 'd',
    fields: [
      {
        name: 'unitId',
        label: () => t('处理单位', 'Unit'),
        kind: 'select',
        options: units,
        required: true,
        initial: (c) => c.unitId ?? c.suggestedUnitId ?? '',
      },
      {
        name: 'handlerId',
        label: () => t('处理人', 'Handler'),
        kind: 'select',
        required: true,
        initial: (c) => c.handlerId ?? handlersOf(c.unitId ?? c.suggestedUnitId)[0]?.[0] ?? '',
      },
      area('reason', () => t('改派原因', 'Reason for moving'), { when: (v) => v['_status'] !== 'received' }),
      area('note', () => t('备注', 'Note'), { required: false }),
    ],
  },
  {
    id: 'sign',
    action: 'sign',
    lifecycle: 'sign',
    route: 'POST /complaints/{id}/sign',
    label: () => t('签收', 'Sign for'),
    key: 's',
    available: (c) => !c.signedAt,
    fields: [text('note', () => t('备注', 'Note'), { required: false })],
  },
  {
    id: 'return',
    action: 'return',
    lifecycle: 'return',
    route: 'POST /complaints/{id}/return',
    label: () => t('退回', 'Return to the centre'),
    fields: [
      area('reason', () => t('退回理由（可核实的事实）', 'Reason (a checkable fact)')),
      { name: 'suggestedUnitId', label: () => t('建议单位', 'Suggested unit'), kind: 'select', options: units },
    ],
  },
  {
    id: 'return_decision',
    action: 'return_decision',
    lifecycle: 'return_decision',
    route: 'POST /complaints/{id}/return-decision',
    label: () => t('退回裁定', 'Rule on the return'),
    fields: [
      {
        name: 'decision',
        label: () => t('裁定', 'Ruling'),
        kind: 'select',
        required: true,
        options: () => [
          ['redispatch', t('改派其他单位', 'Re-dispatch')],
          ['reject', t('退回无效，原单位处理', 'Send back to the unit')],
        ],
      },
      { name: 'unitId', label: () => t('处理单位', 'Unit'), kind: 'select', options: units, required: true, when: (v) => v['decision'] === 'redispatch' },
      { name: 'handlerId', label: () => t('处理人', 'Handler'), kind: 'select', required: true, when: (v) => v['decision'] === 'redispatch' },
      area('reason', () => t('理由', 'Reason'), { required: false }),
    ],
  },
  {
    id: 'contact',
    action: 'contact',
    lifecycle: 'contact',
    route: 'POST /complaints/{id}/contact',
    label: () => t('联系投诉人', 'Contact'),
    key: 'c',
    fields: [
      { name: 'method', label: () => t('联系方式', 'Method'), kind: 'select', options: contactMethods, required: true, initial: () => 'phone' },
      { name: 'contactedAt', label: () => t('联系时间', 'When'), kind: 'datetime', initial: nowLocal },
      area('note', () => t('联系情况', 'What was said')),
    ],
  },
  {
    id: 'reply',
    action: 'reply',
    lifecycle: 'reply',
    route: 'POST /complaints/{id}/replies',
    label: () => t('答复（三要素）', 'Reply (three elements)'),
    key: 'r',
    fields: [
      area('situation', () => t('一、基本情况', '1. What happened'), {
        hint: () => t('经查核实的事实：时间、地点、邮件状态', 'Established facts: when, where, the item’s state'),
      }),
      text('process.contactedBy', () => t('二、处理过程 — 联系人', '2. Process — who contacted')),
      { name: 'process.contactedAt', label: () => t('联系时间', 'Contacted at'), kind: 'datetime', required: true, initial: nowLocal },
      { name: 'process.method', label: () => t('联系方式', 'Method'), kind: 'select', options: contactMethods, required: true, initial: () => 'phone' },
      area('process.summary', () => t('处理过程', 'What was done')),
      { name: 'result.resolved', label: () => t('三、处理结果 — 已解决', '3. Result — resolved'), kind: 'bool', required: true, initial: () => 'true' },
      { name: 'result.complainantAccepted', label: () => t('投诉人接受', 'Complainant accepts'), kind: 'bool', required: true, initial: () => 'true' },
      area('result.summary', () => t('处理结果', 'Result')),
      {
        name: 'result.nextContactAt',
        label: () => t('约定再次联系时间', 'Promised next contact'),
        kind: 'datetime',
        required: true,
        when: (v) => v['result.resolved'] === 'false',
      },
      {
        name: 'delivered',
        label: () => t('邮件已妥投（填写投递信息）', 'Item delivered (give the delivery facts)'),
        kind: 'bool',
        covers: 'delivery',
        initial: () => 'false',
      },
      { name: 'delivery.deliveredAt', label: () => t('投递时间', 'Delivered at'), kind: 'datetime', required: true, when: (v) => v['delivered'] === 'true' },
      {
        name: 'delivery.method',
        label: () => t('投递方式', 'Delivery method'),
        kind: 'select',
        options: () => pairs(shared.labels.deliveryMethod),
        required: true,
        when: (v) => v['delivered'] === 'true',
      },
      text('delivery.signer', () => t('签收人', 'Signed by'), { when: (v) => v['delivered'] === 'true' }),
      {
        name: 'delivery.relation',
        label: () => t('与收件人关系', 'Relation to addressee'),
        kind: 'select',
        options: () => shared.signerRelations.map((r) => [r, t(...(RELATION_LABELS[r] ?? [r, r]))]),
        required: true,
        when: (v) => v['delivered'] === 'true',
      },
      {
        name: 'justified',
        label: () => t('建议界定为有理由投诉', 'Proposed as justified'),
        kind: 'bool',
        required: true,
        initial: () => 'true',
        hint: () => t('由客服中心最终界定', 'The centre determines'),
      },
      {
        name: 'liability',
        label: () => t('责任', 'Liability'),
        kind: 'select',
        options: () => shared.liabilities.map((l) => [l, t(...(LIABILITY_LABELS[l] ?? [l, l]))]),
      },
      { name: 'compensation.offered', label: () => t('给予赔偿', 'Compensation offered'), kind: 'bool', initial: () => 'false' },
      { name: 'compensation.amount', label: () => t('赔偿金额（元）', 'Amount (yuan)'), kind: 'number', when: (v) => v['compensation.offered'] === 'true' },
    ],
  },
  {
    id: 'callback',
    action: 'callback',
    lifecycle: 'callback',
    route: 'POST /complaints/{id}/callbacks',
    label: () => t('回访', 'Callback'),
    key: 'b',
    fields: [
      {
        name: 'outcome',
        label: () => t('回访结果', 'Outcome'),
        kind: 'select',
        required: true,
        initial: () => 'reached',
        options: () => [
          ['reached', t('已联系', 'Reached')],
          ['waived', t('免回访', 'Waived')],
          ['unreachable', t('联系不上', 'Unreachable')],
        ],
      },
      {
        name: 'attitude',
        label: () => t('投诉人态度', 'Attitude'),
        kind: 'select',
        required: true,
        when: (v) => v['outcome'] === 'reached',
        options: () => [
          ['satisfied', t('满意', 'Satisfied')],
          ['accepted', t('认可', 'Accepted')],
          ['dissatisfied', t('不满意', 'Dissatisfied')],
        ],
      },
      {
        name: 'handlingQuality',
        label: () => t('处理质量（与答复是否一致）', 'Matches the reply'),
        kind: 'select',
        required: true,
        when: (v) => v['outcome'] === 'reached',
        options: () => [
          ['consistent', t('一致', 'Consistent')],
          ['inconsistent', t('不一致', 'Inconsistent')],
        ],
      },
      {
        name: 'dissatisfactionCause',
        label: () => t('不满意原因', 'Cause'),
        kind: 'select',
        when: (v) => v['outcome'] === 'reached' && v['attitude'] === 'dissatisfied',
        options: () => [
          ['poor_handling', t('处理不到位', 'Poor handling')],
          ['demand_beyond_scope', t('诉求超出范围', 'Demand beyond scope')],
          ['other', t('其他', 'Other')],
        ],
      },
      area('comments', () => t('回访记录', 'Comments'), { required: false, when: (v) => v['outcome'] === 'reached' }),
      {
        name: 'reason',
        label: () => t('免回访原因', 'Waiver reason'),
        kind: 'select',
        required: true,
        when: (v) => v['outcome'] === 'waived',
        options: () => pairs(shared.labels.callbackWaiver),
      },
      area('note', () => t('说明', 'Note'), { when: (v) => v['outcome'] !== 'reached', required: false }),
    ],
  },
  {
    id: 'chase',
    action: 'chase',
    lifecycle: 'chase',
    route: 'POST /complaints/{id}/chases',
    label: () => t('催办', 'Chase'),
    fields: [
      {
        name: 'via',
        label: () => t('来源', 'Via'),
        kind: 'select',
        required: true,
        initial: () => 'phone',
        options: () => [
          ['phone', t('电话', 'Phone')],
          ['sms', t('短信', 'SMS')],
          ['ivr', 'IVR'],
          ['web', t('网站', 'Web')],
          ['walk_in', t('来访', 'Walk-in')],
        ],
      },
      area('note', () => t('备注', 'Note'), { required: false }),
    ],
  },
  {
    id: 'severity',
    action: 'severity',
    lifecycle: 'severity',
    route: 'POST /complaints/{id}/severity',
    label: () => t('调整严重程度', 'Change severity'),
    fields: [
      {
        name: 'severity',
        label: () => t('严重程度', 'Severity'),
        kind: 'select',
        required: true,
        options: () => pairs(shared.labels.severity),
        initial: (c) => c.severity,
      },
      area('reason', () => t('理由', 'Reason')),
    ],
  },
  {
    id: 'extend',
    action: 'extend',
    lifecycle: 'extend',
    route: 'POST /complaints/{id}/extensions',
    label: () => t('批准延期', 'Approve an extension'),
    key: 'e',
    // With a request open the leader decides that request (the forms below); an extended limit is not extended twice.
    available: (c) => !extensionOpen(c) && !replyLimit(c)?.extended,
    fields: [area('reason', () => t('延期理由（投诉人可见）', 'Reason (shown to the complainant)'))],
  },
  // 延期申请 (decision 069): the unit asks (the reason is checked for vague phrases by the server), its leader decides.
  {
    id: 'request-extension',
    action: 'request_extension',
    lifecycle: 'request_extension',
    route: 'POST /complaints/{id}/extension-requests',
    label: () => t('申请延期', 'Request an extension'),
    available: (c) => !extensionOpen(c) && replyLimit(c) !== undefined && !replyLimit(c)?.extended,
    check: schemaCheck(ExtensionAsk),
    fields: [
      area('reason', () => t('延期理由（可核实的事实，批准后投诉人可见）', 'Reason (a checkable fact; shown to the complainant once approved)')),
      {
        name: 'requestedDueAt',
        label: () => t('申请延至', 'New reply time asked for'),
        kind: 'datetime',
        required: true,
        hint: () => t('重大/紧急投诉最多延长48小时，一般投诉最多30天', 'Major/urgent: at most 48 h more; general: at most 30 days'),
        initial: (c) => {
          const due = replyLimit(c)?.dueAt;
          return due ? toLocalInput(new Date(Date.parse(due) + 24 * 3_600_000)) : '';
        },
      },
    ],
  },
  decisionForm(true),
  decisionForm(false),
  {
    id: 'pause',
    action: 'pause',
    lifecycle: 'pause',
    route: 'POST /complaints/{id}/pause',
    label: () => t('暂停计时', 'Pause the clock'),
    fields: [area('reason', () => t('等待投诉人提供', 'Waiting for'))],
  },
  {
    id: 'resume',
    action: 'pause',
    lifecycle: 'resume',
    route: 'POST /complaints/{id}/resume',
    label: () => t('恢复计时', 'Resume the clock'),
    fields: [text('note', () => t('收到的材料', 'What arrived'), { required: false })],
  },
  {
    id: 'suspend',
    action: 'suspend',
    lifecycle: 'suspend',
    route: 'POST /complaints/{id}/suspension',
    label: () => t('暂结', 'Suspend'),
    fields: [
      { name: 'reason', label: () => t('暂结原因', 'Reason'), kind: 'select', required: true, options: () => pairs(shared.labels.suspension) },
      area('note', () => t('说明', 'Note')),
    ],
  },
  {
    id: 'reopen',
    action: 'reopen',
    lifecycle: 'reopen',
    route: 'POST /complaints/{id}/reopen',
    label: () => t('重新打开', 'Reopen'),
    fields: [area('reason', () => t('理由', 'Reason'))],
  },
  {
    id: 'withdraw',
    action: 'withdraw',
    lifecycle: 'withdraw',
    route: 'POST /complaints/{id}/withdrawal',
    label: () => t('撤诉', 'Withdrawal'),
    fields: [
      {
        name: 'voluntary',
        label: () => t('投诉人确认系自愿撤诉', 'Complainant confirms it is voluntary'),
        kind: 'bool',
        required: true,
        initial: () => 'true',
      },
      {
        name: 'confirmedVia',
        label: () => t('确认方式', 'Confirmed via'),
        kind: 'select',
        required: true,
        initial: () => 'phone',
        options: () => [
          ['phone', t('电话', 'Phone')],
          ['in_person', t('当面', 'In person')],
          ['written', t('书面', 'Written')],
          ['sms', t('短信', 'SMS')],
        ],
      },
      area('note', () => t('说明', 'Note')),
    ],
  },
  {
    id: 'notice_confirmation',
    roles: ['leader', 'admin'],
    statuses: ['received', 'dispatched', 'contacted', 'replied', 'returned'],
    route: 'POST /complaints/{id}/notice-confirmation',
    label: () => t('确认收到领导通报', 'Confirm the leaders’ notice'),
    fields: [],
  },
  // 协办 (decision 048): the lead unit asks and cancels, the assisting unit answers; the server checks which unit is which.
  {
    id: 'assist',
    action: 'assist',
    lifecycle: 'assist',
    route: 'POST /complaints/{id}/assists',
    label: () => t('请求协办', 'Ask another unit to assist'),
    fields: [
      { name: 'unitId', label: () => t('协办单位', 'Assisting unit'), kind: 'select', options: units, required: true },
      area('task', () => t('协办事项', 'Task')),
      { name: 'dueAt', label: () => t('要求完成时间（可选，仅可提前）', 'Due (optional, earlier only)'), kind: 'datetime' },
    ],
  },
  {
    id: 'assist-reply',
    action: 'assist_reply',
    lifecycle: 'assist_reply',
    route: 'POST /complaints/{id}/assists/{taskId}/reply',
    label: () => t('回复协办', 'Answer the assist task'),
    available: hasOpenTask,
    fields: [text('taskId', () => t('协办任务', 'Task'), { inPath: true, initial: openTask }), area('findings', () => t('查明情况', 'Findings'))],
  },
  {
    id: 'assist-cancel',
    action: 'assist_cancel',
    lifecycle: 'assist_cancel',
    route: 'POST /complaints/{id}/assists/{taskId}/cancel',
    label: () => t('取消协办', 'Cancel the assist task'),
    available: hasOpenTask,
    fields: [text('taskId', () => t('协办任务', 'Task'), { inPath: true, initial: openTask }), area('reason', () => t('取消原因', 'Reason'))],
  },
  // 有理由投诉 (decision 058): the centre determines once per round, quality reviews.
  {
    id: 'determine',
    action: 'determine',
    lifecycle: 'determine',
    route: 'POST /complaints/{id}/determination',
    label: () => t('界定有理由投诉', 'Determine justified'),
    fields: [
      { name: 'justified', label: () => t('有理由投诉', 'Justified'), kind: 'bool', required: true, initial: () => 'true' },
      {
        name: 'ground',
        label: () => t('界定依据', 'Ground'),
        kind: 'select',
        options: () => Object.entries(GROUND_LABELS).map(([g, l]) => [g, t(...l)]),
        required: true,
        initial: () => 'our_fault',
      },
      area('reason', () => t('界定理由', 'Reason')),
    ],
  },
  {
    id: 'determination-review',
    action: 'determination_review',
    lifecycle: 'determination_review',
    route: 'POST /complaints/{id}/determination-review',
    label: () => t('复核界定', 'Review the determination'),
    available: (c) => c.determination !== undefined,
    fields: [
      { name: 'justified', label: () => t('有理由投诉', 'Justified'), kind: 'bool', required: true, initial: () => 'true' },
      area('reason', () => t('复核理由', 'Reason')),
    ],
  },
  // 分析整改表 (seed 000 附件3): the unit files after quality's notice; quality verifies or returns it.
  {
    id: 'rectification',
    action: 'rectification_file',
    lifecycle: 'rectification_file',
    route: 'POST /complaints/{id}/rectification',
    label: () => t('填报分析整改表', 'File the rectification record'),
    available: rectificationIs('due', 'returned'),
    fields: [
      area('directCause', () => t('直接原因', 'Direct cause')),
      area('managementWeakness', () => t('管理隐患和短板', 'Management weakness')),
      {
        name: 'responsibleUnitId',
        label: () => t('责任单位', 'Responsible unit'),
        kind: 'select',
        options: units,
        required: true,
        initial: (c) => c.unitId ?? '',
      },
      text('responsibleManager', () => t('责任管理者', 'Responsible manager')),
      text('responsiblePerson', () => t('直接责任人', 'Person responsible')),
      area('education', () => t('教育情况', 'Education given')),
      area('assessment', () => t('考核情况', 'Assessment'), { required: false }),
      ...measureFields('corrective', ['纠正措施', 'Corrective measure']),
      ...measureFields('preventive', ['预防措施', 'Preventive measure']),
    ],
  },
  {
    id: 'rectification-review',
    action: 'rectification_review',
    lifecycle: 'rectification_review',
    route: 'POST /complaints/{id}/rectification-review',
    label: () => t('审核分析整改表', 'Review the rectification record'),
    available: rectificationIs('filed'),
    fields: [
      {
        name: 'outcome',
        label: () => t('审核结果', 'Outcome'),
        kind: 'select',
        options: () => [
          ['verified', t('确认整改', 'Verified')],
          ['returned', t('退回重填', 'Returned')],
        ],
        required: true,
        initial: () => 'verified',
      },
      area('reason', () => t('审核意见', 'Reason')),
    ],
  },
  // 赔偿申请 (decision 059): recording the claim acknowledges it; agreement and payment end its clocks.
  {
    id: 'compensation-claim',
    action: 'compensation_claim',
    lifecycle: 'compensation_claim',
    route: 'POST /complaints/{id}/compensation-claim',
    label: () => t('登记赔偿申请', 'Record a compensation claim'),
    available: (c) => c.claim === undefined,
    fields: [
      {
        name: 'claimant',
        label: () => t('申请人', 'Claimant'),
        kind: 'select',
        options: () => [
          ['sender', t('寄件人', 'Sender')],
          ['addressee', t('收件人', 'Addressee')],
        ],
        required: true,
        initial: () => 'sender',
      },
      { name: 'amountClaimed', label: () => t('申请金额（元）', 'Amount claimed (yuan)'), kind: 'number', required: true },
      { name: 'international', label: () => t('国际邮件（60日内处理）', 'International (60 days)'), kind: 'bool', initial: () => 'false' },
      area('note', () => t('申请说明', 'Note')),
    ],
  },
  {
    id: 'compensation-agreement',
    action: 'compensation_claim',
    lifecycle: 'compensation_agreement',
    route: 'POST /complaints/{id}/compensation-agreement',
    label: () => t('赔偿协商一致', 'Compensation agreed'),
    available: (c) => c.claim !== undefined && c.claim.agreement === undefined,
    fields: [{ name: 'amount', label: () => t('协商金额（元）', 'Agreed amount (yuan)'), kind: 'number', required: true }],
  },
  {
    id: 'compensation-paid',
    action: 'compensation_claim',
    lifecycle: 'compensation_paid',
    route: 'POST /complaints/{id}/compensation-paid',
    label: () => t('赔偿已支付', 'Compensation paid'),
    available: (c) => c.claim?.agreement !== undefined && c.claim.payment === undefined,
    fields: [
      { name: 'amount', label: () => t('支付金额（元）', 'Amount paid (yuan)'), kind: 'number', required: true },
      { name: 'paidAt', label: () => t('支付时间', 'Paid at'), kind: 'datetime', required: true, initial: nowLocal },
    ],
  },
];

/** The commands this role may give on this complaint now. */
export function commandsFor(role: string, c: ComplaintLike): CommandSpec[] {
  return COMMANDS.filter((cmd) => {
    if (!shared.routes.includes(cmd.route)) return false;
    const roles: readonly string[] = cmd.action ? shared.permissions[cmd.action] : (cmd.roles ?? []);
    const statuses: readonly string[] = cmd.lifecycle ? shared.allowedFrom[cmd.lifecycle] : (cmd.statuses ?? []);
    return roles.includes(role) && statuses.includes(c.status) && (cmd.available?.(c) ?? true);
  });
}

/** The form's values after one field changed: a new unit selects that unit's first handler. */
export function withChange(values: Values, name: string, value: string): Values {
  const next = { ...values, [name]: value };
  if (name === 'unitId') next['handlerId'] = handlersOf(value)[0]?.[0] ?? '';
  return next;
}

/** The initial values of a command's form. */
export function initialValues(cmd: CommandSpec, c: ComplaintLike): Values {
  return { _status: c.status, ...Object.fromEntries(cmd.fields.filter((f) => f.initial).map((f) => [f.name, f.initial?.(c) ?? ''])) };
}

/** The request body from the visible, filled fields; `delivered` is a switch of the form only. */
export function bodyOf(cmd: CommandSpec, values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = { ...cmd.fixed };
  for (const f of cmd.fields) {
    if (f.name === 'delivered' || f.inPath || (f.when && !f.when(values))) continue;
    const raw = (values[f.name] ?? '').trim();
    if (raw === '') continue;
    const value = f.kind === 'bool' ? raw === 'true' : f.kind === 'number' ? Number(raw) : f.kind === 'datetime' ? fromLocalInput(raw) : raw;
    const parts = f.name.split('.');
    let into = body;
    // `corrective.0.measure`: a numeric segment is an array index (the server names the same path).
    parts.slice(0, -1).forEach((p, i) => {
      into[p] ??= /^\d+$/.test(parts[i + 1] ?? '') ? [] : {};
      into = into[p] as Record<string, unknown>;
    });
    into[parts[parts.length - 1] as string] = value;
  }
  return body;
}

/** The route's path for one complaint, with the form's path parameters (`{taskId}`) filled in. */
export function pathOf(cmd: CommandSpec, id: string, values: Values = {}): string {
  let path = (cmd.route.split(' ')[1] ?? '').replace('{id}', encodeURIComponent(id));
  for (const f of cmd.fields) if (f.inPath) path = path.replace(`{${f.name}}`, encodeURIComponent((values[f.name] ?? '').trim()));
  return path;
}
