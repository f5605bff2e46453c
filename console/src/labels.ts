/** Console-only labels: milestones and history events (the server's own labels come from `virtual:shared`). */
import { t } from './i18n.ts';

const MILESTONE: Record<string, [string, string]> = {
  leaders_notified: ['通报领导', 'Leaders notified'],
  dispatch: ['派单', 'Dispatch'],
  first_contact: ['首次联系', 'First contact'],
  reply: ['答复', 'Reply'],
  callback: ['回访', 'Callback'],
  appeal_risk: ['申诉风险', 'Appeal risk'],
  rectification: ['整改', 'Rectification'],
  claim_ack: ['赔偿受理', 'Claim acknowledged'],
  claim_settle: ['赔偿处理', 'Claim settled'],
  claim_pay: ['赔偿支付', 'Claim paid'],
  leaders_confirm: ['领导确认', 'Leaders confirm'],
  sign: ['签收', 'Sign for'],
  next_contact: ['再次联系', 'Next contact'],
  assist: ['协办', 'Assist'],
};

const EVENT: Record<string, [string, string]> = {
  received: ['受理', 'Received'],
  classified: ['分类', 'Classified'],
  severity_changed: ['调整严重程度', 'Severity changed'],
  dispatched: ['派单', 'Dispatched'],
  signed: ['签收', 'Signed for'],
  contacted: ['联系投诉人', 'Contacted'],
  replied: ['答复', 'Replied'],
  callback_recorded: ['回访', 'Callback'],
  callback_waived: ['免回访', 'Callback waived'],
  callback_unreachable: ['回访未联系上', 'Callback unreachable'],
  redispatched: ['重新派单', 'Re-dispatched'],
  closed: ['办结', 'Closed'],
  suspended: ['暂结', 'Suspended'],
  reopened: ['重新打开', 'Reopened'],
  withdrawn: ['撤诉', 'Withdrawn'],
  chased: ['催办', 'Chased'],
  deadline_extended: ['延期', 'Extended'],
  extension_requested: ['申请延期', 'Extension requested'],
  extension_decided: ['延期申请已审批', 'Extension request decided'],
  extension_cancelled: ['延期申请已撤销', 'Extension request cancelled'],
  deadline_paused: ['暂停计时', 'Clock paused'],
  deadline_resumed: ['恢复计时', 'Clock resumed'],
  complainant_informed: ['已告知投诉人', 'Complainant informed'],
  returned: ['退回', 'Returned'],
};

export const milestoneLabel = (m: string): string => t(...(MILESTONE[m] ?? [m, m]));
export const eventLabel = (e: string): string => t(...(EVENT[e] ?? [e, e.replace(/_/g, ' ')]));
