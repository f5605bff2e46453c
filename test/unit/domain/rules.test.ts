import { describe, expect, it } from 'vitest';
import { authorizeAction, authorizeComplaint, listItemView, PERMISSIONS, staffView } from '#domain/access.ts';
import { Forbidden, NotFound } from '#domain/errors.ts';
import { base32, canonicalPhone, complaintId, maskName, maskPhone, requestHash, trackingCode } from '#domain/ids.ts';
import type { Complaint } from '#domain/model.ts';
import { checkReply, isVague } from '#domain/reply-check.ts';
import { IntakeRequest } from '#domain/schemas.ts';
import { assessSeverity } from '#domain/severity.ts';
import { actors, intakeBody, replyBody } from '#test/support/fixtures.ts';

describe('severity rules (seed 000 重大、紧急)', () => {
  const cases: [string, string, string][] = [
    ['邮件十天没到', 'general', ''],
    ['再不给说法我就打12345', 'urgent', 'regulator'],
    ['我已经向邮政管理局申诉了', 'urgent', 'regulator'],
    ['我要报警，快递员偷了我的东西', 'urgent', 'police'],
    ['你们这样我就找记者曝光', 'urgent', 'media'],
    ['我会请律师起诉你们', 'urgent', 'court'],
    ['里面是我的护照，下周要出国', 'urgent', 'urgent_content'],
    ['录取通知书丢了', 'urgent', 'urgent_content'],
    ['I will call the police', 'urgent', 'police'],
    ['I will talk to my lawyer and sue you', 'urgent', 'court'],
    ['整个小区的快递都放驿站不送上门', 'major', 'group_impact'],
    ['里面有一块名表', 'major', 'valuables'],
  ];
  it.each(cases)('“%s” → %s', (content, severity, rule) => {
    const result = assessSeverity({ content, source: 'customer' });
    expect(result.severity).toBe(severity);
    if (rule) expect(result.reasons.join()).toContain(rule);
  });

  it('does not read 110 or 12305 inside a longer number (a waybill) as a threat', () => {
    expect(assessSeverity({ content: '邮件号1101234567890没到，电话13812305123', source: 'customer' }).severity).toBe('general');
  });

  it('makes an external (transferred) complaint major', () => {
    expect(assessSeverity({ content: '邮件延误', source: 'external' })).toMatchObject({ severity: 'major' });
  });

  it('makes a key account or a high declared value major', () => {
    expect(assessSeverity({ content: '延误', source: 'customer', keyAccount: true }).severity).toBe('major');
    expect(assessSeverity({ content: '延误', source: 'customer', declaredValue: 5000 }).severity).toBe('major');
    expect(assessSeverity({ content: '延误', source: 'customer', declaredValue: 100 }).severity).toBe('general');
  });
});

describe('reply check (seed 000 答复三要素)', () => {
  it.each(['已经妥投', '我局正常发出', '已处理', '已处理。', '  已妥投！ ', '经查，该邮件已妥投', 'done'])('calls “%s” vague', (text) => {
    expect(isVague(text)).toBe(true);
  });

  it.each(['已妥投，投递员于11月25日15时放在快递柜并短信通知', '经查该邮件因地址不详退回，已重新投递'])('accepts “%s”', (text) => {
    expect(isVague(text)).toBe(false);
  });

  it('accepts a complete reply', () => {
    expect(checkReply(replyBody())).toEqual([]);
  });

  it('names every vague element', () => {
    const issues = checkReply(replyBody({ situation: '已处理', process: { ...replyBody().process, summary: '已联系' } }));
    expect(issues.map((i) => i.path)).toEqual(['situation', 'process.summary']);
  });

  it('rejects a too short element', () => {
    expect(checkReply(replyBody({ situation: '地址错了' })).map((i) => i.path)).toEqual(['situation']);
  });
});

