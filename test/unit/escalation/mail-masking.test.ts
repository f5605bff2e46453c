import { describe, expect, it } from 'vitest';
import { renderEscalationMail, type MailLevel } from '#app/escalation-mail.ts';
import { directory } from '#config/index.ts';
import { complaint, t0 } from '#test/support/complaint.ts';

const RAW = ['13912345678', '020-87654321', '440106199001011234', 'chen.xiaoming@example.com', '+852 9123 4567', '欧阳娜娜'];
const LEVELS: MailLevel[] = ['warning', 'breach', 'quality', 'leaders'];

describe('personal data in escalation e-mails (SPEC "Non-negotiables")', () => {
  it.each(LEVELS)('keeps every number, address and the name of the content out of the %s e-mail', (level) => {
    const c = complaint({
      content: `我是欧阳娜娜，手机13912345678，座机020-87654321，身份证440106199001011234，邮箱chen.xiaoming@example.com，香港亲属+852 9123 4567。`,
      severityReasons: ['regulator_threat: 12315', 'agent: 投诉人来电13912345678称要找媒体'],
    });
    const mail = renderEscalationMail(
      {
        complaintId: c.id,
        milestone: 'reply',
        round: 1,
        level,
        severity: 'major',
        unitId: 'gz-tianhe',
        dueAt: t0,
        overdueMillis: 0,
        decidedAt: t0,
        reason: '投诉人留言：请回电020-87654321',
      },
      c,
      directory,
      new Date(t0),
    );
    for (const part of [mail.subject, mail.text, mail.html]) for (const raw of RAW) expect(part).not.toContain(raw);
    expect(mail.text).toContain('座机020-******21');
    expect(mail.text).toContain('邮箱c***@example.com');
  });

  it('masks a number that the 150-character excerpt would cut in two', () => {
    const c = complaint({ content: `${'邮件延误'.repeat(35)}手机13912345678` });
    const text = renderEscalationMail(
      { complaintId: c.id, milestone: 'reply', round: 1, level: 'breach', severity: 'major', unitId: 'gz-tianhe', dueAt: t0, overdueMillis: 0, decidedAt: t0 },
      c,
      directory,
      new Date(t0),
    ).text;
    expect(text).not.toMatch(/13912/);
  });
});
