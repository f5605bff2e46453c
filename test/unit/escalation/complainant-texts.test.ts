import { describe, expect, it } from 'vitest';
import { SMS_SIGNATURE as CHANNEL_SIGNATURE } from '#app/channels.ts';
import {
  fitOne,
  progressUpdateSms,
  receiptSms,
  repeatNoticeSms,
  resultSms,
  SMS_PART_CHARS,
  SMS_SIGNATURE,
  smsLength,
  suspensionSms,
} from '#app/complainant-sms.ts';
import { STATUSES, SUSPENSION_REASONS, type Reply } from '#domain/model.ts';
import { complaint, t0 } from '#test/support/complaint.ts';

const LONGEST_WAYBILL = 'EA1234567890123456789012345678'; // 30 characters, the intake maximum
const reply = (summary: string, resolved = true): Reply => ({
  situation: '邮件滞留',
  process: { contactedBy: 'th-handler-1', contactedAt: t0, method: 'phone', summary: '电话联系' },
  result: { resolved, complainantAccepted: resolved, summary },
  justified: true,
  by: 'th-handler-1',
  at: t0,
  round: 1,
});
const dispatchDue = {
  milestone: 'dispatch',
  round: 0,
  startedAt: t0,
  dueAt: '2026-11-24T10:30:00.000Z',
  warnAt: '2026-11-24T10:00:00.000Z',
  state: 'pending' as const,
};

/** Every text the complainant can receive, with the longest inputs there are. */
const TEXTS: [string, string][] = [
  ['receipt, general', receiptSms(complaint({ severity: 'general', round: 0, deadlines: [dispatchDue] }))],
  ['receipt, urgent', receiptSms(complaint({ severity: 'urgent', round: 0, deadlines: [dispatchDue] }))],
  ['receipt, nothing planned', receiptSms(complaint({ deadlines: [] }))],
  ['repeat notice, longest waybill', repeatNoticeSms(complaint({ waybillNo: LONGEST_WAYBILL }))],
  ['repeat notice, no waybill', repeatNoticeSms(complaint({ waybillNo: undefined }))],
  ...STATUSES.map((status): [string, string] => [`progress update, ${status}`, progressUpdateSms(complaint({ status }))]),
  ...SUSPENSION_REASONS.map((reason): [string, string] => [
    `暂结, ${reason}`,
    suspensionSms(complaint({ status: 'suspended', suspension: { reason, note: '', at: t0, by: 'agent-lin' } })),
  ]),
  ['result, short summary', resultSms(complaint({ status: 'closed', reply: reply('已补发，邮件今日送达') }))],
  [
    'result, long summary',
    resultSms(
      complaint({ status: 'closed', reply: reply('经核查，邮件因分拣错误滞留广州处理中心，现已补发，预计明日送达，另按规定给予赔偿并对责任人进行了教育') }),
    ),
  ],
  ['result, unresolved', resultSms(complaint({ status: 'closed', reply: reply('x'.repeat(200), false) }))],
];

describe('every SMS to the complainant', () => {
  it.each(TEXTS)('%s: fits one part (≤ 70 characters)', (_name, text) => {
    expect(smsLength(text), text).toBeLessThanOrEqual(SMS_PART_CHARS);
  });

  it.each(TEXTS)('%s: opens with the one sender name', (_name, text) => {
    expect(text.startsWith(SMS_SIGNATURE)).toBe(true);
    expect(text.indexOf('【', 1)).toBe(-1);
  });

  it('the channel replies sign with the same sender name', () => {
    expect(CHANNEL_SIGNATURE).toBe(SMS_SIGNATURE);
  });
});

describe('what the texts say', () => {
  it('the result on closure carries the reply’s summary when it fits, masked', () => {
    const text = resultSms(complaint({ status: 'closed', reply: reply('已补发，联系电话13800138000') }));
    expect(text).toContain('已办结：已补发');
    expect(text).not.toContain('13800138000');
  });

  it('a summary too long for one part points at the tracking page instead', () => {
    const text = resultSms(complaint({ status: 'closed', reply: reply('很长的处理结果'.repeat(20)) }));
    expect(text).toBe(`${SMS_SIGNATURE}您的投诉（查询码ABCDEFGHJK12）已办结，问题已解决。处理结果可凭查询码在网上查看。`);
  });

  it('暂结 tells the reason, the customer’s own schedule included (seed 004)', () => {
    const text = suspensionSms(complaint({ status: 'suspended', suspension: { reason: 'customer_schedule', note: '客户出差', at: t0, by: 'agent-lin' } }));
    expect(text).toContain('已暂结，原因：需按您的时间安排再处理');
    expect(text).not.toContain('出差');
  });

  it('a repeat notice names the waybill when it fits, and drops it when it does not', () => {
    expect(repeatNoticeSms(complaint({ waybillNo: 'EA123456785CN' }))).toContain('邮件EA123456785CN');
    expect(repeatNoticeSms(complaint({ waybillNo: LONGEST_WAYBILL }))).not.toContain(LONGEST_WAYBILL);
  });

  it('fitOne keeps the last wording when nothing fits', () => {
    expect(fitOne('x'.repeat(71), 'y'.repeat(80))).toBe('y'.repeat(80));
  });
});