describe('identifiers and masking', () => {
  it('derives the same complaint id from the same idempotency scope', () => {
    expect(complaintId('web:abc')).toBe(complaintId('web:abc'));
    expect(complaintId('web:abc')).not.toBe(complaintId('sms:abc'));
    expect(complaintId()).toMatch(/^C[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('makes 12-character tracking codes (60 bits) that do not repeat', () => {
    const codes = new Set(Array.from({ length: 2000 }, trackingCode));
    expect(codes.size).toBe(2000);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
  });

  it('encodes base32 bit-exactly', () => {
    expect(base32(new Uint8Array([0xff, 0xff]), 3)).toBe('ZZZ');
    expect(base32(new Uint8Array([0, 0]), 3)).toBe('000');
  });

  it('hashes requests independently of key order', () => {
    expect(requestHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(requestHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });

  it('canonicalises phones and masks them', () => {
    expect(canonicalPhone('+86 138-0013-8000')).toBe('+8613800138000');
    expect(canonicalPhone('13800138000')).toBe('+8613800138000');
    expect(canonicalPhone('020-12345678')).toBe('+862012345678');
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('Alice')).toBe('A***');
  });
});

describe('access', () => {
  const complaint = {
    id: 'C1',
    unitId: 'gz-tianhe',
    handlerId: 'th-handler-1',
    subjectStaffIds: ['th-handler-2'],
    complainant: { name: '张三', phone: '+8613800138000', anonymous: false },
    content: '请回电13800138000',
    severityReasons: [],
    history: [],
    intakeHash: 'secret',
  } as unknown as Complaint;

  it('hides another unit’s complaint behind a 404', () => {
    expect(() => authorizeComplaint(actors.foreignHandler, 'read', complaint)).toThrow(NotFound);
  });

  it('hides a complaint from the person it is about', () => {
    expect(() => authorizeComplaint(actors.otherHandler, 'read', complaint)).toThrow(NotFound);
  });

  it('forbids roles outside the matrix', () => {
    expect(() => authorizeAction(actors.handler, 'assign')).toThrow(Forbidden);
    expect(() => authorizeAction(actors.quality, 'reply')).toThrow(Forbidden);
    expect(() => authorizeAction(actors.public, 'read')).toThrow(Forbidden);
    expect(PERMISSIONS.reply).not.toContain('agent');
  });

  it('shows full identity to the assigned handler and masks it for the leader', () => {
    expect(staffView(actors.handler, complaint).complainant.phone).toBe('+8613800138000');
    expect(staffView(actors.leader, complaint).complainant.phone).toBe('138****8000');
    expect(staffView(actors.quality, complaint).complainant.name).toBe('张*');
    expect(staffView(actors.agent, complaint)).not.toHaveProperty('intakeHash');
    expect(staffView(actors.leader, complaint).content).toBe('请回电138****8000');
    expect(staffView(actors.handler, complaint).content).toBe('请回电13800138000');
  });

  it('masks list rows for everyone', () => {
    expect(listItemView(complaint).complainant).toEqual({ anonymous: false, name: '张*', phone: '138****8000' });
  });
});

describe('intake schema', () => {
  it('needs a phone unless anonymous', () => {
    const r = IntakeRequest.safeParse(intakeBody({ phone: undefined }));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['phone']);
    expect(IntakeRequest.safeParse(intakeBody({ phone: undefined, name: undefined, anonymous: true })).success).toBe(true);
  });

  it('needs the case number of an external complaint', () => {
    expect(IntakeRequest.safeParse(intakeBody({ source: 'external' })).error?.issues[0]?.path).toEqual(['externalRef']);
  });

  it('accepts emoji but rejects a lone surrogate', () => {
    expect(IntakeRequest.safeParse(intakeBody({ content: '快递丢了😡😡' })).success).toBe(true);
    expect(IntakeRequest.safeParse(intakeBody({ content: 'bad \uD83D text' })).success).toBe(false);
  });
});
