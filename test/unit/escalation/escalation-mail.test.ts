import { describe, expect, it } from 'vitest';
import { escalationSubject, eventWording, renderEscalationMail } from '#app/escalation-mail.ts';
import { durationZh, shanghaiTime } from '#domain/shanghai-time.ts';
import { maskFreeText } from '#domain/masking.ts';
import { directory } from '#config/index.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import { complaint, ev, t0 } from '#test/support/complaint.ts';

const breach = (overrides: Partial<EscalationMessage> = {}): EscalationMessage => ({
  complaintId: 'C8KXQ2M4N6P8R0T2V',
  milestone: 'reply',
  round: 1,
  level: 'breach',
  severity: 'major',
  unitId: 'gz-tianhe',
  dueAt: '2026-11-25T10:30:00.000Z',
  overdueMillis: 0,
  decidedAt: '2026-11-25T10:30:00.000Z',
  ...overrides,
});
const at = (iso: string) => new Date(iso);

describe('durations in Chinese units', () => {
  it.each([
    [0, '不足1分钟'],
    [59_000, '不足1分钟'],
    [45 * 60_000, '45分钟'],
    [2 * 3_600_000, '2小时'],
    [(2 * 60 + 15) * 60_000, '2小时15分'],
    [24 * 3_600_000, '1天'],
    [(27 * 60 + 40) * 60_000, '1天3小时'],
    [3 * 24 * 3_600_000 + 5 * 60_000, '3天'],
  ])('%d ms reads %s', (ms, words) => {
    expect(durationZh(ms)).toBe(words);
  });

  it('writes Beijing time', () => {
    expect(shanghaiTime('2026-11-25T10:30:00.000Z')).toBe('2026-11-25 18:30');
  });
});

describe('escalation subject', () => {
  it('says number, severity, milestone and how late: 【投诉超时·重大】… 答复处理意见 已超时 2小时15分', () => {
    expect(escalationSubject({ ...breach(), level: 'breach' }, complaint(), at('2026-11-25T12:45:00.000Z'))).toBe(
      '【投诉超时·重大】C8KXQ2M4N6P8R0T2V 答复处理意见 已超时 2小时15分',
    );
  });

  it('measures lateness when the e-mail is written, not only when the check ran', () => {
    const subject = escalationSubject({ ...breach({ overdueMillis: 60_000 }), level: 'breach' }, complaint(), at('2026-11-26T13:30:00.000Z'));
    expect(subject).toContain('已超时 1天3小时');
  });

  it('says 即将到期 and the time left for a warning', () => {
    const subject = escalationSubject(
      { ...breach({ level: 'warning' }), level: 'warning' },
      complaint({ severity: 'general' }),
      at('2026-11-25T08:30:00.000Z'),
    );
    expect(subject).toBe('【投诉预警·一般】C8KXQ2M4N6P8R0T2V 答复处理意见 即将到期 剩余2小时');
  });

  it('says 即将到期 alone when no time is left', () => {
    const subject = escalationSubject({ ...breach({ level: 'warning' }), level: 'warning' }, complaint(), at('2026-11-25T10:30:00.000Z'));
    expect(subject).toMatch(/答复处理意见 即将到期$/);
  });

  it('tags the quality manager’s notice as 超时督办', () => {
    const subject = escalationSubject({ ...breach({ level: 'quality' }), level: 'quality' }, complaint(), at('2026-11-26T10:30:00.000Z'));
    expect(subject).toMatch(/^【超时督办·重大】C8KXQ2M4N6P8R0T2V 答复处理意见 已超时 1天/);
  });

  it('tags the leaders’ notice of a major/urgent complaint', () => {
    const subject = escalationSubject(
      { ...breach({ level: 'leaders', milestone: 'leaders_notified', round: 0 }), level: 'leaders' },
      complaint({ severity: 'urgent' }),
      at(t0),
    );
    expect(subject).toBe('【重大紧急投诉·紧急】C8KXQ2M4N6P8R0T2V 紧急投诉，请分管领导及业务运行总监知悉督办');
  });
});

