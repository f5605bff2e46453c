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

/** A made-up 2027 notice that differs from the prediction: the 春节 make-up day moves from Sunday 01-31 to Saturday 02-20. */
export const NOTICE_2027 = {
  number: '国办发明电〔2026〕9号',
  url: 'https://www.gov.cn/zhengce/content/2026-11/05/content_0000000.htm',
  publishedAt: '2026-11-05',
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-05', to: '2027-02-13' },
    { name: '清明节', from: '2027-04-03', to: '2027-04-05' },
    { name: '劳动节', from: '2027-05-01', to: '2027-05-05' },
    { name: '端午节', from: '2027-06-09', to: '2027-06-09' },
    { name: '中秋节', from: '2027-09-15', to: '2027-09-15' },
    { name: '国庆节', from: '2027-10-01', to: '2027-10-07' },
  ],
  makeupWorkdays: ['2027-02-14', '2027-02-20', '2027-05-08', '2027-09-26', '2027-10-09'],
};
