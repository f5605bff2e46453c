import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEml, encodeWords, FileMailer, messageIdFor } from '#adapters/local/mail.ts';
import { FileSmsSender, readSmsOutbox } from '#adapters/local/sms.ts';
import type { MailMessage } from '#app/ports.ts';
import { decodeWords, parseEml } from '#test/support/mime.ts';

const subject = '【投诉超时·重大】C8KXQ2M4N6P8R0T2V 答复处理意见 已超时 2小时15分';
const message: MailMessage = {
  to: ['tianhe-leader@example.cn'],
  cc: ['ops-director@example.cn'],
  subject,
  text: `以下投诉已超过处理时限。\n投诉人：欧***（138****8000）\n${'处理记录'.repeat(40)}`,
  html: '<p>以下投诉已超过处理时限。</p>',
  dedupeKey: 'C8KXQ2M4N6P8R0T2V#reply#r1#breach',
};
const date = new Date('2026-11-25T12:45:00.000Z');

describe('the .eml a local e-mail becomes', () => {
  const { eml, messageId } = buildEml(message, { from: 'noreply@complaints.local', fromName: '投诉闭环系统', date });
  const parsed = parseEml(eml);

  it('parses back as MIME: headers, encoded-word subject, both UTF-8 parts', () => {
    expect(parsed.subject).toBe(subject);
    expect(parsed.headers.get('to')).toBe('tianhe-leader@example.cn');
    expect(parsed.headers.get('cc')).toBe('ops-director@example.cn');
    expect(decodeWords(parsed.headers.get('from') ?? '')).toBe('投诉闭环系统 <noreply@complaints.local>');
    expect(parsed.headers.get('mime-version')).toBe('1.0');
    expect(parsed.headers.get('date')).toBe('Wed, 25 Nov 2026 12:45:00 +0000');
    expect(parsed.parts.map((p) => [p.contentType, p.charset])).toEqual([
      ['text/plain', 'UTF-8'],
      ['text/html', 'UTF-8'],
    ]);
    expect(parsed.parts[0]?.body).toBe(message.text);
    expect(parsed.parts[1]?.body).toBe(message.html);
  });

  it('takes its Message-ID from the dedupe key', () => {
    expect(messageId).toBe('C8KXQ2M4N6P8R0T2V#reply#r1#breach@complaints.local');
    expect(parsed.headers.get('message-id')).toBe(`<${messageId}>`);
    expect(parsed.headers.get('x-dedupe-key')).toBe(message.dedupeKey);
    expect(messageIdFor('a key with spaces')).toMatch(/^[0-9a-f]{32}@complaints\.local$/);
  });

  it('keeps every line short and 7-bit (RFC 5322: ≤ 998, encoded words ≤ 75)', () => {
    for (const line of parsed.lines) {
      expect(line.length).toBeLessThanOrEqual(78);
      expect(line).toMatch(/^[\x20-\x7E]*$/);
    }
    for (const word of eml.match(/=\?[^?]+\?B\?[^?]*\?=/g) ?? []) expect(word.length).toBeLessThanOrEqual(75);
  });

  it('never splits a Chinese character across encoded words', () => {
    const words = encodeWords('一二三四五六七八九十'.repeat(5)).split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(w.slice(10, -2), 'base64'))).not.toThrow();
  });

  it('leaves a plain ASCII subject as it is', () => {
    expect(encodeWords('Escalation test')).toBe('Escalation test');
  });
});

describe('local outbox files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outbox-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml per e-mail, named so that a listing sorts by time', async () => {
    let now = date.getTime();
    const mailer = new FileMailer({ dir, clock: { now: () => new Date(now) } });
    await mailer.send({ ...message, dedupeKey: 'C2#reply#r1#breach' });
    now += 1_000;
    await mailer.send({ ...message, dedupeKey: 'C1#reply#r1#breach' });

    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['20261125T124500000Z_C2-reply-r1-breach.eml', '20261125T124501000Z_C1-reply-r1-breach.eml']);
    const parsed = parseEml(await readFile(join(dir, files[0] ?? ''), 'utf8'));
    expect(parsed.subject).toBe(subject);
  });

  it('keeps one .eml per dedupe key: a resend after a crash writes nothing and answers the same Message-ID', async () => {
    const first = await new FileMailer({ dir, clock: { now: () => date } }).send({ ...message, dedupeKey: 'C3#reply#r1#breach' });
    // A new process (a restart) on the same folder, sending the same escalation again.
    const again = await new FileMailer({ dir, clock: { now: () => new Date(date.getTime() + 60_000) } }).send({ ...message, dedupeKey: 'C3#reply#r1#breach' });

    expect(again.messageId).toBe(first.messageId);
    expect((await readdir(dir)).sort()).toEqual(['20261125T124500000Z_C3-reply-r1-breach.eml']);
  });

  it('appends one JSON line per SMS to sms.jsonl', async () => {
    const sms = new FileSmsSender({ dir, clock: { now: () => date } });
    const a = await sms.send({
      to: '+8613800138000',
      text: '【广州市邮政速递物流公司】您的投诉已受理，查询码 ABCDEFGHJK12，我们将在24小时内与您联系。',
      dedupeKey: 'receipt#C1',
    });
    await sms.send({ to: '+8613900139000', text: '第二条', dedupeKey: 'receipt#C2' });

    const lines = await readSmsOutbox(dir);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      at: date.toISOString(),
      messageId: a.messageId,
      to: '+8613800138000',
      text: expect.stringContaining('查询码 ABCDEFGHJK12'),
      dedupeKey: 'receipt#C1',
    });
    expect(await readSmsOutbox(join(dir, 'missing'))).toEqual([]);
  });
});