describe('escalation e-mail body', () => {
  const mail = renderEscalationMail(breach(), complaint(), directory, at('2026-11-25T12:45:00.000Z'));

  it('never carries the complainant’s full phone, name or ID number', () => {
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toContain('13800138000');
      expect(part).not.toContain('欧阳娜娜');
      expect(part).not.toContain('440106199001011234');
      expect(part).not.toContain('ABCDEFGHJK12'); // the tracking code is the complainant's secret
    }
    expect(mail.text).toContain('投诉人：欧***（138****8000）');
    expect(mail.text).toContain('电话138****8000');
  });

  it('summarises the complaint, the unit, the handler and the deadline', () => {
    expect(mail.text).toContain('投诉类别：延误');
    expect(mail.text).toContain('受理渠道：网页 · 客户直接投诉');
    expect(mail.text).toContain('受理时间：2026-11-24 10:00');
    expect(mail.text).toContain('邮件号：EA123456785CN');
    expect(mail.text).toContain('处理单位：天河揽投部');
    expect(mail.text).toContain('处理人：王芳');
    expect(mail.text).toContain('时限：答复处理意见（第1轮），应于 2026-11-25 18:30 前完成');
    expect(mail.text).toContain('超时：2小时15分');
  });

  it('lists the last 5 history events in Chinese and links to the console', () => {
    const lines = mail.text.split('\n');
    const start = lines.indexOf('最近处理记录：');
    expect(lines.slice(start + 1, start + 6)).toEqual([
      '  2026-11-24 12:00  定级为重大（系统）',
      '  2026-11-24 13:00  转发至天河揽投部，处理人王芳（agent-lin）',
      '  2026-11-24 14:00  处理单位首次联系投诉人（王芳）',
      '  2026-11-24 15:00  投诉人催办（第1次）（agent-lin）',
      '  2026-11-24 16:00  时限预警：答复处理意见（系统）',
    ]);
    expect(mail.text).toContain('在系统中处理：http://localhost:3000/complaints/C8KXQ2M4N6P8R0T2V');
    expect(mail.html).toContain('<a href="http://localhost:3000/complaints/C8KXQ2M4N6P8R0T2V">');
  });

  it('escapes HTML in what it quotes', () => {
    const html = renderEscalationMail(breach(), complaint({ content: '<script>alert(1)</script> 邮件丢失' }), directory, at('2026-11-25T12:45:00.000Z')).html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('says 匿名 for an anonymous complainant and 尚未转发 before dispatch', () => {
    const text = renderEscalationMail(
      breach({ level: 'leaders', milestone: 'leaders_notified', round: 0, unitId: undefined, dueAt: undefined }),
      complaint({ complainant: { anonymous: true }, unitId: undefined, suggestedUnitId: undefined, handlerId: undefined, status: 'received' }),
      directory,
      at(t0),
    ).text;
    expect(text).toContain('投诉人：匿名');
    expect(text).toContain('处理单位：尚未转发');
    expect(text).toContain('处理人：尚未指定');
  });

  it('refuses to e-mail a complainant-level message', () => {
    expect(() => renderEscalationMail(breach({ level: 'complainant' }), complaint(), directory, at(t0))).toThrow();
  });
});

describe('masking free text', () => {
  it('masks mobiles in any common spelling, ID numbers and the complainant’s name', () => {
    const c = complaint();
    expect(maskFreeText('打+86 138 0013 8000或13800138000找欧阳娜娜，证件440106199001011234', c.complainant)).toBe(
      '打138****8000或138****8000找欧***，证件******************',
    );
  });

  it('leaves waybill numbers and 12315 alone', () => {
    expect(maskFreeText('邮件号EA123456785CN，我要打12315', complaint().complainant)).toBe('邮件号EA123456785CN，我要打12315');
  });
});

describe('event wording', () => {
  it('has Chinese wording for every event type', () => {
    const types = ['received', 'escalated', 'leaders_notified', 'progress_update_sent', 'callback_waived', 'severity_changed'] as const;
    for (const type of types)
      expect(
        eventWording(ev(1, type, { level: 'breach', milestone: 'reply', reason: 'demand_beyond_scope', from: 'general', to: 'urgent' }), directory),
      ).toMatch(/[\u4e00-\u9fff]/);
    expect(eventWording(ev(1, 'severity_changed', { from: 'general', to: 'urgent' }), directory)).toBe('严重程度 一般 → 紧急');
  });
});
