/** Request bodies and actors shared by the tests: realistic Chinese content. */
import type { Actor } from '#domain/model.ts';
import type { IntakeRequest, ReplyRequest } from '#domain/schemas.ts';

export const intakeBody = (overrides: Record<string, unknown> = {}) => ({
  channel: 'web',
  name: '张三',
  phone: '13800138000',
  waybillNo: 'EA123456785CN',
  category: 'delay',
  content: '11月20日寄往北京的邮件至今未到，物流信息一直停在广州处理中心。',
  demand: '尽快查明邮件下落并投递',
  region: '广东省广州市天河区',
  ...overrides,
});

export const intakeInput = (overrides: Partial<IntakeRequest> = {}): IntakeRequest => ({
  kind: 'complaint',
  channel: 'web',
  source: 'customer',
  anonymous: false,
  name: '张三',
  phone: '13800138000',
  waybillNo: 'EA123456785CN',
  category: 'delay',
  content: '11月20日寄往北京的邮件至今未到，物流信息一直停在广州处理中心。',
  region: '广东省广州市天河区',
  ...overrides,
});

export const replyBody = (overrides: Partial<ReplyRequest> = {}): ReplyRequest => ({
  situation: '经查，该邮件于11月21日因分拣错误误发至武汉，已于11月25日转回并安排投递。',
  process: {
    contactedBy: '王芳',
    contactedAt: '2026-11-26T02:00:00.000Z',
    method: 'phone',
    summary: '11月26日电话联系投诉人，说明延误原因并致歉，约定当日下午投递上门。',
  },
  result: { resolved: true, complainantAccepted: true, summary: '邮件已安排投递员11月26日下午投递上门，投诉人表示接受处理结果。' },
  justified: true,
  liability: 'unit',
  ...overrides,
});

export const actors = {
  agent: { id: 'agent-lin', role: 'agent' } satisfies Actor,
  handler: { id: 'th-handler-1', role: 'handler', unitId: 'gz-tianhe' } satisfies Actor,
  otherHandler: { id: 'th-handler-2', role: 'handler', unitId: 'gz-tianhe' } satisfies Actor,
  leader: { id: 'th-leader', role: 'leader', unitId: 'gz-tianhe' } satisfies Actor,
  foreignHandler: { id: 'yx-handler-1', role: 'handler', unitId: 'gz-yuexiu' } satisfies Actor,
  quality: { id: 'qm-wu', role: 'quality' } satisfies Actor,
  admin: { id: 'admin-root', role: 'admin' } satisfies Actor,
  public: { id: 'public', role: 'public' } satisfies Actor,
};
