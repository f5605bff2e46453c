/** A complaint in the middle of its life, built by hand (no lifecycle call), for rendering and rule tests. */
import type { Complaint, ComplaintEvent } from '#domain/model.ts';

export const t0 = '2026-11-24T02:00:00.000Z'; // 10:00 Beijing
export const ev = (
  seq: number,
  type: ComplaintEvent['type'],
  data?: Record<string, unknown>,
  actor: ComplaintEvent['actor'] = { id: 'agent-lin', role: 'agent' },
): ComplaintEvent => ({
  seq,
  type,
  at: new Date(Date.parse(t0) + seq * 3_600_000).toISOString(),
  actor,
  ...(data && { data }),
});

export const complaint = (overrides: Partial<Complaint> = {}): Complaint => ({
  id: 'C8KXQ2M4N6P8R0T2V',
  trackingCode: 'ABCDEFGHJK12',
  version: 7,
  status: 'contacted',
  severity: 'major',
  severityReasons: ['regulator_threat: 12315'],
  category: 'delay',
  channel: 'web',
  source: 'customer',
  complainant: { name: '欧阳娜娜', phone: '+8613800138000', anonymous: false },
  waybillNo: 'EA123456785CN',
  content: '我是欧阳娜娜，电话13800138000，身份证440106199001011234，邮件寄往北京至今未到，再不处理我就打12315。',
  subjectStaffIds: ['th-courier-9'],
  suggestedUnitId: 'gz-tianhe',
  unitId: 'gz-tianhe',
  handlerId: 'th-handler-1',
  priority: false,
  round: 1,
  chaseCount: 1,
  repeatCount: 0,
  createdAt: t0,
  updatedAt: t0,
  deadlines: [{ milestone: 'reply', round: 1, startedAt: t0, dueAt: '2026-11-25T10:30:00.000Z', warnAt: '2026-11-25T08:30:00.000Z', state: 'pending' }],
  history: [
    ev(1, 'received', { channel: 'web' }, { id: 'public', role: 'public' }),
    ev(2, 'classified', { severity: 'major' }, { id: 'rules', role: 'system' }),
    ev(3, 'dispatched', { unitId: 'gz-tianhe', unitName: '天河揽投部', handlerId: 'th-handler-1', transfer: false }),
    ev(4, 'contacted', { first: true, note: '已联系欧阳娜娜，电话13800138000' }, { id: 'th-handler-1', role: 'handler', unitId: 'gz-tianhe' }),
    ev(5, 'chased', { chaseCount: 1, via: 'phone' }),
    ev(6, 'deadline_warned', { milestone: 'reply' }, { id: 'sla', role: 'system' }),
  ],
  ...overrides,
});
